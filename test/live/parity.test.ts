/**
 * LIVE (opt-in): the simulator against the real thing. The same ARI requests go to a real
 * Asterisk 22 and to the simulator (given the same dialplan: dialplan/extensions.conf plus
 * the live-agents context), and the answers are compared: statuses, error messages, the
 * shape of what comes back, and the events a channel raises. Skipped unless
 * CENTRALINO_LIVE_ARI_URL is set; see asterisk-config/README.md.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import t from 'tap'
import { startSimulator } from '../../src/sim/index.js'
import { AriClient, AriRestError, liveEnv, SKIP_MESSAGE, type AriEventRecord, type AriJson, type LiveEnv } from './ari-caller.js'
import { hangupTestChannels, LIVE_AGENTS_DIALPLAN } from './harness.js'

const ROOT = path.resolve(import.meta.dirname, '../..')
const APP = 'live-parity'

interface Answer {
  status: number
  body: AriJson
}

async function call(c: AriClient, method: string, p: string, query: Record<string, string | number | undefined> = {}, body?: unknown): Promise<Answer> {
  try {
    return { status: 200, body: (await c.rest(method, p, query, body)) ?? null }
  } catch (e) {
    if (!(e instanceof AriRestError)) throw e
    let parsed: AriJson = e.body
    try {
      parsed = JSON.parse(e.body)
    } catch {
      /* not JSON */
    }
    return { status: e.status, body: parsed }
  }
}

/** The requests that need no channel: every one fails, and how it fails is the point. */
const ERRORS: Array<[string, string, Record<string, string>?]> = [
  ['GET', '/channels/nope'],
  ['DELETE', '/channels/nope'],
  ['POST', '/channels/nope/answer'],
  ['POST', '/channels/nope/play', { media: 'sound:centralino/welcome' }],
  ['POST', '/channels/nope/dtmf', { dtmf: '1' }],
  ['POST', '/channels/nope/moh'],
  ['DELETE', '/channels/nope/moh'],
  ['GET', '/channels/nope/variable', { variable: 'X' }],
  ['POST', '/channels/nope/variable', { variable: 'X', value: '1' }],
  ['POST', '/channels/nope/dial'],
  ['DELETE', '/playbacks/nope'],
  ['GET', '/playbacks/nope'],
  ['GET', '/bridges/nope'],
  ['DELETE', '/bridges/nope'],
  ['POST', '/bridges/nope/addChannel', { channel: 'x' }],
  ['POST', '/bridges/nope/removeChannel', { channel: 'x' }],
  ['GET', '/applications/nope'],
  ['POST', '/channels'],
  ['POST', '/channels', { endpoint: 'Local/1@from-trunk' }],
  ['POST', '/channels', { endpoint: 'Bogus/x', app: APP }],
  ['DELETE', '/channels/nope', { reason: 'bogus' }],
  ['POST', '/bridges', { type: 'bogus' }],
]

const pick = (e: AriEventRecord): Record<string, unknown> => {
  const o: Record<string, unknown> = { type: e.type }
  if (e.channel) o.state = e.channel.state
  if (e.type === 'Dial') o.dialstatus = e.dialstatus
  if (e.type === 'ChannelDestroyed' || e.type === 'ChannelHangupRequest') o.cause = e.cause
  if (e.playback) {
    o.playback = e.playback.state
    o.media = e.playback.media_uri
  }
  if (e.type === 'StasisStart') o.args = e.args
  if (e.type === 'ChannelEnteredBridge' || e.type === 'ChannelLeftBridge') o.bridge = e.bridge?.id
  return o
}

/** Events the simulator does not model on purpose (variables, dialplan steps, caller id). */
const NOISE = new Set(['ChannelVarset', 'ChannelDialplan', 'ChannelCallerId', 'ChannelConnectedLine', 'BridgeCreated', 'BridgeDestroyed'])

interface Target {
  name: string
  c: AriClient
  close(): Promise<void>
}

