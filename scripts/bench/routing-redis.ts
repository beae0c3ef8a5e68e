/**
 * Routing decision latency at national scale, on Redis: 10,000 waiting callers and 2,000
 * agents (20% ready) in a private redis-server; each decision reads the agents and the heads
 * of the queues, runs the pure routing policy and claims the first assignment's agent and
 * entry (compare-and-set), as the queue service does (acd/routing-read.ts); the claim is then
 * undone for the next round. For comparison it also times reading the whole queues, as the
 * service did before head reads, and checks both reads give the same plan. Prints p50/p99. Run: npx tsx scripts/bench/routing-redis.ts [--waiting N] [--agents N] [--rounds N]
 */
import path from 'node:path'
import { parseArgs } from 'node:util'
import { planAssignments } from '../../src/acd/routing.js'
import { planFromHeads } from '../../src/acd/routing-read.js'
import { createRedisStore, seedRedisStore, syntheticLoad } from '../../src/adapters/redis/index.js'
import { readSections } from '../../src/config/sections.js'
import type { QueueEntry } from '../../src/domain/acd.js'
import { startBenchRedis } from './redis-server.js'

export interface RoutingBenchResult {
  waiting: number
  agents: number
  rounds: number
  readyShare?: number
  ms: Record<'agents' | 'heads' | 'claim' | 'total' | 'wholeRead' | 'wholeTotal', { p50: number; p99: number }>
  /** Entries the head read returned per decision (p50). */
  headEntries: number
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return Number(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!.toFixed(2))
}

export async function runRoutingBench(o: { waiting: number; agents: number; rounds: number; readyShare?: number }): Promise<RoutingBenchResult | undefined> {
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
    const load = syntheticLoad({ waiting: o.waiting, agents: o.agents, now, readyShare: o.readyShare ?? 0.2 })
    await seedRedisStore(store, load)
    const sections = readSections(path.resolve(import.meta.dirname, '../../config/sections.yaml')).config!.sections
    const ids = [...new Set(load.entries.map((e) => e.section))]
    const parts = { agents: [] as number[], heads: [] as number[], claim: [] as number[], total: [] as number[], wholeRead: [] as number[], wholeTotal: [] as number[] }
    const headEntries: number[] = []
    for (let r = 0; r < o.rounds; r++) {
      // Before head reads: every entry of every queue, then the plan.
      const w0 = performance.now()
      const lists = await Promise.all(ids.map((s) => store.queues.list(s)))
      const entries: QueueEntry[] = lists.flat()
      const w1 = performance.now()
      const wholePlan = planAssignments(entries, await store.agents.list(), { sections, now })
      parts.wholeRead.push(w1 - w0)
      parts.wholeTotal.push(performance.now() - w0)

      const t0 = performance.now()
      const agents = await store.agents.list()
      const t1 = performance.now()
      const { plan, read } = await planFromHeads(store.queues, ids, agents, { sections, now })
      const t2 = performance.now()
      if (JSON.stringify(plan) !== JSON.stringify(wholePlan)) throw new Error('head read planned differently from the whole queues')
      headEntries.push(read)
      const first = plan[0]
      if (!first) throw new Error('no assignment: the synthetic load has no ready agent')
      const claimed = await store.agents.transition(first.agentId, ['ready'], 'reserved', now, { callId: first.callId })
      const offered = claimed ? await store.queues.markOffered(first.callId, first.agentId) : false
      const t3 = performance.now()
      if (!claimed || !offered) throw new Error('claim failed in a single-engine benchmark')
      parts.agents.push(t1 - t0)
      parts.heads.push(t2 - t1)
      parts.claim.push(t3 - t2)
      parts.total.push(t3 - t0)
      await store.queues.markWaiting(first.callId)
      await store.agents.transition(first.agentId, ['reserved'], 'ready', now, { callId: undefined })
    }
    const ms = Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, { p50: pct(v, 50), p99: pct(v, 99) }])) as RoutingBenchResult['ms']
    return { ...o, ms, headEntries: pct(headEntries, 50) }
  } finally {
    await store.close()
    await redis.stop()
  }
}

export function formatRouting(r: RoutingBenchResult): string {
  const row = (k: keyof RoutingBenchResult['ms'], what: string) => `  ${what.padEnd(44)} ${String(r.ms[k].p50).padStart(8)} ${String(r.ms[k].p99).padStart(8)}`
  return [
    `routing decision on Redis: ${r.waiting} waiting, ${r.agents} agents (${Math.round((r.readyShare ?? 0.2) * 100)}% ready), ${r.rounds} decisions (ms)`,
    `  ${''.padEnd(44)} ${'p50'.padStart(8)} ${'p99'.padStart(8)}`,
    row('agents', 'read agents (Redis)'),
    row('heads', `read queue heads (${r.headEntries} entries) + plan`),
    row('claim', 'claim agent + entry (Lua compare-and-set)'),
    row('total', 'whole decision'),
    row('wholeRead', 'before: read every queue entry'),
    row('wholeTotal', 'before: whole decision without the claim'),
  ].join('\n')
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { waiting: { type: 'string', default: '10000' }, agents: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '100' }, 'ready-share': { type: 'string', default: '0.2' } } })
  const r = await runRoutingBench({ waiting: Number(values.waiting), agents: Number(values.agents), rounds: Number(values.rounds), readyShare: Number(values['ready-share']) })
  if (r) process.stdout.write(`${formatRouting(r)}\n`)
}
