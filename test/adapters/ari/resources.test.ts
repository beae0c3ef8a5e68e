import t, { type Test } from 'tap'
import { createAriTelephony, ariEndpoints } from '../../../src/adapters/ari/index.js'
import { AppError } from '../../../src/domain/errors.js'
import type { Telephony } from '../../../src/domain/telephony.js'
import { sendJson, startFakeHttp, type Recorded } from './fake-ari.js'
import { bridge, channel, playback } from './fixtures.js'

const C = '6f1f1c9e-0c43-4d55-9a58-3e2f4c1b2a10'
const L2 = `${C};2`
const B = 'b7f32ebb-1b88-4ed3-b32c-f697ca034201'
const P = '70ec61bd-9719-4af9-8f83-43dc3e06dc5e'

const application = {
  name: 'centralino',
  channel_ids: [C],
  bridge_ids: [B],
  endpoint_ids: [],
  device_names: [],
  events_allowed: [],
  events_disallowed: [],
}

/** What a fake Asterisk answers, by method and path shape. */
function reply(r: Recorded): [number, unknown?] {
  const p = r.path
  if (r.method === 'GET' && p === '/ari/channels') return [200, [channel(C), channel(L2)]]
  if (r.method === 'GET' && p === '/ari/bridges') return [200, [bridge(B)]]
  if (r.method === 'GET' && /\/variable$/.test(p)) {
    if (r.query.variable === 'MISSING') return [404, { message: 'Provided variable was not found' }]
    if (p.includes('/gone/')) return [404, { message: 'Channel not found' }]
    return [200, { value: 'MACHINE' }]
  }
  if (/\/play$/.test(p)) return [201, playback(r.query.playbackId ?? P)]
  if (r.method === 'GET' && /^\/ari\/playbacks\//.test(p)) return [200, playback(P, 'playing')]
  if (/^\/ari\/applications\//.test(p)) return [200, application]
  if ((r.method === 'POST' && p === '/ari/bridges') || (r.method === 'GET' && /^\/ari\/bridges\/[^/]+$/.test(p))) {
    return [200, bridge(r.query.bridgeId ?? B)]
  }
  if (r.method === 'POST' && (p === '/ari/channels' || p === '/ari/channels/create')) return [200, channel(r.query.channelId ?? C, { state: 'Down' })]
  if (r.method === 'GET' && /^\/ari\/channels\/[^/]+$/.test(p)) return [200, channel(C)]
  return [204]
}

interface Expect {
  method: string
  path: string
  query?: Record<string, string>
  body?: unknown
}

async function setup(t: Test, url: (base: string) => string = (b) => b) {
  const server = await startFakeHttp((r, res) => {
    const [status, body] = reply(r)
    sendJson(res, status, body)
  })
  const tel = createAriTelephony({ url: url(server.url), username: 'engine', password: 'engine', app: 'centralino' })
  t.teardown(async () => {
    await tel.stop()
    await server.close()
  })
  const expectRequest = async (t: Test, call: (tel: Telephony) => Promise<unknown>, e: Expect) => {
    const before = server.requests.length
    const result = await call(tel)
    const r = server.requests[before]
    t.equal(server.requests.length, before + 1, 'one request')
    t.equal(r?.method, e.method, 'method')
    t.equal(r?.path, e.path, 'path')
    t.same(r?.query, e.query ?? {}, 'query')
    t.same(r?.body, e.body, 'body')
    return result
  }
  return { server, tel, expectRequest }
}

t.test('channels', async (t) => {
  const { tel, server, expectRequest } = await setup(t)
  const list = await expectRequest(t, (x) => x.channels.list(), { method: 'GET', path: '/ari/channels' })
  t.equal((list as unknown[]).length, 2)
  const got = await expectRequest(t, (x) => x.channels.get(L2), { method: 'GET', path: `/ari/channels/${C}%3B2` })
  t.equal((got as { id: string }).id, C)

  const orig = await expectRequest(
    t,
    (x) =>
      x.channels.originate({
        endpoint: 'PJSIP/+390612345678@trunk',
        channelId: C,
        otherChannelId: 'o-1',
        app: 'centralino',
        appArgs: ['outbound', 'campaign-7'],
        callerId: '"INPS" <803164>',
        timeoutSec: 30,
        variables: { CAMPAIGN: 'c-7', LIST_ROW: '42' },
      }),
    {
      method: 'POST',
      path: '/ari/channels',
      query: {
        endpoint: 'PJSIP/+390612345678@trunk',
        app: 'centralino',
        appArgs: 'outbound,campaign-7',
        callerId: '"INPS" <803164>',
        timeout: '30',
        channelId: C,
        otherChannelId: 'o-1',
      },
      body: { variables: { CAMPAIGN: 'c-7', LIST_ROW: '42' } },
    },
  )
  t.match(orig, { id: C, state: 'Down' })

  await expectRequest(
    t,
    (x) => x.channels.originate({ endpoint: 'Local/machine@sim-customers', channelId: C, context: 'detect', extension: 'amd', priority: 1 }),
    { method: 'POST', path: '/ari/channels', query: { endpoint: 'Local/machine@sim-customers', context: 'detect', extension: 'amd', priority: '1', channelId: C } },
  )
  await expectRequest(
    t,
    (x) => x.channels.create({ endpoint: 'PJSIP/agent-12', app: 'centralino', appArgs: ['dialed'], channelId: C, variables: { A: 'b' } }),
    {
      method: 'POST',
      path: '/ari/channels/create',
      query: { endpoint: 'PJSIP/agent-12', app: 'centralino', appArgs: 'dialed', channelId: C },
      body: { variables: { A: 'b' } },
    },
  )
  await expectRequest(t, (x) => x.channels.dial(C, { caller: 'caller-1', timeoutSec: 20 }), {
    method: 'POST',
    path: `/ari/channels/${C}/dial`,
    query: { caller: 'caller-1', timeout: '20' },
  })
  await expectRequest(t, (x) => x.channels.dial(C), { method: 'POST', path: `/ari/channels/${C}/dial` })
  await expectRequest(t, (x) => x.channels.answer(L2), { method: 'POST', path: `/ari/channels/${C}%3B2/answer` })
  await expectRequest(t, (x) => x.channels.ring(C), { method: 'POST', path: `/ari/channels/${C}/ring` })
  await expectRequest(t, (x) => x.channels.hangup(C), { method: 'DELETE', path: `/ari/channels/${C}` })
  await expectRequest(t, (x) => x.channels.hangup(C, 'busy'), { method: 'DELETE', path: `/ari/channels/${C}`, query: { reason: 'busy' } })
  const pb = await expectRequest(t, (x) => x.channels.play(L2, { media: ['sound:centralino/welcome', 'number:3'], lang: 'it', playbackId: P }), {
    method: 'POST',
    path: `/ari/channels/${C}%3B2/play`,
    query: { media: 'sound:centralino/welcome,number:3', lang: 'it', playbackId: P },
  })
  t.match(pb, { id: P, state: 'queued' })
  await expectRequest(t, (x) => x.channels.startMoh(C, 'default'), { method: 'POST', path: `/ari/channels/${C}/moh`, query: { mohClass: 'default' } })
  await expectRequest(t, (x) => x.channels.startMoh(C), { method: 'POST', path: `/ari/channels/${C}/moh` })
  await expectRequest(t, (x) => x.channels.stopMoh(C), { method: 'DELETE', path: `/ari/channels/${C}/moh` })
  const v = await expectRequest(t, (x) => x.channels.getVariable(C, 'AMDSTATUS'), {
    method: 'GET',
    path: `/ari/channels/${C}/variable`,
    query: { variable: 'AMDSTATUS' },
  })
  t.equal(v, 'MACHINE')
  await expectRequest(t, (x) => x.channels.setVariable(C, 'QUEUE', 'pensions & co'), {
    method: 'POST',
    path: `/ari/channels/${C}/variable`,
    query: { variable: 'QUEUE', value: 'pensions & co' },
  })
  await expectRequest(t, (x) => x.channels.sendDtmf(C, '1#'), { method: 'POST', path: `/ari/channels/${C}/dtmf`, query: { dtmf: '1#' } })

  t.equal(await tel.channels.getVariable(C, 'MISSING'), undefined, 'an unset variable is undefined')
  await t.rejects(tel.channels.getVariable('gone', 'AMDSTATUS'), { code: 'ARI_HTTP', message: 'Channel not found' }, 'a missing channel still fails')
  await t.rejects(tel.channels.play(C, { media: [], playbackId: P }), { code: 'BAD_REQUEST' })
  const sent = server.requests.length
  await t.rejects(tel.channels.play(C, { media: ['sound:a,b'], playbackId: P }), { code: 'BAD_REQUEST', message: /comma/ })
  await t.rejects(tel.channels.originate({ endpoint: 'Local/x@y', channelId: C, app: 'centralino', appArgs: ['a,b'] }), {
    code: 'BAD_REQUEST',
    message: /appArgs/,
  })
  await t.rejects(tel.channels.create({ endpoint: 'Local/x@y', channelId: C, app: 'centralino', appArgs: ['ok', 'x,y'] }), { code: 'BAD_REQUEST' })
  t.equal(server.requests.length, sent, 'refused input sends nothing')
})

t.test('bridges, playbacks, applications', async (t) => {
  const { tel, server, expectRequest } = await setup(t)
  const br = await expectRequest(t, (x) => x.bridges.create({ bridgeId: B, type: 'mixing', name: 'queue-1' }), {
    method: 'POST',
    path: '/ari/bridges',
    query: { type: 'mixing', bridgeId: B, name: 'queue-1' },
  })
  t.match(br, { id: B, bridge_type: 'mixing' })
  await expectRequest(t, (x) => x.bridges.create({ bridgeId: B, type: 'holding' }), { method: 'POST', path: '/ari/bridges', query: { type: 'holding', bridgeId: B } })
  await expectRequest(t, (x) => x.bridges.get(B), { method: 'GET', path: `/ari/bridges/${B}` })
  t.equal(((await expectRequest(t, (x) => x.bridges.list(), { method: 'GET', path: '/ari/bridges' })) as unknown[]).length, 1)
  await expectRequest(t, (x) => x.bridges.destroy(B), { method: 'DELETE', path: `/ari/bridges/${B}` })
  await expectRequest(t, (x) => x.bridges.addChannel(B, [C, L2]), {
    method: 'POST',
    path: `/ari/bridges/${B}/addChannel`,
    query: { channel: `${C},${L2}` },
  })
  t.match(server.requests.at(-1)?.rawQuery, /%3B2/, 'the ; of a Local leg is encoded in the query too')
  await expectRequest(t, (x) => x.bridges.addChannel(B, [C], 'announcer'), {
    method: 'POST',
    path: `/ari/bridges/${B}/addChannel`,
    query: { channel: C, role: 'announcer' },
  })
  await expectRequest(t, (x) => x.bridges.removeChannel(B, [C]), { method: 'POST', path: `/ari/bridges/${B}/removeChannel`, query: { channel: C } })
  await expectRequest(t, (x) => x.bridges.play(B, { media: ['sound:hello-world'], playbackId: P }), {
    method: 'POST',
    path: `/ari/bridges/${B}/play`,
    query: { media: 'sound:hello-world', playbackId: P },
  })
  await expectRequest(t, (x) => x.bridges.startMoh(B, 'default'), { method: 'POST', path: `/ari/bridges/${B}/moh`, query: { mohClass: 'default' } })
  await expectRequest(t, (x) => x.bridges.stopMoh(B), { method: 'DELETE', path: `/ari/bridges/${B}/moh` })
  await t.rejects(tel.bridges.addChannel(B, []), { code: 'BAD_REQUEST' })
  await t.rejects(tel.bridges.removeChannel(B, []), { code: 'BAD_REQUEST' })
  await t.rejects(tel.bridges.play(B, { media: [], playbackId: P }), { code: 'BAD_REQUEST' })
  await t.rejects(tel.bridges.play(B, { media: ['x,y'], playbackId: P }), { code: 'BAD_REQUEST' })
  await t.rejects(tel.bridges.addChannel(B, ['a,b']), { code: 'BAD_REQUEST' })

  t.match(await expectRequest(t, (x) => x.playbacks.get(P), { method: 'GET', path: `/ari/playbacks/${P}` }), { id: P, state: 'playing' })
  await expectRequest(t, (x) => x.playbacks.stop(P), { method: 'DELETE', path: `/ari/playbacks/${P}` })

  t.match(await expectRequest(t, (x) => x.applications.get('centralino'), { method: 'GET', path: '/ari/applications/centralino' }), application)
  await expectRequest(t, (x) => x.applications.subscribe('centralino', `bridge:${B}`), {
    method: 'POST',
    path: '/ari/applications/centralino/subscription',
    query: { eventSource: `bridge:${B}` },
  })
})

t.test('a reply without the fields the engine reads is an ARI_HTTP error', async (t) => {
  const server = await startFakeHttp((r, res) => {
    if (r.path === '/ari/channels') sendJson(res, 200, [channel(C), { id: 'x' }])
    else if (r.path === '/ari/bridges') sendJson(res, 200, { not: 'a list' })
    else sendJson(res, 200, { ...channel(C), caller: undefined })
  })
  const tel = createAriTelephony({ url: server.url, username: 'engine', password: 'engine', app: 'centralino' })
  t.teardown(async () => {
    await tel.stop()
    await server.close()
  })
  await t.rejects(tel.channels.list(), { code: 'ARI_HTTP', message: /\[1\]\.name: missing string/ })
  await t.rejects(tel.bridges.list(), { code: 'ARI_HTTP', message: /not a list/ })
  await t.rejects(tel.channels.get(C), { code: 'ARI_HTTP', message: /caller: not an object/ })
})

t.test('the URL is normalised with or without /ari', async (t) => {
  for (const suffix of ['', '/', '/ari', '/ari/']) {
    const { expectRequest } = await setup(t, (b) => b + suffix)
    await expectRequest(t, (x) => x.channels.answer(C), { method: 'POST', path: `/ari/channels/${C}/answer` })
  }
  t.same(ariEndpoints('https://pbx.example.it:8089/asterisk/', 'centralino', true), {
    origin: 'https://pbx.example.it:8089',
    basePath: '/asterisk/ari',
    eventsUrl: 'wss://pbx.example.it:8089/asterisk/ari/events?app=centralino&subscribeAll=true',
  })
  t.equal(ariEndpoints('http://127.0.0.1:8088/ari', 'a b', false).eventsUrl, 'ws://127.0.0.1:8088/ari/events?app=a%20b&subscribeAll=false')
})

t.test('bad options are CONFIG_INVALID', async (t) => {
  const base = { url: 'http://127.0.0.1:8088', username: 'engine', password: 'engine', app: 'centralino' }
  const bad: Array<[string, Record<string, unknown>]> = [
    ['not a url', { url: 'not a url' }],
    ['ws scheme', { url: 'ws://127.0.0.1:8088' }],
    ['no app', { app: '' }],
    ['no username', { username: '' }],
    ['connections', { connections: 0 }],
    ['fractional connections', { connections: 2.5 }],
    ['timeout', { requestTimeoutMs: -1 }],
    ['backoff', { reconnect: { minMs: 500, maxMs: 100 } }],
    ['jitter', { reconnect: { jitter: 2 } }],
    ['ping', { pingIntervalMs: 0 }],
  ]
  for (const [what, over] of bad) {
    t.throws(() => createAriTelephony({ ...base, ...over } as typeof base), AppError, what)
    try {
      createAriTelephony({ ...base, ...over } as typeof base)
    } catch (e) {
      t.equal((e as AppError).code, 'CONFIG_INVALID', what)
    }
  }
})
