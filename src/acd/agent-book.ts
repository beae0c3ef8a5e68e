/**
 * The agents' side of the queue service: every agent state change goes through the store's
 * compare-and-set here, with the timers that end a wrap-up or a missed-call pause (they act only
 * on the state they were set for, and a starting engine sets them again from the store), and
 * the handle times of the calls this engine connected (for the estimated wait).
 */
import type { AgentRecord, AgentState, SectionDef } from '../domain/acd.js'
import type { Clock, TimerHandle } from '../domain/clock.js'
import type { Store } from '../domain/store.js'
import { HandleTimes } from './ewt.js'

type Patch = Partial<Pick<AgentRecord, 'pauseReason' | 'callId' | 'idleSince'>>

export interface AgentBookDeps {
  store: Store
  clock: Clock
  sections: ReadonlyMap<string, SectionDef>
  /** An agent became ready by a timer: offer it waiting callers. */
  onReady: () => void
  /** Runs a background task (errors logged, awaited on stop). */
  track: (p: Promise<unknown>) => void
}

export class AgentBook {
  readonly handleTimes = new HandleTimes()
  private readonly timers = new Map<string, TimerHandle>()
  /** Agents whose call this engine connected: section and time of the offer, for handle times. */
  private readonly busy = new Map<string, { section: string; since: number }>()

  constructor(private readonly d: AgentBookDeps) {}

  /** Compare-and-set through the store; any timer of the agent is dropped (it no longer applies). */
  transition(id: string, from: AgentState[], to: AgentState, patch?: Patch): Promise<AgentRecord | undefined> {
    const t = this.timers.get(id)
    if (t) {
      t.cancel()
      this.timers.delete(id)
    }
    return this.d.store.agents.transition(id, from, to, this.d.clock.now(), patch)
  }

  /** The reserved agent answered: on a call, its handle time counted from `since` (the offer). */
  async connected(agentId: string, sectionId: string, callId: string, since: number): Promise<void> {
    await this.transition(agentId, ['reserved'], 'on_call', { callId })
    this.busy.set(agentId, { section: sectionId, since })
  }

  /** The reserved agent did not answer (or could not be rung): paused until the section's pause ends. */
  async missed(agentId: string, section: SectionDef, reason: 'no-answer' | 'unreachable'): Promise<void> {
    const paused = await this.transition(agentId, ['reserved'], 'paused', { pauseReason: reason, callId: undefined })
    if (paused) this.later(agentId, section.noAnswerPauseSec * 1000, ['paused'], paused.since)
  }

  /** The reservation is off through no fault of the agent: ready again, keeping its idle order. */
  release(agentId: string): Promise<AgentRecord | undefined> {
    return this.transition(agentId, ['reserved'], 'ready', { callId: undefined })
  }

  /** The agent's call is over: wrap-up for the section's time (then ready), or ready at once. */
  async callEnded(agentId: string, sectionId: string): Promise<'wrap_up' | 'ready' | undefined> {
    const wrap = this.d.sections.get(sectionId)?.wrapUpSec ?? 0
    const b = this.busy.get(agentId)
    if (b) {
      this.busy.delete(agentId)
      this.handleTimes.record(b.section, agentId, (this.d.clock.now() - b.since) / 1000 + wrap)
    }
    const a = await this.transition(agentId, ['on_call', 'reserved'], wrap > 0 ? 'wrap_up' : 'ready', { callId: undefined, idleSince: this.d.clock.now() })
    if (!a) return undefined
    if (wrap > 0) this.later(agentId, wrap * 1000, ['wrap_up'], a.since)
    return a.state === 'wrap_up' ? 'wrap_up' : 'ready'
  }

  /**
   * Agents in wrap-up or paused after a missed call have a timer that ends it; timers die with
   * the engine that set them, so a starting engine sets them again from the store (whichever
   * engine fires first wins the compare-and-set; the others do nothing).
   */
  async rearm(now: number): Promise<void> {
    for (const a of await this.d.store.agents.list()) {
      const secs = a.sections.map((id) => this.d.sections.get(id)).filter((x): x is SectionDef => x !== undefined)
      if (a.state === 'wrap_up') {
        const wrap = Math.max(0, ...secs.map((x) => x.wrapUpSec))
        this.later(a.id, Math.max(0, a.since + wrap * 1000 - now), ['wrap_up'], a.since)
      } else if (a.state === 'paused' && (a.pauseReason === 'no-answer' || a.pauseReason === 'unreachable')) {
        const pause = Math.max(0, ...secs.map((x) => x.noAnswerPauseSec))
        this.later(a.id, Math.max(0, a.since + pause * 1000 - now), ['paused'], a.since)
      }
    }
  }

  stop(): void {
    for (const t of this.timers.values()) t.cancel()
    this.timers.clear()
  }

  /** Makes the agent ready after ms, if still in the state entered at `since` by then. */
  private later(agentId: string, ms: number, from: AgentState[], since: number): void {
    const t = this.d.clock.setTimeout(() => {
      this.timers.delete(agentId)
      this.d.track(
        (async () => {
          // Only the state this timer was set for: if the agent moved since (paused for lunch
          // through the API, another wrap-up), the timer is stale and does nothing.
          const cur = await this.d.store.agents.get(agentId)
          if (!cur || cur.since !== since || !from.includes(cur.state)) return
          const a = await this.d.store.agents.transition(agentId, from, 'ready', this.d.clock.now(), { idleSince: this.d.clock.now() })
          if (a) this.d.onReady()
        })(),
      )
    }, ms)
    this.timers.set(agentId, t)
  }
}
