/**
 * What a routing decision reads: the heads of the queues, not the queues. With R agents ready
 * at most R callers are served now, so the plan needs the first entries of each section in
 * service order plus the callers that may be skipped there (offered right now, held for a
 * preferred agent, a callback waiting for its retry time, a caller whose own requirements no
 * ready agent meets). The read starts at HEAD_MIN + 2R entries a section and grows (×4) only
 * while agents are left without a caller and some section was cut short, so the plan is the
 * one the whole queues would give; a national queue of 10,000 is read in full only when the
 * ready agents really cannot serve its head.
 *
 * Callers held for a preferred agent (continuity) may be anywhere in a long queue: the engine
 * that owns them passes their ids (`held`) and they are read one by one and planned with the
 * heads, so a returning citizen still goes first to the operator who served them last.
 */
import type { AgentRecord, QueueEntry } from '../domain/acd.js'
import type { QueueStore } from '../domain/store.js'
import { planAssignments, type Assignment, type RoutingContext } from './routing.js'

export const HEAD_MIN = 50

export interface HeadPlan {
  /** The entries read (heads and held callers), for the callers the plan names. */
  entries: QueueEntry[]
  plan: Assignment[]
  /** Entries read in all, and read rounds (1 unless the heads had to grow). */
  read: number
  rounds: number
}

export async function planFromHeads(
  queues: Pick<QueueStore, 'list' | 'get'>,
  sectionIds: readonly string[],
  agents: readonly AgentRecord[],
  ctx: RoutingContext,
  held: readonly string[] = [],
): Promise<HeadPlan> {
  const ready = agents.reduce((n, a) => n + (a.state === 'ready' ? 1 : 0), 0)
  if (ready === 0) return { entries: [], plan: [], read: 0, rounds: 0 }
  const extra = (await Promise.all(held.map((id) => queues.get(id)))).filter((e): e is QueueEntry => !!e)
  let limit = HEAD_MIN + 2 * ready
  for (let rounds = 1; ; rounds++) {
    const heads = await Promise.all(sectionIds.map((s) => queues.list(s, limit)))
    const seen = new Set<string>()
    const entries: QueueEntry[] = []
    for (const e of [...heads.flat(), ...extra]) {
      if (seen.has(e.callId)) continue
      seen.add(e.callId)
      entries.push(e)
    }
    const plan = planAssignments(entries, [...agents], ctx)
    const cut = heads.some((h) => h.length >= limit)
    if (plan.length >= ready || !cut) return { entries, plan, read: entries.length, rounds }
    limit *= 4
  }
}
