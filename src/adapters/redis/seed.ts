/**
 * Fast loading of a Redis store for benchmarks and load tests: queue entries and agents written
 * through the same scripts as the store (same layout, same order), pipelined in batches and
 * without the replay guard. syntheticLoad() makes a national-sized picture to feed it.
 *
 *   const store = createRedisStore({ url, prefix: 'bench' })
 *   await seedRedisStore(store, syntheticLoad({ waiting: 10_000, agents: 2_000 }))
 */
import type { AgentRecord, AgentState, QueueEntry } from '../../domain/acd.js'
import { storeContext, type RedisStore } from './store.js'

export type SeedEntry = Omit<QueueEntry, 'seq'> & { seq?: number }

export interface SeedInput {
  entries?: Iterable<SeedEntry>
  agents?: Iterable<AgentRecord>
  /** Commands per pipeline (default 1000). */
  batch?: number
}

/** Writes the entries and agents (replacing any with the same ids); returns how many of each. */
export async function seedRedisStore(store: RedisStore, input: SeedInput): Promise<{ entries: number; agents: number }> {
  const ctx = storeContext(store)
  const batch = input.batch ?? 1000
  const noGuard = ctx.keys.op('-')
  let p = ctx.client.pipeline()
  const flush = async () => {
    if (p.length === 0) return
    const results = (await p.exec()) ?? []
    const failed = results.find(([err]) => err)
    if (failed) throw failed[0]
    p = ctx.client.pipeline()
  }
  let entries = 0
  for (const e of input.entries ?? []) {
    ctx.scripts.queue(p, 'enqueue', ctx.enqueueKeys(e.section, noGuard), ctx.enqueueArgs(e, 0))
    entries++
    if (p.length >= batch) await flush()
  }
  let agents = 0
  for (const a of input.agents ?? []) {
    ctx.scripts.queue(p, 'agent-upsert', ctx.upsertKeys(noGuard), ctx.upsertArgs(a, 0))
    agents++
    if (p.length >= batch) await flush()
  }
  await flush()
  return { entries, agents }
}

export interface SyntheticLoadOptions {
  waiting: number
  agents: number
  sections?: string[]
  /** Time of the picture (ms); entries entered up to `spreadMs` before it (default 10 min). */
  now?: number
  spreadMs?: number
  /** Share of agents ready (the rest on call), default 0.2. */
  readyShare?: number
  /** Deterministic pseudo-random seed. */
  seed?: number
}

/** A deterministic national picture: waiting callers spread over sections and time, agents in several sections. */
export function syntheticLoad(o: SyntheticLoadOptions): { entries: SeedEntry[]; agents: AgentRecord[] } {
  const sections = o.sections ?? ['operators', 'pensions', 'income_support', 'contributions']
  const now = o.now ?? 1_700_000_000_000
  const spread = o.spreadMs ?? 600_000
  const readyShare = o.readyShare ?? 0.2
  let x = o.seed ?? 1
  const rnd = () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0
    return x / 2 ** 32
  }
  const pick = <T>(a: T[]): T => a[Math.floor(rnd() * a.length)]!
  const entries: SeedEntry[] = []
  for (let i = 0; i < o.waiting; i++) {
    entries.push({
      callId: `call-${i}`,
      section: pick(sections),
      priority: rnd() < 0.05 ? 5 : 0,
      enteredAt: now - Math.floor(rnd() * spread),
      lang: rnd() < 0.9 ? 'it' : 'en',
      status: 'waiting',
    })
  }
  const agents: AgentRecord[] = []
  for (let i = 0; i < o.agents; i++) {
    const mine = sections.filter(() => rnd() < 0.5)
    const state: AgentState = rnd() < readyShare ? 'ready' : 'on_call'
    agents.push({
      id: `agent-${i}`,
      name: `Agent ${i}`,
      endpoint: `PJSIP/agent-${i}`,
      sections: mine.length > 0 ? mine : [pick(sections)],
      state,
      since: now - Math.floor(rnd() * spread),
      idleSince: now - Math.floor(rnd() * spread),
    })
  }
  return { entries, agents }
}
