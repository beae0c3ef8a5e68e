/**
 * What supervisors read and do on the queues beside routing: each section's live figures
 * (callers waiting, longest wait, agents who serve it), the pending callbacks with their place,
 * and cancelling one. Read from the store, so every engine sharing it answers the same.
 */
import { configuredAgent, type AgentDef, type AgentRecord, type QueueEntry, type SectionDef } from '../domain/acd.js'
import { AppError } from '../domain/errors.js'
import type { Store } from '../domain/store.js'
import { eligibility, isPresent, requirementOf, sectionMap } from './routing.js'

export interface SectionFigures {
  /** Callers (and callbacks) waiting, and those whose agent's phone rings right now. */
  waiting: number
  offered: number
  /** Callback entries among them. */
  callbacks: number
  longestWaitSec: number
  agents: {
    /** Agents who may take a caller of the section (members, or holding its skills). */
    serving: number
    /** Of those, logged in and not paused; and ready now. */
    present: number
    ready: number
  }
}

/** Store records with the configured sections and skills (configuredAgent: as the queue service routes them). */
export function configuredAgents(records: readonly AgentRecord[], defs: readonly AgentDef[]): AgentRecord[] {
  const byId = new Map(defs.map((d) => [d.id, d]))
  return records.map((a) => configuredAgent(a, byId.get(a.id)))
}

export async function sectionFigures(store: Pick<Store, 'queues' | 'agents'>, sections: readonly SectionDef[], defs: readonly AgentDef[], now: number): Promise<Record<string, SectionFigures>> {
  const agents = configuredAgents(await store.agents.list(), defs)
  const map = sectionMap(sections)
  const out: Record<string, SectionFigures> = {}
  for (const s of sections) {
    const entries = await store.queues.list(s.id)
    // Who may take a caller of the section who has just arrived (no language or own skills asked).
    const req = requirementOf({ callId: 'figures', section: s.id, priority: 0, enteredAt: now, seq: 0, lang: '', status: 'waiting' }, map, now)
    const serving = agents.filter((a) => eligibility(a, req, map) === 0)
    out[s.id] = {
      waiting: entries.filter((e) => e.status === 'waiting').length,
      offered: entries.filter((e) => e.status === 'offered').length,
      callbacks: entries.filter((e) => e.kind === 'callback').length,
      longestWaitSec: Math.round(entries.reduce((m, e) => Math.max(m, now - e.enteredAt), 0) / 1000),
      agents: { serving: serving.length, present: serving.filter(isPresent).length, ready: serving.filter((a) => a.state === 'ready').length },
    }
  }
  return out
}

export interface PendingCallback {
  id: string
  section: string
  /** Place in the section's queue (1 = next), callers and callbacks together. */
  position: number
  /** The number to call (unmasked here: the HTTP layer masks it). */
  number: string
  requestedAt: number
  attempts: number
  /** waiting its turn; calling (a call is being placed); retry_later (not reached, offered again from nextAttemptAt). */
  status: 'waiting' | 'calling' | 'retry_later'
  nextAttemptAt?: number
}

export async function pendingCallbacks(queues: Pick<Store['queues'], 'list'>, sections: readonly SectionDef[], now: number): Promise<PendingCallback[]> {
  const out: PendingCallback[] = []
  for (const s of sections) {
    const entries = await queues.list(s.id)
    entries.forEach((e, i) => {
      if (e.kind !== 'callback' || !e.recall) return
      const later = e.status === 'waiting' && e.notBefore !== undefined && e.notBefore > now
      out.push({
        id: e.callId,
        section: s.id,
        position: i + 1,
        number: e.recall.number,
        requestedAt: e.recall.requestedAt,
        attempts: e.recall.attempts,
        status: e.status === 'offered' ? 'calling' : later ? 'retry_later' : 'waiting',
        ...(later ? { nextAttemptAt: e.notBefore! } : {}),
      })
    })
  }
  return out
}

/** The agent id an entry is claimed with while it is being cancelled (no agent has it). */
const CANCELLING = 'cancelled-by-supervisor'

/**
 * Cancels a pending callback: claimed first with the store's compare-and-set (markOffered
 * succeeds only while it waits), so no agent can be given it meanwhile, then removed.
 * NOT_FOUND when there is no such callback; CONFLICT while a call is being placed for it.
 */
export async function cancelCallback(queues: Pick<Store['queues'], 'get' | 'markOffered' | 'remove'>, id: string): Promise<QueueEntry> {
  const e = await queues.get(id)
  if (!e || e.kind !== 'callback') throw new AppError('NOT_FOUND', `no pending callback ${id}`)
  if (e.status === 'offered' || !(await queues.markOffered(id, CANCELLING))) {
    throw new AppError('CONFLICT', `callback ${id} is being placed right now; cancel it after the call`, { status: 'calling' })
  }
  return (await queues.remove(id)) ?? e
}