async function target(name: string, env: LiveEnv, close: () => Promise<void> = async () => {}): Promise<Target> {
  const c = new AriClient(env, APP)
  await hangupTestChannels(c)
  await c.connect()
  return {
    name,
    c,
    async close() {
      await hangupTestChannels(c)
      await c.close()
      await close()
    },
  }
}

/** The events of channel `id` from index `from`, until `until` is seen (inclusive). */
async function eventsUntil(c: AriClient, id: string, from: number, until: (e: AriEventRecord) => boolean, what: string): Promise<Record<string, unknown>[]> {
  const mine = (e: AriEventRecord) => e.channel?.id === id || e.peer?.id === id || e.playback?.target_uri === `channel:${id}`
  const last = await c.waitEvent((e) => mine(e) && until(e), 15_000, `${what} on ${id}`, from).catch((err: Error) => {
    const seen = c.events.slice(from).filter(mine).map((e) => JSON.stringify(pick(e)))
    throw new Error(`${err.message}; seen: ${seen.join(' ') || 'nothing'}`)
  })
  const end = c.events.indexOf(last)
  return c.events.slice(from, end + 1).filter((e) => mine(e) && !NOISE.has(e.type)).map(pick)
}

/** One agent-like leg through its life: create, dial (answered by live-agents), media, bridge, hangup. */
async function channelLife(c: AriClient, tag: string): Promise<Record<string, unknown>> {
  const id = `live-parity-leg`
  void tag
  const out: Record<string, unknown> = {}
  const from0 = c.events.length
  const created = await call(c, 'POST', '/channels/create', { endpoint: 'Local/probe@live-agents', app: APP, appArgs: 'a,b', channelId: id })
  out.create = { status: created.status, state: created.body?.state, name: String(created.body?.name).replace(/-[0-9a-f]+;1$/, '-N;1'), dialplan: created.body?.dialplan }
  out.createdEvents = await eventsUntil(c, id, from0, (e) => e.type === 'StasisStart', 'StasisStart')
  out.createAgain = await call(c, 'POST', '/channels/create', { endpoint: 'Local/probe@live-agents', app: APP, channelId: id })

  const from1 = c.events.length
  out.dial = await call(c, 'POST', `/channels/${id}/dial`, { timeout: 10 })
  out.dialEvents = await eventsUntil(c, id, from1, (e) => e.type === 'Dial' && e.dialstatus === 'ANSWER', 'Dial ANSWER')
  out.dialAgain = await call(c, 'POST', `/channels/${id}/dial`, { timeout: 10 })

  out.variableMissing = await call(c, 'GET', `/channels/${id}/variable`, { variable: 'NOT_SET_ANYWHERE' })
  out.variableSet = await call(c, 'POST', `/channels/${id}/variable`, { variable: 'PARITY', value: 'x' })
  out.variableGet = await call(c, 'GET', `/channels/${id}/variable`, { variable: 'PARITY' })

  // DTMF runs in the channel's control queue: the playback after it waits for it.
  out.dtmf = await call(c, 'POST', `/channels/${id}/dtmf`, { dtmf: '1#' })
  // A missing sound, then a real one stopped while it plays.
  let from = c.events.length
  const missing = await call(c, 'POST', `/channels/${id}/play`, { media: 'sound:no-such-sound-anywhere', playbackId: `${id}-pb1` })
  // Not the state: Asterisk's control thread may already have started (or failed) it when it answers.
  out.playMissing = { status: missing.status, media: missing.body?.media_uri }
  out.playMissingEvents = await eventsUntil(c, id, from, (e) => e.type === 'PlaybackFinished', 'PlaybackFinished')
  from = c.events.length
  const two = await call(c, 'POST', `/channels/${id}/play`, { media: 'sound:no-such-sound-anywhere,sound:centralino/welcome', playbackId: `${id}-pb2`, lang: 'it' })
  // Not media_uri/next_media_uri either: Asterisk may already be past the missing first one.
  out.playTwo = { status: two.status, lang: two.body?.language, target: two.body?.target_uri }
  await c.waitEvent((e) => e.type === 'PlaybackStarted' && e.playback?.media_uri === 'sound:centralino/welcome', 10_000, 'second media started', from)
  out.playAgainSameId = (await call(c, 'POST', `/channels/${id}/play`, { media: 'sound:centralino/welcome', playbackId: `${id}-pb2` })).status
  out.getPlayback = await call(c, 'GET', `/playbacks/${id}-pb2`).then((a) => ({ status: a.status, state: a.body?.state, media: a.body?.media_uri }))
  out.stop = await call(c, 'DELETE', `/playbacks/${id}-pb2`)
  out.playTwoEvents = await eventsUntil(c, id, from, (e) => e.type === 'PlaybackFinished', 'PlaybackFinished')
  // Not DELETE again at once: Asterisk drops the playback a moment after PlaybackFinished, so
  // it may still answer 204 where the simulator answers 404.

  out.mohStart = await call(c, 'POST', `/channels/${id}/moh`, { mohClass: 'default' })
  out.mohStop = await call(c, 'DELETE', `/channels/${id}/moh`)
  out.mohBogus = await call(c, 'POST', `/channels/${id}/moh`, { mohClass: 'no-such-class' })
  out.answerAgain = await call(c, 'POST', `/channels/${id}/answer`)

  // Bridges.
  const b = `${id}-bridge`
  const bridge = await call(c, 'POST', '/bridges', { type: 'mixing', bridgeId: b, name: 'parity' })
  out.bridge = { status: bridge.status, type: bridge.body?.bridge_type, technology: bridge.body?.technology, channels: bridge.body?.channels, name: bridge.body?.name }
  out.bridgeAgain = (await call(c, 'POST', '/bridges', { type: 'mixing', bridgeId: b })).status
  from = c.events.length
  out.add = await call(c, 'POST', `/bridges/${b}/addChannel`, { channel: id })
  out.addEvents = await eventsUntil(c, id, from, (e) => e.type === 'ChannelEnteredBridge', 'ChannelEnteredBridge')
  out.addAgain = await call(c, 'POST', `/bridges/${b}/addChannel`, { channel: id })
  out.addUnknown = await call(c, 'POST', `/bridges/${b}/addChannel`, { channel: 'nope' })
  out.removeUnknown = await call(c, 'POST', `/bridges/${b}/removeChannel`, { channel: 'nope' })
  out.bridgeGet = await call(c, 'GET', `/bridges/${b}`).then((a) => ({ status: a.status, channels: a.body?.channels }))
  from = c.events.length
  out.playOnChannelInBridge = await call(c, 'POST', `/channels/${id}/play`, { media: 'sound:centralino/welcome', playbackId: `${id}-pb3` }).then((a) => a.status)
  out.playInBridgeEvents = await eventsUntil(c, id, from, (e) => e.type === 'PlaybackStarted', 'PlaybackStarted in the bridge')
  from = c.events.length
  out.remove = await call(c, 'POST', `/bridges/${b}/removeChannel`, { channel: id })
  out.removeEvents = await eventsUntil(c, id, from, (e) => e.type === 'ChannelLeftBridge', 'ChannelLeftBridge')
  out.stopAfterRemove = (await call(c, 'DELETE', `/playbacks/${id}-pb3`)).status
  out.afterRemoveEvents = await eventsUntil(c, id, from, (e) => e.type === 'PlaybackFinished', 'PlaybackFinished of the bridge playback')
  out.removeAgain = await call(c, 'POST', `/bridges/${b}/removeChannel`, { channel: id })
  out.bridgeDelete = await call(c, 'DELETE', `/bridges/${b}`)
  // Gone: 404, or (Asterisk, while it still tears the bridge down) 409 "Bridge not in Stasis application".
  out.bridgeDeleteAgain = [404, 409].includes((await call(c, 'DELETE', `/bridges/${b}`)).status) ? 'gone' : 'still there'

  from = c.events.length
  out.hangup = await call(c, 'DELETE', `/channels/${id}`, { reason: 'normal' })
  out.hangupEvents = await eventsUntil(c, id, from, (e) => e.type === 'ChannelDestroyed', 'ChannelDestroyed')
  out.hangupAgain = await call(c, 'DELETE', `/channels/${id}`)
  return out
}

