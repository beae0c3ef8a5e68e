import t, { type Test } from 'tap'
import { createAriTelephony, type AriOptions, type AriTelephony } from '../../../src/adapters/ari/index.js'
import type { AriEvent } from '../../../src/domain/ari-models.js'
import { SimClock } from '../../../src/domain/clock.js'
import { AppError } from '../../../src/domain/errors.js'
import { deferred, waitUntil } from '../../helpers/async.js'
import { captureLog, type CapturedLog } from './capture-log.js'
import { FakeEvents } from './fake-ari.js'
import { ariTimestamp, event, stasisStart } from './fixtures.js'

const idOf = (e: AriEvent) => (e.type === 'StasisStart' ? e.channel.id : e.type)

/** A fake events server and a client; pings are off unless asked for, SimClock unless `real`. */
async function setup(t: Test, over: Partial<AriOptions> = {}, fake = new FakeEvents()) {
  await fake.listen()
  const log: CapturedLog = captureLog()
  const clock = new SimClock()
  const tel: AriTelephony = createAriTelephony({
    url: fake.url,
    username: 'engine',
    password: 'engine',
    app: 'centralino',
    logger: log.logger,
    clock,
    pingIntervalMs: 1e9,
    reconnect: { minMs: 5, maxMs: 20 },
    ...over,
  })
  const seen: AriEvent[] = []
  tel.events.onEvent((e) => seen.push(e))
  t.teardown(async () => {
    await tel.stop()
    await fake.close()
  })
  return { fake, tel, log, clock, seen }
}

t.test('start resolves on open; events arrive typed; url, auth and lag', async (t) => {
  const { fake, tel, clock, seen } = await setup(t, { subscribeAll: true })
  const states: string[] = []
  tel.events.onStateChange((s) => states.push(s))
  t.equal(tel.events.state(), 'closed', 'closed before start')
  await tel.start()
  t.equal(tel.events.state(), 'open')
  t.equal(fake.lastUrl, '/ari/events?app=centralino&subscribeAll=true')
  fake.send(stasisStart('c1', ['inbound'], clock.now() - 250))
  await waitUntil(() => seen.length === 1, 10_000, 'the event')
  t.equal(seen[0]?.type, 'StasisStart')
  t.same(tel.events.stats(), { received: 1, malformed: 0, unknown: 0, reconnects: 0, lastLagMs: 250 })
  t.same(states, ['connecting', 'open'])
  t.equal(await tel.start().then(() => 'same'), 'same', 'start twice is harmless')
})

t.test('malformed frames and unknown types are counted and logged redacted; delivery continues', async (t) => {
  const { fake, tel, log, seen } = await setup(t)
  await tel.start()
  fake.send('{"type":"StasisStart","channel":{"caller":{"number":"+393331234567"}')
  fake.send(JSON.stringify(event('StasisStart', { args: [], channel: { id: 'c9', caller: { number: '3331234567' } } })))
  fake.send(event('ChannelCallerId', { caller_presentation: 0 }))
  fake.send(event('DeviceStateChanged', { device_state: {} }))
  fake.send(stasisStart('good'))
  await waitUntil(() => seen.length === 1, 10_000, 'the good event')
  t.equal(idOf(seen[0]!), 'good')
  t.match(tel.events.stats(), { received: 5, malformed: 2, unknown: 2 })
  const bad = log.find(/malformed ARI event/)
  t.equal(bad.length, 2)
  t.match(bad[1], { reason: /StasisStart: channel\.name: missing string/ })
  t.notOk(log.lines.join('\n').includes('3331234567'), 'no phone number in clear in the logs')
  t.equal(log.find(/not handled/).length, 2, 'unknown types logged at debug')
})

t.test('a throwing handler does not stop delivery to the others', async (t) => {
  const { fake, tel, log, seen } = await setup(t)
  tel.events.onEvent(() => {
    throw new Error('engine bug')
  })
  const after: string[] = []
  tel.events.onEvent((e) => after.push(idOf(e)))
  await tel.start()
  fake.send(stasisStart('a'))
  fake.send(stasisStart('b'))
  await waitUntil(() => after.length === 2, 10_000, 'both events')
  t.same(after, ['a', 'b'])
  t.equal(seen.length, 2)
  t.equal(log.find(/event handler failed/).length, 2)
})

