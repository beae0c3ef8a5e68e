import t from 'tap'
import { createAriTelephony } from '../../../src/adapters/ari/index.js'
import { SimClock } from '../../../src/domain/clock.js'
import { waitUntil } from '../../helpers/async.js'
import { captureLog } from './capture-log.js'
import { closedPort, FakeEvents } from './fake-ari.js'
import { stasisStart } from './fixtures.js'

t.test('reconnects forever: the server is killed and restarted three times', async (t) => {
  const fake = new FakeEvents()
  await fake.listen()
  let draws = 0
  const tel = createAriTelephony({
    url: fake.url,
    username: 'engine',
    password: 'engine',
    app: 'centralino',
    reconnect: { minMs: 10, maxMs: 80, jitter: 0.5 },
    random: () => {
      draws++
      return 0.5
    },
  })
  t.teardown(async () => {
    await tel.stop()
    await fake.close()
  })
  const states: string[] = []
  tel.events.onStateChange((s) => states.push(s))
  const seen: string[] = []
  tel.events.onEvent((e) => seen.push(e.type === 'StasisStart' ? e.channel.id : e.type))
  await tel.start()

  for (let round = 1; round <= 3; round++) {
    const before = draws
    await fake.kill()
    // Down "for a while": until the client has failed to connect three more times.
    await waitUntil(() => draws >= before + 4, 20_000, `round ${round}: failed attempts`)
    t.equal(tel.events.state(), 'connecting')
    await fake.restart()
    await waitUntil(() => tel.events.state() === 'open' && tel.events.stats().reconnects === round, 20_000, `round ${round}: back`)
    await waitUntil(() => fake.clients.size === 1, 10_000, 'the server sees the client')
    fake.send(stasisStart(`after-${round}`))
    await waitUntil(() => seen.includes(`after-${round}`), 10_000, `round ${round}: events flow`)
  }
  t.equal(tel.events.stats().reconnects, 3)
  t.equal(fake.accepted, 4)
  t.same(states, ['connecting', 'open', 'connecting', 'open', 'connecting', 'open', 'connecting', 'open'])
})

t.test('backoff delays stay within bounds, reset after a stable connection, and never give up', async (t) => {
  const port = await closedPort()
  const clock = new SimClock()
  const log = captureLog('warn')
  const tel = createAriTelephony({
    url: `http://127.0.0.1:${port}/ari`,
    username: 'engine',
    password: 'engine',
    app: 'centralino',
    clock,
    logger: log.logger,
    reconnect: { minMs: 100, maxMs: 1000, jitter: 0.5, stableMs: 3000 },
    pingIntervalMs: 1e9,
    random: () => 0.5,
  })
  const fake = new FakeEvents()
  t.teardown(async () => {
    await tel.stop()
    await fake.close()
  })
  const nextDelay = async (what: string): Promise<number> => {
    await waitUntil(() => tel.events.state() === 'connecting' && clock.pending() === 1, 10_000, what)
    return clock.nextAt()! - clock.now()
  }

  const started = tel.start()
  const delays: number[] = []
  for (let i = 0; i < 12; i++) {
    delays.push(await nextDelay(`failure ${i + 1}`))
    clock.step()
  }
  // base = min(1000, 100 * 2^n), drawn at 0.5 with jitter 0.5 -> base * 0.75
  t.same(delays, [75, 150, 300, 600, 750, 750, 750, 750, 750, 750, 750, 750])
  t.equal(log.find(/could not connect/).length, 12)

  t.equal(await nextDelay('failure 13'), 750)
  await fake.listen(port)
  clock.step()
  await started
  t.equal(tel.events.stats().reconnects, 0, 'the first open is not a reconnect')

  // Open for longer than stableMs: the next failure starts the backoff again.
  clock.advance(3000)
  fake.dropClients()
  t.equal(await nextDelay('after a stable connection'), 75)
  clock.step()
  await waitUntil(() => tel.events.state() === 'open', 10_000, 'reopened')
  t.equal(tel.events.stats().reconnects, 1)

  // Dropped at once: the backoff keeps growing (no tight loop against a flapping server).
  fake.dropClients()
  t.equal(await nextDelay('after a short-lived connection'), 150)
  clock.step()
  await waitUntil(() => tel.events.state() === 'open' && tel.events.stats().reconnects === 2, 10_000, 'reopened again')
})

t.test('a server that stops answering pings is terminated and reconnected', async (t) => {
  const fake = new FakeEvents()
  await fake.listen()
  const log = captureLog('warn')
  const tel = createAriTelephony({
    url: fake.url,
    username: 'engine',
    password: 'engine',
    app: 'centralino',
    logger: log.logger,
    pingIntervalMs: 20,
    pongTimeoutMs: 1000,
    reconnect: { minMs: 10, maxMs: 50 },
  })
  t.teardown(async () => {
    await tel.stop()
    await fake.close()
  })
  await tel.start()
  await waitUntil(() => fake.pings >= 3, 10_000, 'three pings answered')
  t.equal(tel.events.stats().reconnects, 0, 'answered pings keep the socket')
  t.equal(fake.accepted, 1)

  fake.answerPings = false
  await waitUntil(() => fake.accepted >= 2, 20_000, 'a new connection')
  fake.answerPings = true
  await waitUntil(() => tel.events.state() === 'open' && tel.events.stats().reconnects >= 1, 20_000, 'reconnected')
  t.ok(log.find(/no pong/).length >= 1, 'the missing pong is logged')
})