/** A leg whose dial is never answered: Local into a context that does not exist. */
async function deadEnd(c: AriClient, tag: string): Promise<Record<string, unknown>> {
  const id = `live-parity-dead`
  void tag
  const out: Record<string, unknown> = {}
  const from = c.events.length
  out.create = (await call(c, 'POST', '/channels/create', { endpoint: 'Local/probe@no-such-context', app: APP, channelId: id })).status
  await c.waitEvent((e) => e.type === 'StasisStart' && e.channel?.id === id, 10_000, 'StasisStart')
  out.dial = await call(c, 'POST', `/channels/${id}/dial`, { timeout: 5 })
  out.events = await eventsUntil(c, id, from, (e) => e.type === 'ChannelDestroyed', 'ChannelDestroyed')
  // The same by originate: nothing enters the app, the channel is just gone.
  const oid = `${id}-orig`
  const from2 = c.events.length
  const orig = await call(c, 'POST', '/channels', { endpoint: 'Local/probe@no-such-context', app: APP, channelId: oid, timeout: 5 })
  out.originate = { status: orig.status, state: orig.body?.state }
  out.originateEvents = await eventsUntil(c, oid, from2, (e) => e.type === 'ChannelDestroyed', 'ChannelDestroyed').catch((e: Error) => e.message.replace(/-(real|sim)-orig/, '-orig'))
  return out
}

