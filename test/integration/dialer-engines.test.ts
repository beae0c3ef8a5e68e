/**
 * Two engines, each with its own simulated Asterisk, dial one campaign kept in one Redis: the
 * store's claims keep every contact with one engine at a time, so no number ever has two calls
 * at once, and every dial placed on either server is one attempt recorded exactly once.
 */
import t from 'tap'
import { createRedisCampaignStore } from '../../src/adapters/redis/campaigns.js'
import { createRedisStore } from '../../src/adapters/redis/store.js'
import { ScaledClock } from '../../src/domain/clock.js'
import type { CallEvent } from '../../src/domain/events.js'
import { waitUntil } from '../helpers/async.js'
import { startRedisServer } from '../helpers/redis-server.js'
import { campaign, contacts, MONDAY_10_05, startDialerHarness, type DialerHarness } from './dialer-harness.js'

t.test('two engines, one campaign in Redis: never two calls to one number at once, every attempt accounted', async (t) => {
  const redis = await startRedisServer(t)
  if (!redis) return
  const clock = new ScaledClock(4, MONDAY_10_05)
  const stores = [createRedisStore({ url: redis.url, prefix: 'dialtwo' }), createRedisStore({ url: redis.url, prefix: 'dialtwo' })]
  t.teardown(() => Promise.all(stores.map((s) => s.close())))
  const engines: DialerHarness[] = []
  for (let i = 0; i < 2; i++) {
    const h = await startDialerHarness({ clock, campaigns: createRedisCampaignStore(stores[i]!), engineId: `engine-${i}`, seed: 11 + i })
    engines.push(h)
    t.teardown(() => h.close())
  }
  const [a] = engines
  const numbers = Array.from({ length: 40 }, (_, i) => `+39347200${String(i).padStart(4, '0')}`)
  // A mix: people (a short talk), busy and congestion; retries at once so contacts are dialed again while the other engine is busy too.
  for (const h of engines) {
    numbers.forEach((n, i) => {
      if (i % 4 === 1) h.callees.pin(n, { busy: true })
      else if (i % 4 === 2) h.callees.pin(n, { congestion: true })
      else h.callees.pin(n, { answerAfterMs: 800, hangupAfterMs: 1500 })
    })
  }
  const c = campaign({
    id: 'twin',
    mode: 'message',
    messageFlow: 'national',
    amd: false,
    maxChannels: 8,
    maxCallsPerSecond: 5,
    retries: { busy: { delayMinutes: 0, maxAttempts: 3 }, failed: { delayMinutes: 0, maxAttempts: 3 } },
  })
  await a!.campaigns.put(c, clock.now())
  await a!.campaigns.addContacts('twin', contacts(numbers))
  await a!.campaigns.setStatus('twin', 'running', clock.now())
  for (const h of engines) h.engine.app.dialer?.kick()
  await waitUntil(async () => (await a!.campaigns.get('twin'))?.status === 'completed', 120_000, 'the campaign to complete')
  await waitUntil(() => engines.every((h) => (h.engine.app.dialer?.active ?? 0) === 0), 30_000, 'calls to end')

  // Intervals of every call per number, from the ARI events each engine saw (its own server's channels).
  const intervals = new Map<string, Array<[number, number, number]>>()
  let dials = 0
  engines.forEach((h, i) => {
    const byChannel = new Map<string, { number: string; start: number; end?: number }>()
    for (const { e } of h.ari) {
      if (e.type === 'Dial' && e.dialstring) {
        const number = e.dialstring.split('@')[0]!
        byChannel.set(e.peer.id, { number, start: Date.parse(e.timestamp) })
        dials++
      } else if (e.type === 'ChannelDestroyed' && byChannel.has(e.channel.id)) byChannel.get(e.channel.id)!.end = Date.parse(e.timestamp)
    }
    for (const x of byChannel.values()) {
      const list = intervals.get(x.number) ?? []
      list.push([x.start, x.end ?? Number.POSITIVE_INFINITY, i])
      intervals.set(x.number, list)
    }
  })
  let overlaps = 0
  for (const list of intervals.values()) {
    list.sort((p, q) => p[0] - q[0])
    for (let k = 1; k < list.length; k++) if (list[k]![0] < list[k - 1]![1]) overlaps++
  }
  t.equal(overlaps, 0, 'no number had two calls at the same time')
  const perEngine = engines.map((h) => h.ari.filter((x) => x.e.type === 'Dial' && x.e.dialstring).length)
  t.ok(perEngine.every((n) => n > 0), `both engines dialed (${perEngine.join(' + ')})`)

  const attemptEvents: Array<Extract<CallEvent, { type: 'dial.attempt' }>> = []
  for (const h of engines) for (const e of await h.store.events.read()) if (e.type === 'dial.attempt') attemptEvents.push(e)
  const stats = await a!.campaigns.stats('twin')
  const recorded = Object.values(stats.byOutcome).reduce((x, y) => x + (y ?? 0), 0)
  t.equal(recorded, dials, `every dial is one attempt in the shared statistics (${dials})`)
  t.equal(attemptEvents.length, dials, 'and one dial.attempt event')
  t.same(stats.byOutcome, { reached: 20, busy: 30, failed: 30 }, 'people reached once; busy and congested numbers tried 3 times each')
  let attemptsOnContacts = 0
  for (const n of numbers) attemptsOnContacts += (await a!.campaigns.getContact('twin', n))?.attempts ?? 0
  t.equal(attemptsOnContacts, dials, 'the contacts count the same attempts')
  const counts = await a!.campaigns.counts('twin')
  t.same(counts, { pending: 0, dialing: 0, done: 20, failed: 20, excluded: 0 })
})
