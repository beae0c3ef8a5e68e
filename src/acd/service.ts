/**
 * Queue service: callers join and leave section queues, agents change state, and every such
 * change triggers a dispatch that offers waiting callers to ready agents (routing policy in
 * routing.ts). Ringing the agent and bridging are the connector's job (calls/); this service
 * decides and keeps the books: a claimed agent is reserved atomically in the Store, a caller
 * whose agent does not answer goes back to its place, the agent is paused.
 */
import type { AgentDef, AgentRecord, AgentState, QueueEntry, SectionDef } from '../domain/acd.js'
import type { Clock, TimerHandle } from '../domain/clock.js'
import type { NewCallEvent } from '../domain/events.js'
import type { Logger } from '../domain/log.js'
import type { Store } from '../domain/store.js'
import { callersAhead, planAssignments } from './routing.js'

export interface ConnectRequest {
  callId: string
  agent: AgentRecord
  section: SectionDef
}

export type ConnectResult =
  | { kind: 'answered' }
  | { kind: 'no_answer'; cause?: number }
  | { kind: 'caller_gone' }
  | { kind: 'failed'; reason: string }

export interface AgentConnector {
  /** Rings the agent for the caller and, if answered, connects them. */
  connect(req: ConnectRequest): Promise<ConnectResult>
}

export interface AcdDeps {
  store: Store
  clock: Clock
  sections: SectionDef[]
  agents: AgentDef[]
  connector: AgentConnector
  log: Logger
  emit: (e: NewCallEvent) => void
  engineId?: string
}

export interface JoinParams {
  section: string
  priority?: number
  lang: string
  /** Keep an earlier entry time (transfers, retries): the caller loses no place. */
  enteredAt?: number
}

export interface AcdSnapshot {
  sections: Array<{ id: string; waiting: number; offered: number; longestWaitMs: number }>
  agents: Record<AgentState, number>
}

export class AcdService {
  private readonly sections: Map<string, SectionDef>
  private readonly timers = new Map<string, TimerHandle>()
  private dispatching = false
  private again = false
  private stopped = false
  private readonly inflight = new Set<Promise<void>>()

  constructor(private readonly d: AcdDeps) {
    this.sections = new Map(d.sections.map((s) => [s.id, s]))
  }

  section(id: string): SectionDef | undefined {
    return this.sections.get(id)
  }

  operatorSection(): SectionDef {
    const s = this.d.sections.find((x) => x.operator)
    if (!s) throw new Error('no operator section configured')
    return s
  }

  /** Registers the configured agents; with loginAll they start ready. */
  async start(loginAll: boolean): Promise<void> {
    const now = this.d.clock.now()
    for (const a of this.d.agents) {
      const existing = await this.d.store.agents.get(a.id)
      if (existing) continue
      await this.d.store.agents.upsert({ ...a, state: loginAll ? 'ready' : 'logged_out', since: now, idleSince: now })
    }
    this.dispatch()
  }

  async stop(): Promise<void> {
    this.stopped = true
    for (const t of this.timers.values()) t.cancel()
    this.timers.clear()
    await Promise.allSettled([...this.inflight])
  }

  async join(callId: string, p: JoinParams): Promise<{ ahead: number }> {
    const section = this.sections.get(p.section)
    if (!section) throw new Error(`unknown section ${p.section}`)
    const now = this.d.clock.now()
    const entry = await this.d.store.queues.enqueue({
      callId,
      section: section.id,
      priority: p.priority ?? 0,
      enteredAt: p.enteredAt ?? now,
      lang: p.lang,
      status: 'waiting',
      engineId: this.d.engineId,
    })
    const ahead = (await this.ahead(callId)) ?? 0
    this.d.emit({ type: 'queue.entered', callId, section: entry.section, priority: entry.priority, position: ahead + 1 })
    this.dispatch()
    return { ahead }
  }

  /** Removes the caller from its queue (hangup, transfer); reports an abandon when asked. */
  async leave(callId: string, reason: 'abandoned' | 'connected' | 'transferred'): Promise<QueueEntry | undefined> {
    const ahead = reason === 'abandoned' ? await this.ahead(callId) : undefined
    const entry = await this.d.store.queues.remove(callId)
    if (entry && reason === 'abandoned') {
      const waitMs = this.d.clock.now() - entry.enteredAt
      this.d.emit({ type: 'queue.abandoned', callId, section: entry.section, waitMs, position: (ahead ?? 0) + 1 })
    }
    return entry
  }

  entry(callId: string): Promise<QueueEntry | undefined> {
    return this.d.store.queues.get(callId)
  }

  async ahead(callId: string): Promise<number | undefined> {
    const entry = await this.d.store.queues.get(callId)
    if (!entry) return undefined
    return callersAhead(await this.d.store.queues.list(entry.section), callId)
  }

  /** The agent's call is over: wrap-up for the section's time, then ready. */
  async agentCallEnded(agentId: string, sectionId: string): Promise<void> {
    const wrap = this.sections.get(sectionId)?.wrapUpSec ?? 0
    const a = await this.transition(agentId, ['on_call', 'reserved'], wrap > 0 ? 'wrap_up' : 'ready', { callId: undefined, idleSince: this.d.clock.now() })
    if (!a) return
    if (wrap > 0) this.later(agentId, wrap * 1000, ['wrap_up'])
    else this.dispatch()
  }

