/**
 * The queue service's read-only views: a caller's place and estimated wait (what the
 * announcements say), what a caller joining each section now would be told (wallboard), and
 * the snapshot of the queues and agents (wallboard, metrics). They read the store and the
 * service's live configuration and learned figures, and change nothing.
 */
import type { AgentRecord, AgentState, QueueEntry, SectionDef } from '../domain/acd.js'
import type { Clock } from '../domain/clock.js'
import type { Store } from '../domain/store.js'
import { DEFAULT_HANDLE_SEC, estimateWait, type QueueOutcomes } from './ewt.js'
import type { AgentBook } from './agent-book.js'
import { callersAhead, servingAgents } from './routing.js'
import type { AcdSnapshot, QueueStatus } from './types.js'

export interface QueueViewSources {
  store: Pick<Store, 'queues' | 'agents'>
  clock: Clock
  /** The sections now (the map the routing reads: a reconfiguration replaces its content). */
  sections: ReadonlyMap<string, SectionDef>
  /** Agent records with the configured skills and sections, retired agents left out. */
  agentsNow(): Promise<AgentRecord[]>
  handleTimes: AgentBook['handleTimes']
  outcomes: QueueOutcomes
}

export class QueueViews {
  constructor(private readonly s: QueueViewSources) {}

  /** The caller's entry, callers ahead and estimated wait; undefined when it is not queued. */
  async status(callId: string, withWait = true): Promise<QueueStatus | undefined> {
    const entries = await this.allEntries()
    const entry = entries.find((e) => e.callId === callId)
    if (!entry) return undefined
    const agents = await this.s.agentsNow()
    const ctx = { sections: this.s.sections, now: this.s.clock.now(), agents }
    const ahead = callersAhead(entries, callId, ctx) ?? 0
    if (!withWait) return { entry, ahead, waitSec: undefined }
    const prior = this.s.sections.get(entry.section)?.expectedHandleSec ?? DEFAULT_HANDLE_SEC
    const serving = servingAgents(entry, agents, ctx).map((a) => ({ state: a.state, handleSec: this.s.handleTimes.agent(entry.section, a.id, prior) }))
    return { entry, ahead, waitSec: estimateWait({ ahead, agents: serving, abandonShare: this.s.outcomes.abandonShare(entry.section) }) }
  }

  /**
   * What a caller joining each section now would be told (wallboard), given how many wait there
   * (the snapshot the caller already read: everyone waiting is ahead of it); the estimate uses
   * the agents who would serve it and their handle times. The agents are read once for all.
   * Undefined for a section nobody serves, or an unknown one.
   */
  async sectionEstimates(waiting: Readonly<Record<string, number>>): Promise<Record<string, number | undefined>> {
    const now = this.s.clock.now()
    const agents = await this.s.agentsNow()
    const out: Record<string, number | undefined> = {}
    for (const [sectionId, ahead] of Object.entries(waiting)) {
      const section = this.s.sections.get(sectionId)
      if (!section) {
        out[sectionId] = undefined
        continue
      }
      const probe: QueueEntry = { callId: 'wallboard-probe', section: sectionId, priority: 0, enteredAt: now, seq: Number.MAX_SAFE_INTEGER, lang: 'it', status: 'waiting' }
      const prior = section.expectedHandleSec ?? DEFAULT_HANDLE_SEC
      const serving = servingAgents(probe, agents, { sections: this.s.sections, now }).map((a) => ({ state: a.state, handleSec: this.s.handleTimes.agent(sectionId, a.id, prior) }))
      out[sectionId] = estimateWait({ ahead, agents: serving, abandonShare: this.s.outcomes.abandonShare(sectionId) })
    }
    return out
  }

  async snapshot(): Promise<AcdSnapshot> {
    const now = this.s.clock.now()
    const sections = []
    for (const s of this.s.sections.values()) {
      const entries = await this.s.store.queues.list(s.id)
      sections.push({
        id: s.id,
        waiting: entries.filter((e) => e.status === 'waiting').length,
        offered: entries.filter((e) => e.status === 'offered').length,
        longestWaitMs: entries.reduce((m, e) => Math.max(m, now - e.enteredAt), 0),
      })
    }
    const agents: Record<AgentState, number> = { logged_out: 0, ready: 0, reserved: 0, on_call: 0, wrap_up: 0, paused: 0 }
    for (const a of await this.s.store.agents.list()) agents[a.state]++
    return { sections, agents }
  }

  private async allEntries(): Promise<QueueEntry[]> {
    const entries: QueueEntry[] = []
    for (const s of this.s.sections.values()) entries.push(...(await this.s.store.queues.list(s.id)))
    return entries
  }
}