t.test('on every open (the first too) resync handlers run before the events that arrived meanwhile', async (t) => {
  const { fake, tel, log } = await setup(t, { clock: undefined })
  const order: string[] = []
  const gate = deferred<void>()
  let opens = 0
  tel.events.onEvent((e) => order.push(`ev:${idOf(e)}`))
  tel.events.onResync(async () => {
    opens++
    order.push(`r1:start${opens}`)
    if (opens > 1) await gate.promise
    order.push(`r1:end${opens}`)
  })
  tel.events.onResync(async () => {
    throw new Error('list failed')
  })
  tel.events.onResync(async () => {
    order.push(`r3:${opens}`)
  })
  await tel.start()
  fake.send(stasisStart('A'))
  await waitUntil(() => order.includes('ev:A'), 10_000, 'A')
  t.same(order, ['r1:start1', 'r1:end1', 'r3:1', 'ev:A'], 'the first connect resyncs too (finding calls a previous run left)')

  fake.dropClients()
  await waitUntil(() => tel.events.stats().reconnects === 1 && fake.clients.size === 1, 10_000, 'the reconnect')
  await waitUntil(() => order.includes('r1:start2'), 10_000, 'resync started')
  fake.send(stasisStart('B'))
  fake.send(stasisStart('C'))
  await waitUntil(() => tel.events.stats().received === 3, 10_000, 'B and C received')
  t.ok(tel.events.resyncing())
  t.same(order.slice(4), ['r1:start2'], 'B and C held back')
  gate.resolve()
  await waitUntil(() => order.includes('ev:C'), 10_000, 'held events delivered')
  fake.send(stasisStart('D'))
  await waitUntil(() => order.includes('ev:D'), 10_000, 'live again')
  t.same(order.slice(4), ['r1:start2', 'r1:end2', 'r3:2', 'ev:B', 'ev:C', 'ev:D'])
  t.equal(log.find(/resync handler failed/).length, 2)
})

t.test('401 on the socket makes start() reject clearly, with no retry', async (t) => {
  const { fake, tel, clock } = await setup(t, {}, new FakeEvents({ password: 'something-else' }))
  const e = await tel.start().then(
    () => undefined,
    (err: unknown) => err,
  )
  t.ok(e instanceof AppError)
  t.match(e, { code: 'ARI_HTTP', message: /credentials of user "engine".*401/, details: { status: 401 } })
  t.equal(tel.events.state(), 'closed')
  t.equal(clock.pending(), 0, 'no reconnect scheduled')
  t.equal(fake.upgrades, 1)
})

t.test('401 after having been open is logged as an error and retried (the password may be fixed)', async (t) => {
  const { fake, tel, clock, log } = await setup(t)
  await tel.start()
  fake.setPassword('rotated')
  fake.dropClients()
  await waitUntil(() => tel.events.state() === 'connecting' && clock.pending() === 1, 10_000, 'first retry')
  clock.step()
  await waitUntil(() => fake.upgrades === 2 && clock.pending() === 1, 10_000, 'refused, retry scheduled')
  t.match(log.find(/credentials/)[0], { level: 50, msg: /401.*retrying/ })
  fake.setPassword('engine')
  clock.step()
  await waitUntil(() => tel.events.state() === 'open', 10_000, 'reopened')
  t.equal(tel.events.stats().reconnects, 1)
})

t.test('other refusals are retried until the socket opens', async (t) => {
  const fake = new FakeEvents()
  fake.refuseWith = 503
  const { tel, clock, log } = await setup(t, {}, fake)
  const started = tel.start()
  await waitUntil(() => clock.pending() === 1, 10_000, 'a retry scheduled')
  t.equal(tel.events.state(), 'connecting')
  t.match(log.find(/could not connect/)[0], { why: 'HTTP 503' })
  fake.refuseWith = undefined
  clock.step()
  await started
  t.equal(tel.events.state(), 'open')
  t.equal(fake.upgrades, 2)
})

t.test('stop() before the first open rejects start() and cancels the retry', async (t) => {
  const fake = new FakeEvents()
  fake.refuseWith = 503
  const { tel, clock } = await setup(t, {}, fake)
  const started = tel.start()
  await waitUntil(() => clock.pending() === 1, 10_000, 'a retry scheduled')
  await tel.stop()
  await t.rejects(started, { code: 'ARI_UNAVAILABLE', message: /stopped/ })
  t.equal(clock.pending(), 0)
  t.equal(tel.events.state(), 'closed')
  await t.rejects(tel.events.start(), { code: 'ARI_UNAVAILABLE' }, 'no start after stop')
  await t.rejects(tel.channels.list(), { code: 'ARI_UNAVAILABLE' }, 'the HTTP pool is closed too')
})

t.test('stop() while open closes the socket and nothing reconnects', async (t) => {
  const { fake, tel, clock } = await setup(t, { pingIntervalMs: 1_000 })
  await tel.start()
  t.equal(clock.pending(), 1, 'the ping timer')
  await tel.stop()
  t.equal(tel.events.state(), 'closed')
  t.equal(clock.pending(), 0, 'no ping, no reconnect')
  await waitUntil(() => fake.clients.size === 0, 10_000, 'the server sees the close')
  fake.send(stasisStart('late'))
  t.equal(fake.accepted, 1)
  await tel.stop()
})

t.test('ApplicationReplaced: delivered, logged as an error, socket closed, no reconnect', async (t) => {
  const { fake, tel, clock, log, seen } = await setup(t)
  await tel.start()
  fake.send({ type: 'ApplicationReplaced', timestamp: ariTimestamp(clock.now()), application: 'centralino', asterisk_id: '02:fc:00:00:00:01' })
  await waitUntil(() => tel.events.state() === 'closed', 10_000, 'closed')
  t.same(seen.map((e) => e.type), ['ApplicationReplaced'])
  t.ok(tel.events.replaced())
  t.equal(clock.pending(), 0, 'no reconnect')
  t.equal(log.find(/ApplicationReplaced/).length, 1)
  await waitUntil(() => fake.clients.size === 0, 10_000, 'the old socket closed at the server')
})