/** A citizen's call into from-trunk as the engine's application sees it, on one target. */
async function inboundAsEngineSees(caller: AriClient, engine: AriClient): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {}
  const [handset, chan] = ['live-parity-handset', 'live-parity-inbound']
  const from = engine.events.length
  const fromCaller = caller.events.length
  out.originate = (await call(caller, 'POST', '/channels', { endpoint: 'Local/803164@from-trunk', app: APP, callerId: '"Citizen" <+393331234567>', channelId: handset, otherChannelId: chan, timeout: 30 })).status
  const start = await engine.waitEvent((e) => e.type === 'StasisStart' && e.channel?.id === chan, 10_000, 'StasisStart in centralino', from)
  out.eventKeys = Object.keys(start).sort()
  out.channelKeys = Object.keys(start.channel).sort()
  out.args = start.args
  out.state = start.channel.state
  out.caller = start.channel.caller
  out.connected = start.channel.connected
  out.dialplan = start.channel.dialplan
  out.language = start.channel.language
  out.name = String(start.channel.name).replace(/-[0-9a-f]+;2$/, '-N;2')
  out.answer = (await call(engine, 'POST', `/channels/${chan}/answer`)).status
  await caller.waitEvent((e) => e.type === 'StasisStart' && e.channel?.id === handset, 10_000, 'the handset answered', fromCaller)
  out.handsetUp = true
  out.hangup = (await call(caller, 'DELETE', `/channels/${handset}`)).status
  // After StasisEnd the channel runs on in the dialplan (Hangup()), unseen by the app.
  out.engineEvents = await eventsUntil(engine, chan, from, (e) => e.type === 'StasisEnd', 'StasisEnd of the engine channel')
  return out
}

/** A campaign call: originate into centralino-amd; AMD listens to a party that answers and stays silent. */
async function campaignAmd(caller: AriClient, engine: AriClient): Promise<Record<string, unknown>> {
  const id = 'live-parity-amd'
  const from = engine.events.length
  const out: Record<string, unknown> = {}
  const r = await call(caller, 'POST', '/channels', { endpoint: 'Local/amd@live-agents', context: 'centralino-amd', extension: 's', priority: 1, channelId: id, timeout: 20 })
  out.originate = { status: r.status, state: r.body?.state }
  const start = await engine.waitEvent((e) => e.type === 'StasisStart' && e.channel?.id === id, 20_000, 'StasisStart after AMD', from)
  // AMD's TOOLONG-<ms> counts voice frames: 4900 on a quiet machine, less when frames are late.
  const ms = (x: string) => x.replace(/TOOLONG-\d+/, 'TOOLONG-<ms>')
  out.args = (start.args as string[]).map(ms)
  out.state = start.channel.state
  out.dialplan = { ...start.channel.dialplan, app_data: ms(String(start.channel.dialplan.app_data)) }
  await call(engine, 'DELETE', `/channels/${id}`)
  return out
}

