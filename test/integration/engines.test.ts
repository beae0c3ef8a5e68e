/**
 * Many engines, one national queue: two engines, each driving its own (simulated) Asterisk,
 * share one Redis. Callers arrive on both servers; the agents serve both. No agent is ever
 * given two calls at once and no caller is served twice. Each Asterisk has its own
 * `systemname` (asterisk.conf), as a cluster needs: channel ids are then unique across servers.
 */
import path from 'node:path'
import t from 'tap'
import { createRedisStore } from '../../src/adapters/redis/index.js'
import { ScaledClock } from '../../src/domain/clock.js'
import type { CallEvent } from '../../src/domain/events.js'
import { officeMorning } from '../../src/demo/office-hours.js'
import { scriptFor, type Behaviour } from '../../src/demo/traffic.js'
import { readCatalogue } from '../../src/ivr/index.js'
import { catalogueDurations } from '../../src/prompts/durations.js'
import { startSimulator } from '../../src/sim/index.js'
import type { SimCall } from '../../src/sim/types.js'
import { waitUntil } from '../helpers/async.js'
import { startRedisServer } from '../helpers/redis-server.js'
import { startHarness, type Harness } from './harness.js'

const ROOT = path.resolve(import.meta.dirname, '../..')

t.test('two engines on two servers share the queues: no agent gets two calls, no caller is served twice', async (t) => {
  const redis = await startRedisServer(t)
  if (!redis) return
  const clock = new ScaledClock(8, officeMorning(Date.now()))
  const catalogue = readCatalogue(path.join(ROOT, 'prompts/catalogue.yaml')).catalogue!
  const durations = catalogueDurations(catalogue, path.join(ROOT, 'prompts/audio'))
  const sims = await Promise.all(
    ['A', 'B'].map((id) => startSimulator({ clock, asteriskId: `ast-${id}`, systemName: `ast-${id.toLowerCase()}`, users: { engine: 'engine' }, soundDuration: durations, phones: () => ({ answerAfterMs: 500 + Math.floor(Math.random() * 1500) }) })),
  )
  t.teardown(() => Promise.all(sims.map((s) => s.close())))
  const stores = sims.map(() => createRedisStore({ url: redis.url, prefix: 'engines-test' }))
  const engines: Harness[] = []
  for (const [i, sim] of sims.entries()) engines.push(await startHarness({ sim, clock, store: stores[i], engineId: `engine-${i}`, peerDispatchMs: 500 }))
  t.teardown(async () => {
    for (const e of engines) await e.close()
    for (const s of stores) await s.close()
  })

  // Random but reproducible mix of callers to the operators and the sections, on both servers.
  let seed = 42
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
  const kinds: Behaviour[] = ['operator', 'pensions', 'income', 'contributions']
  const calls: SimCall[] = []
  for (let i = 0; i < 40; i++) {
    const sim = sims[i % 2]!
    const script = scriptFor(kinds[i % kinds.length]!, rnd).map((s) => ('waitFor' in s && s.waitFor === 'bridged' ? { ...s, timeoutMs: 600_000 } : 'wait' in s && s.wait > 10_000 ? { wait: 4000 + Math.floor(rnd() * 6000) } : s))
    calls.push(sim.placeCall({ from: `+39333200${String(i).padStart(4, '0')}`, to: '803164', script }))
    await new Promise((r) => setTimeout(r, 20))
  }
  await Promise.all(calls.map((c) => c.done))
  await waitUntil(async () => (await stores[0]!.events.read()).filter((e) => e.type === 'call.ended').length >= calls.length, 30_000, 'every call ended in the log')

  const events = await stores[0]!.events.read()
  const connected = events.filter((e): e is Extract<CallEvent, { type: 'queue.connected' }> => e.type === 'queue.connected')
  const ended = new Map(events.filter((e) => e.type === 'call.ended').map((e) => [e.callId, e.at]))
  t.ok(connected.length >= 30, `most callers were served (${connected.length} of ${calls.length})`)
  const perCall = new Map<string, number>()
  for (const c of connected) perCall.set(c.callId, (perCall.get(c.callId) ?? 0) + 1)
  t.same([...perCall.values()].filter((n) => n > 1), [], 'no caller served twice')

  const byAgent = new Map<string, Array<[number, number]>>()
  for (const c of connected) {
    const list = byAgent.get(c.agentId) ?? []
    list.push([c.at, ended.get(c.callId) ?? Number.POSITIVE_INFINITY])
    byAgent.set(c.agentId, list)
  }
  const overlaps: string[] = []
  for (const [agent, list] of byAgent) {
    list.sort((a, b) => a[0] - b[0])
    for (let i = 1; i < list.length; i++) if (list[i]![0] < list[i - 1]![1]) overlaps.push(agent)
  }
  t.same(overlaps, [], 'no agent had two calls at once')
  const servedOn = new Map<string, Set<string>>()
  for (const c of connected) {
    const server = c.callId.startsWith('ast-a-') ? 'A' : 'B'
    servedOn.set(c.agentId, (servedOn.get(c.agentId) ?? new Set()).add(server))
  }
  t.ok([...servedOn.values()].some((s) => s.size === 2), 'agents served callers of both servers (one national queue)')
  const engineOf = new Set(connected.map((c) => c.engineId))
  t.equal(engineOf.size, 2, 'both engines connected callers')
})