  async setReady(agentId: string): Promise<boolean> {
    const a = await this.transition(agentId, ['logged_out', 'paused', 'wrap_up'], 'ready', { idleSince: this.d.clock.now() })
    if (a) this.dispatch()
    return !!a
  }

  async pause(agentId: string, reason: string): Promise<boolean> {
    return !!(await this.transition(agentId, ['ready', 'wrap_up'], 'paused', { pauseReason: reason }))
  }

  async snapshot(): Promise<AcdSnapshot> {
    const now = this.d.clock.now()
    const sections = []
    for (const s of this.d.sections) {
      const entries = await this.d.store.queues.list(s.id)
      sections.push({
        id: s.id,
        waiting: entries.filter((e) => e.status === 'waiting').length,
        offered: entries.filter((e) => e.status === 'offered').length,
        longestWaitMs: entries.reduce((m, e) => Math.max(m, now - e.enteredAt), 0),
      })
    }
    const agents: Record<AgentState, number> = { logged_out: 0, ready: 0, reserved: 0, on_call: 0, wrap_up: 0, paused: 0 }
    for (const a of await this.d.store.agents.list()) agents[a.state]++
    return { sections, agents }
  }

  /** Offers waiting callers to ready agents; runs one at a time, again if asked meanwhile. */
  dispatch(): void {
    if (this.stopped) return
    if (this.dispatching) {
      this.again = true
      return
    }
    this.dispatching = true
    this.track(
      (async () => {
        try {
          do {
            this.again = false
            await this.dispatchOnce()
          } while (this.again && !this.stopped)
        } catch (err) {
          this.d.log.error({ err }, 'dispatch failed')
        } finally {
          this.dispatching = false
        }
      })(),
    )
  }

  private async dispatchOnce(): Promise<void> {
    const entries: QueueEntry[] = []
    for (const s of this.d.sections) entries.push(...(await this.d.store.queues.list(s.id)))
    const plan = planAssignments(entries, await this.d.store.agents.list())
    for (const p of plan) {
      const agent = await this.transition(p.agentId, ['ready'], 'reserved', { callId: p.callId })
      if (!agent) continue
      if (!(await this.d.store.queues.markOffered(p.callId, p.agentId))) {
        await this.transition(p.agentId, ['reserved'], 'ready', { callId: undefined })
        continue
      }
      const section = this.sections.get(p.section)!
      this.d.emit({ type: 'agent.offered', callId: p.callId, section: section.id, agentId: agent.id })
      this.track(this.offer(p.callId, agent, section))
    }
  }

  private async offer(callId: string, agent: AgentRecord, section: SectionDef): Promise<void> {
    let result: ConnectResult
    try {
      result = await this.d.connector.connect({ callId, agent, section })
    } catch (err) {
      result = { kind: 'failed', reason: err instanceof Error ? err.message : String(err) }
    }
    switch (result.kind) {
      case 'answered': {
        const entry = await this.d.store.queues.remove(callId)
        await this.transition(agent.id, ['reserved'], 'on_call', { callId })
        const waitMs = entry ? this.d.clock.now() - entry.enteredAt : 0
        this.d.emit({ type: 'queue.connected', callId, section: section.id, agentId: agent.id, waitMs })
        break
      }
      case 'no_answer':
      case 'failed': {
        const cause = result.kind === 'no_answer' ? result.cause : undefined
        this.d.emit({ type: 'agent.no_answer', callId, section: section.id, agentId: agent.id, cause })
        await this.d.store.queues.markWaiting(callId)
        const reason = result.kind === 'no_answer' ? 'no-answer' : 'unreachable'
        if (await this.transition(agent.id, ['reserved'], 'paused', { pauseReason: reason, callId: undefined })) {
          this.later(agent.id, section.noAnswerPauseSec * 1000, ['paused'])
        }
        this.d.log.warn({ agentId: agent.id, callId, reason }, 'agent did not answer; caller back to its place')
        break
      }
      case 'caller_gone':
        await this.transition(agent.id, ['reserved'], 'ready', { callId: undefined })
        break
    }
    this.dispatch()
  }

  private transition(
    id: string,
    from: AgentState[],
    to: AgentState,
    patch?: Partial<Pick<AgentRecord, 'pauseReason' | 'callId' | 'idleSince'>>,
  ): Promise<AgentRecord | undefined> {
    const t = this.timers.get(id)
    if (t) {
      t.cancel()
      this.timers.delete(id)
    }
    return this.d.store.agents.transition(id, from, to, this.d.clock.now(), patch)
  }

  /** Makes the agent ready after ms, if still in one of `from` by then. */
  private later(agentId: string, ms: number, from: AgentState[]): void {
    const t = this.d.clock.setTimeout(() => {
      this.timers.delete(agentId)
      this.track(
        this.d.store.agents.transition(agentId, from, 'ready', this.d.clock.now(), { idleSince: this.d.clock.now() }).then((a) => {
          if (a) this.dispatch()
        }),
      )
    }, ms)
    this.timers.set(agentId, t)
  }

  private track(p: Promise<unknown>): void {
    const q = p.then(
      () => undefined,
      (err) => this.d.log.error({ err }, 'queue task failed'),
    )
    this.inflight.add(q)
    void q.finally(() => this.inflight.delete(q))
  }
}