const env = liveEnv()
if (!env) {
  t.plan(0, SKIP_MESSAGE)
} else {
  const dialplan = readFileSync(path.join(ROOT, 'dialplan/extensions.conf'), 'utf8') + LIVE_AGENTS_DIALPLAN
  const sim = await startSimulator({ port: 0, users: { [env.user]: env.password }, dialplan })
  const real = await target('asterisk', env)
  const simulated = await target('simulator', { ...env, url: sim.url }, () => sim.close())
  t.teardown(async () => {
    await real.close()
    await simulated.close()
  })

  t.test('error answers: statuses and messages', async (t) => {
    for (const [method, p, query] of ERRORS) {
      const [a, s] = [await call(real.c, method, p, query), await call(simulated.c, method, p, query)]
      t.same(s, a, `${method} ${p}${query ? ' ' + new URLSearchParams(query).toString() : ''}`)
    }
    const badAuth = async (url: string) => (await fetch(`${url}/ari/channels`, { headers: { authorization: 'Basic ' + Buffer.from('engine:wrong').toString('base64') } })).status
    t.equal(await badAuth(sim.url), await badAuth(env.url), 'wrong password')
    t.equal((await call(simulated.c, 'GET', '/no-such-resource')).status, (await call(real.c, 'GET', '/no-such-resource')).status, 'unknown resource')
    // Accepted although nothing will take the channel: an app without a socket, or no app at all.
    for (const [p, query] of [
      ['/channels', { endpoint: 'Local/1@from-trunk', app: 'nobody-listens', channelId: 'live-parity-nobody' }],
      ['/channels/create', { endpoint: 'Local/1@from-trunk', channelId: 'live-parity-noapp' }],
    ] as const) {
      const [a, s] = [await call(real.c, 'POST', p, query), await call(simulated.c, 'POST', p, query)]
      t.same({ status: s.status, state: s.body?.state, id: s.body?.id }, { status: a.status, state: a.body?.state, id: a.body?.id }, `POST ${p} ${new URLSearchParams(query).toString()}`)
      await call(real.c, 'DELETE', `/channels/${query.channelId}`)
      await call(simulated.c, 'DELETE', `/channels/${query.channelId}`)
    }
  })

  t.test('a channel through its life: create, dial, variables, playbacks, music, bridge, hangup', async (t) => {
    const a = await channelLife(real.c, 'real')
    const s = await channelLife(simulated.c, 'sim')
    for (const k of Object.keys(a)) t.same(s[k], a[k], k)
  })

  t.test("a citizen's call into from-trunk, as the engine's application sees it", async (t) => {
    const engines = [new AriClient(env, 'centralino'), new AriClient({ ...env, url: sim.url }, 'centralino')]
    for (const e of engines) await e.connect()
    t.teardown(async () => {
      for (const e of engines) await e.close()
    })
    const a = await inboundAsEngineSees(real.c, engines[0]!)
    const s = await inboundAsEngineSees(simulated.c, engines[1]!)
    for (const k of Object.keys(a)) t.same(s[k], a[k], k)
  })

  t.test('a campaign call: AMD in the dialplan hands the answered channel to the engine with its verdict', async (t) => {
    const engines = [new AriClient(env, 'centralino'), new AriClient({ ...env, url: sim.url }, 'centralino')]
    for (const e of engines) await e.connect()
    t.teardown(async () => {
      for (const e of engines) await e.close()
    })
    const a = await campaignAmd(real.c, engines[0]!)
    const s = await campaignAmd(simulated.c, engines[1]!)
    for (const k of Object.keys(a)) t.same(s[k], a[k], k)
  })

  t.test('a dial that cannot succeed', async (t) => {
    const a = await deadEnd(real.c, 'real')
    const s = await deadEnd(simulated.c, 'sim')
    for (const k of Object.keys(a)) t.same(s[k], a[k], k)
  })
}
