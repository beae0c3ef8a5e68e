/**
 * Routing decision latency at national scale, on Redis: 10,000 waiting callers and 2,000
 * agents in a private redis-server; each decision reads the queues and the agents, runs the
 * pure routing policy and claims the first assignment's agent and entry (compare-and-set),
 * as the queue service does; the claim is then undone for the next round. Prints p50/p99 of
 * each part. Run: npx tsx scripts/bench/routing-redis.ts [--waiting N] [--agents N] [--rounds N]
 */
import path from 'node:path'
import { parseArgs } from 'node:util'
import { planAssignments } from '../../src/acd/routing.js'
import { createRedisStore, seedRedisStore, syntheticLoad } from '../../src/adapters/redis/index.js'
import { readSections } from '../../src/config/sections.js'
import type { QueueEntry } from '../../src/domain/acd.js'
import { startBenchRedis } from './redis-server.js'

export interface RoutingBenchResult {
  waiting: number
  agents: number
  rounds: number
  ms: Record<'read' | 'plan' | 'claim' | 'total', { p50: number; p99: number }>
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return Number(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!.toFixed(2))
}

export async function runRoutingBench(o: { waiting: number; agents: number; rounds: number }): Promise<RoutingBenchResult | undefined> {
  const redis = startBenchRedis()
  if (!redis) {
    process.stdout.write('routing on Redis: skipped (redis-server is not installed)\n')
    return undefined
  }
  const store = createRedisStore({ url: redis.url, prefix: 'bench-routing' })
  try {
    for (let i = 0; i < 100; i++) {
      try {
        await store.ready()
        break
      } catch {
        await new Promise((r) => setTimeout(r, 100))
      }
    }
    const now = Date.now()
    const load = syntheticLoad({ waiting: o.waiting, agents: o.agents, now })
    await seedRedisStore(store, load)
    const sections = readSections(path.resolve(import.meta.dirname, '../../config/sections.yaml')).config!.sections
    const ids = [...new Set(load.entries.map((e) => e.section))]
    const parts = { read: [] as number[], plan: [] as number[], claim: [] as number[], total: [] as number[] }
    for (let r = 0; r < o.rounds; r++) {
      const t0 = performance.now()
      const lists = await Promise.all(ids.map((s) => store.queues.list(s)))
      const entries: QueueEntry[] = lists.flat()
      const agents = await store.agents.list()
      const t1 = performance.now()
      const plan = planAssignments(entries, agents, { sections, now })
      const t2 = performance.now()
      const first = plan[0]
      if (!first) throw new Error('no assignment: the synthetic load has no ready agent')
      const claimed = await store.agents.transition(first.agentId, ['ready'], 'reserved', now, { callId: first.callId })
      const offered = claimed ? await store.queues.markOffered(first.callId, first.agentId) : false
      const t3 = performance.now()
      if (!claimed || !offered) throw new Error('claim failed in a single-engine benchmark')
      parts.read.push(t1 - t0)
      parts.plan.push(t2 - t1)
      parts.claim.push(t3 - t2)
      parts.total.push(t3 - t0)
      await store.queues.markWaiting(first.callId)
      await store.agents.transition(first.agentId, ['reserved'], 'ready', now, { callId: undefined })
    }
    const ms = Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, { p50: pct(v, 50), p99: pct(v, 99) }])) as RoutingBenchResult['ms']
    return { ...o, ms }
  } finally {
    await store.close()
    await redis.stop()
  }
}

export function formatRouting(r: RoutingBenchResult): string {
  const row = (k: keyof RoutingBenchResult['ms'], what: string) => `  ${what.padEnd(44)} ${String(r.ms[k].p50).padStart(8)} ${String(r.ms[k].p99).padStart(8)}`
  return [
    `routing decision on Redis: ${r.waiting} waiting, ${r.agents} agents, ${r.rounds} decisions (ms)`,
    `  ${''.padEnd(44)} ${'p50'.padStart(8)} ${'p99'.padStart(8)}`,
    row('read', 'read queues + agents (Redis)'),
    row('plan', 'routing policy (pure)'),
    row('claim', 'claim agent + entry (Lua compare-and-set)'),
    row('total', 'whole decision'),
  ].join('\n')
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { waiting: { type: 'string', default: '10000' }, agents: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '100' } } })
  const r = await runRoutingBench({ waiting: Number(values.waiting), agents: Number(values.agents), rounds: Number(values.rounds) })
  if (r) process.stdout.write(`${formatRouting(r)}\n`)
}
