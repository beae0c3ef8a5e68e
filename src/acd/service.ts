/**
 * Queue service: callers join and leave section queues, agents change state, and every such
 * change triggers a dispatch that offers waiting callers to ready agents (routing policy in
 * routing.ts, with skills, relaxation, overflow and continuity). Ringing the agent and
 * bridging are the connector's job (calls/); this service decides and keeps the books: a
 * claimed agent is reserved atomically in the Store, a caller whose agent does not answer goes
 * back to its place, the agent is paused. Relaxation, overflow and continuity holds change with
 * time alone, so a dispatch is also timed for the next such change.
 *
 * It also keeps what the estimated wait needs (ewt.ts): the handle time of every call its
 * agents finish (from the offer to the end of wrap-up) and the share of callers who abandon,
 * in rolling windows in memory (per engine: each learns from the calls it handles); and it
 * records who served a citizen (store.history) when a call connects, for continuity.
 */
import { configuredAgent, type AgentDef, type AgentRecord, type QueueEntry, type SectionDef } from '../domain/acd.js'
import type { TimerHandle } from '../domain/clock.js'
import { AgentBook } from './agent-book.js'
import { interruptedCallback, placeCallback, type CallbackBooks } from './callback-offer.js'
import { QueueOutcomes } from './ewt.js'
import { CALLBACK_TAKEOVER_MS, type AcdDeps, type AcdSnapshot, type ConnectResult, type JoinParams, type QueueStatus } from './types.js'
import { nextRoutingChange, planAssignments } from './routing.js'
import { planFromHeads } from './routing-read.js'
import { QueueViews } from './views.js'

export type { AcdDeps, AcdSnapshot, AgentConnector, CallbackRequest, CallbackResult, ConnectRequest, ConnectResult, JoinParams, QueueStatus } from './types.js'
export { CALLBACK_TAKEOVER_MS } from './types.js'

export class AcdService {
  private readonly sections: Map<string, SectionDef>
  /** Configured agents: their skills and sections apply over whatever the store's records say. */
  private readonly defs: Map<string, AgentDef>
  /** Agents removed from the configuration while this engine runs: never routed to again. */
  private readonly retired = new Set<string>()
  private routeTimer: { at: number; handle: TimerHandle } | undefined
  readonly outcomes = new QueueOutcomes()
  private readonly agents: AgentBook
  private readonly books: CallbackBooks
  private readonly views: QueueViews
  private dispatching = false
  private peerTimer: TimerHandle | undefined
  private again = false
  private stopped = false
  private readonly inflight = new Set<Promise<void>>()
  /** Callback entries of other engines planned here: since when (for CALLBACK_TAKEOVER_MS). */
  private readonly callbackDue = new Map<string, number>()
  /** This engine's callers held for a preferred agent (continuity): callId -> hold end (ms). Read with the queue heads. */
  private readonly held = new Map<string, number>()

  constructor(private readonly d: AcdDeps) {
    this.sections = new Map(d.sections.map((s) => [s.id, s]))
    this.defs = new Map(d.agents.map((a) => [a.id, a]))
    this.agents = new AgentBook({ store: d.store, clock: d.clock, sections: this.sections, onReady: () => this.dispatch(), track: (p) => this.track(p) })
    this.books = { d, agents: this.agents, recordServed: (caller, agentId) => this.recordServed(caller, agentId) }
    this.views = new QueueViews({ store: d.store, clock: d.clock, sections: this.sections, agentsNow: () => this.agentsNow(), handleTimes: this.agents.handleTimes, outcomes: this.outcomes })
  }

  /** Handle times of the calls this engine connected (for the estimated wait). */
  get handleTimes() {
    return this.agents.handleTimes
  }

  section(id: string): SectionDef | undefined {
    return this.sections.get(id)
  }

  /** The sections in configuration order (they may change while the engine runs: reconfigure). */
  sectionList(): SectionDef[] {
    return [...this.sections.values()]
  }

  /**
   * A changed configuration (sections and agents, config/sections.yaml edited through the API)
   * applies from the next routing decision on: the maps every decision reads are replaced in
   * place (the agent book shares them); agents new to the store are registered logged out;
   * agents no longer configured are never offered a caller again. Callers already waiting keep
   * their entries (a section's id never changes). Then a dispatch: a skill just given may let an
   * agent take a caller at once.
   */
  async reconfigure(sections: readonly SectionDef[], agents: readonly AgentDef[]): Promise<void> {
    const now = this.d.clock.now()
    const ids = new Set(agents.map((a) => a.id))
    for (const id of this.defs.keys()) if (!ids.has(id)) this.retired.add(id)
    for (const id of ids) this.retired.delete(id)
    this.sections.clear()
    for (const s of sections) this.sections.set(s.id, s)
    this.defs.clear()
    for (const a of agents) this.defs.set(a.id, a)
    for (const a of agents) {
      if (await this.d.store.agents.get(a.id)) continue
      await this.d.store.agents.upsert({ ...a, state: 'logged_out', since: now, idleSince: now })
    }
    this.dispatch()
  }

  operatorSection(): SectionDef {
    const s = this.sectionList().find((x) => x.operator)
    if (!s) throw new Error('no operator section configured')
    return s
  }

  /** Registers the configured agents; with loginAll they start ready. */
  async start(loginAll: boolean): Promise<void> {
    const now = this.d.clock.now()
    for (const a of this.defs.values()) {
      const existing = await this.d.store.agents.get(a.id)
      if (existing) continue
      await this.d.store.agents.upsert({ ...a, state: loginAll ? 'ready' : 'logged_out', since: now, idleSince: now })
    }
    await this.agents.rearm(now)
    this.dispatch()
    if (this.d.peerDispatchMs) this.peerTick(this.d.peerDispatchMs)
  }

  private peerTick(every: number): void {
    if (this.stopped) return
    this.peerTimer = this.d.clock.setTimeout(() => {
      this.dispatch()
      this.peerTick(every)
    }, every)
  }

  /**
   * An offer that was in flight when its engine died: the caller goes back to waiting in its
   * place and the agent reserved for it is ready again.
   */
  async recoverOffer(callId: string): Promise<void> {
    const entry = await this.d.store.queues.get(callId)
    if (!entry || entry.status !== 'offered') return
    await this.d.store.queues.markWaiting(callId)
    if (entry.offeredTo) {
      const a = await this.d.store.agents.get(entry.offeredTo)
      if (a?.state === 'reserved' && a.callId === callId) await this.agents.release(a.id)
    }
    this.d.log.info({ callId, agentId: entry.offeredTo }, 'offer interrupted by an engine restart: caller back to its place')
    this.dispatch()
  }

  /** A recorded callback call whose engine is gone, found with a leg missing or still ringing: close its books. */
  async callbackInterrupted(cb: Parameters<typeof interruptedCallback>[1]): Promise<'ended' | 'requeued' | 'nothing'> {
    const r = await interruptedCallback(this.books, cb, (id) => this.recoverOffer(id))
    if (r === 'ended') this.dispatch()
    return r
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.peerTimer?.cancel()
    this.agents.stop()
    this.routeTimer?.handle.cancel()
    this.routeTimer = undefined
    await Promise.allSettled([...this.inflight])
  }

  async join(callId: string, p: JoinParams): Promise<{ ahead: number }> {
    const section = this.sections.get(p.section)
    if (!section) throw new Error(`unknown section ${p.section}`)
    const now = this.d.clock.now()
    const enteredAt = p.enteredAt ?? now
    const caller = p.caller ?? (await this.callerOf(callId))
    const entry = await this.d.store.queues.enqueue({
      callId,
      section: section.id,
      priority: p.priority ?? 0,
      enteredAt,
      lang: p.lang,
      status: 'waiting',
      engineId: this.d.engineId,
      ...(p.skills ? { callerSkills: Array.isArray(p.skills) ? Object.fromEntries(p.skills.map((k) => [k, 1])) : p.skills } : {}),
      ...(caller ? { caller } : {}),
      ...(await this.preference(section, caller, enteredAt, now)),
    })
    if (entry.preferredAgent && entry.preferredUntil !== undefined) this.held.set(callId, entry.preferredUntil)
    const ahead = (await this.ahead(callId)) ?? 0
    this.d.emit({ type: 'queue.entered', callId, section: entry.section, priority: entry.priority, position: ahead + 1 })
    this.dispatch()
    return { ahead }
  }

  /**
   * Continuity: the agent who served this citizen last, within the section's withinSec, and
   * before this call first queued (a caller transferred by an agent is not held for that agent).
   */
  private async preference(section: SectionDef, caller: string | undefined, enteredAt: number, now: number): Promise<Partial<QueueEntry>> {
    const c = section.continuity
    if (!caller || !c || c.withinSec <= 0 || c.holdSec <= 0) return {}
    try {
      const last = await this.d.store.history.lastServed(caller, now, c.withinSec * 1000)
      if (!last || last.at >= enteredAt) return {}
      return { preferredAgent: last.agentId, preferredUntil: now + c.holdSec * 1000 }
    } catch (err) {
      this.d.log.warn({ err }, 'caller history unavailable; routing without continuity')
      return {}
    }
  }

  private async callerOf(callId: string): Promise<string | undefined> {
    const n = await (this.d.store.calls?.get(callId) ?? Promise.resolve(undefined)).then(
      (r) => r?.callerNumber,
      () => undefined,
    )
    // Withheld or unknown numbers would all look like one citizen.
    return n && /^\+?\d{6,}$/.test(n) ? n : undefined
  }

  /** Removes the caller from its queue (hangup, transfer); reports an abandon when asked. */
  async leave(callId: string, reason: 'abandoned' | 'connected' | 'transferred'): Promise<QueueEntry | undefined> {
    // The caller hung up after asking to be called back: its entry stays, and it is no abandon.
    if (reason === 'abandoned' && (await this.d.store.queues.get(callId))?.kind === 'callback') return undefined
    const ahead = reason === 'abandoned' ? await this.ahead(callId) : undefined
    const entry = await this.d.store.queues.remove(callId)
    this.held.delete(callId)
    if (entry && reason === 'abandoned') {
      this.outcomes.record(entry.section, true)
      const waitMs = this.d.clock.now() - entry.enteredAt
      this.d.emit({ type: 'queue.abandoned', callId, section: entry.section, waitMs, position: (ahead ?? 0) + 1 })
    }
    return entry
  }

  /**
   * The waiting caller asks to be called back on `number`: its entry becomes a callback entry
   * in the same place (one pending callback per number, atomic in the store). On 'ok' the
   * caller may hang up: the entry stays and is no abandon.
   */
  async requestCallback(callId: string, number: string): Promise<'ok' | 'duplicate' | 'not_waiting' | 'disabled'> {
    const st = await this.status(callId, false)
    if (!st) return 'not_waiting'
    if (!this.sections.get(st.entry.section)?.callback?.enabled) return 'disabled'
    const now = this.d.clock.now()
    const r = await this.d.store.queues.enqueueCallback(callId, { number, requestedAt: now, attempts: 0, ...(this.d.engineId ? { engineId: this.d.engineId } : {}) })
    if (r === 'ok') {
      this.d.emit({ type: 'callback.requested', callId, section: st.entry.section, number, waitMs: now - st.entry.enteredAt, position: st.ahead + 1 })
      this.dispatch()
    }
    return r
  }

  /** An agent's record with its configured skills and sections. */
  async agentRecord(id: string): Promise<AgentRecord | undefined> {
    if (this.retired.has(id)) return undefined
    const a = await this.d.store.agents.get(id)
    const def = a && this.defs.get(a.id)
    return a && configuredAgent(a, def)
  }

  entry(callId: string): Promise<QueueEntry | undefined> {
    return this.d.store.queues.get(callId)
  }

  async ahead(callId: string): Promise<number | undefined> {
    return (await this.status(callId, false))?.ahead
  }

  /** The caller's entry, callers ahead and estimated wait; undefined when it is not queued (views.ts). */
  status(callId: string, withWait = true): Promise<QueueStatus | undefined> {
    return this.views.status(callId, withWait)
  }

  /** What a caller joining each section now would be told, given how many wait there (views.ts). */
  sectionEstimates(waiting: Readonly<Record<string, number>>): Promise<Record<string, number | undefined>> {
    return this.views.sectionEstimates(waiting)
  }

  snapshot(): Promise<AcdSnapshot> {
    return this.views.snapshot()
  }

  /** Agent records with the configured skills and sections (a config change applies at once). */
  private async agentsNow(): Promise<AgentRecord[]> {
    return (await this.d.store.agents.list()).filter((a) => !this.retired.has(a.id)).map((a) => configuredAgent(a, this.defs.get(a.id)))
  }

  /** The agent's call is over: wrap-up for the section's time, then ready. */
  async agentCallEnded(agentId: string, sectionId: string): Promise<void> {
    if ((await this.agents.callEnded(agentId, sectionId)) === 'ready') this.dispatch()
  }

  /**
   * Attended transfer: reserves the ready agent the routing rules would pick for a caller of
   * `sectionId` arriving now (best-skilled, then longest idle), for the operator to consult.
   * Undefined when nobody is free: the operator tries later or transfers blind.
   */
  async reserveForConsult(sectionId: string, callId: string, lang: string): Promise<{ agent: AgentRecord; section: SectionDef } | undefined> {
    const section = this.sections.get(sectionId)
    if (!section) return undefined
    const now = this.d.clock.now()
    const probe: QueueEntry = { callId: `consult:${callId}`, section: sectionId, priority: 0, enteredAt: now, seq: 0, lang, status: 'waiting' }
    const agents = await this.agentsNow()
    for (const p of planAssignments([probe], agents, { sections: this.sections, now })) {
      const agent = await this.agents.transition(p.agentId, ['ready'], 'reserved', { callId })
      if (agent) return { agent, section }
    }
    return undefined
  }

  /** The consulted agent answered: on a call (with the operator, then with the caller). */
  async consultAnswered(agentId: string, sectionId: string, callId: string): Promise<void> {
    await this.agents.connected(agentId, sectionId, callId, this.d.clock.now())
  }

  /**
   * The consultation ended without a transfer: after talking, wrap-up as after any call; a
   * phone that did not answer pauses the agent as a missed call does; called off while
   * ringing, the agent is simply ready again.
   */
  async consultReleased(agentId: string, sectionId: string, how: 'answered' | 'no_answer' | 'cancelled'): Promise<void> {
    if (how === 'answered') return this.agentCallEnded(agentId, sectionId)
    if (how === 'cancelled') {
      if (await this.agents.release(agentId)) this.dispatch()
      return
    }
    const section = this.sections.get(sectionId)
    if (section) await this.agents.missed(agentId, section, 'no-answer')
  }

  async setReady(agentId: string): Promise<boolean> {
    const a = await this.agents.transition(agentId, ['logged_out', 'paused', 'wrap_up'], 'ready', { idleSince: this.d.clock.now() })
    if (a) this.dispatch()
    return !!a
  }

  async pause(agentId: string, reason: string): Promise<boolean> {
    return !!(await this.agents.transition(agentId, ['ready', 'wrap_up'], 'paused', { pauseReason: reason }))
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
    const now = this.d.clock.now()
    for (const [id, until] of this.held) if (until <= now) this.held.delete(id)
    const agents = await this.agentsNow()
    // The heads of the queues (and this engine's held callers), not the whole queues: see routing-read.ts.
    const { entries, plan } = await planFromHeads(this.d.store.queues, this.sectionList().map((s) => s.id), agents, { sections: this.sections, now }, [...this.held.keys()])
    // Agents left ready with callers waiting: time may make them eligible (relaxation, overflow,
    // a hold ending, a callback's retry time). With nobody ready, the next agent to become
    // ready dispatches anyway.
    if (agents.filter((a) => a.state === 'ready').length > plan.length) this.timeNextDispatch(nextRoutingChange(entries, this.sections, now))
    const byCall = new Map(entries.map((e) => [e.callId, e]))
    for (const id of this.callbackDue.keys()) if (!byCall.has(id)) this.callbackDue.delete(id)
    for (const p of plan) {
      const entry = byCall.get(p.callId)
      const callback = entry?.kind === 'callback' ? entry : undefined
      if (callback) {
        if (!this.d.connector.callback || !this.ownsCallback(callback, now)) continue
      } else if (this.d.owns && !this.d.owns(p.callId)) continue // another engine's caller: that engine makes this offer
      const agent = await this.agents.transition(p.agentId, ['ready'], 'reserved', { callId: p.callId })
      if (!agent) continue
      if (!(await this.d.store.queues.markOffered(p.callId, p.agentId))) {
        await this.agents.release(p.agentId)
        continue
      }
      const section = this.sections.get(p.section)!
      this.d.emit({ type: 'agent.offered', callId: p.callId, section: section.id, agentId: agent.id })
      if (callback) {
        this.callbackDue.delete(p.callId)
        this.track(placeCallback(this.books, callback, agent, section).then(() => this.dispatch()))
      } else this.track(this.offer(p.callId, agent, section))
    }
  }

  /**
   * Who places a callback: the engine that took the request (recall.engineId), or, with queues
   * shared between engines, any engine once the entry has been due there for
   * CALLBACK_TAKEOVER_MS (the requesting engine may be gone). One engine alone places them all.
   */
  private ownsCallback(e: QueueEntry, now: number): boolean {
    if (!this.d.owns) return true
    const owner = e.recall?.engineId
    if (!owner || owner === this.d.engineId) return true
    const since = this.callbackDue.get(e.callId) ?? now
    this.callbackDue.set(e.callId, since)
    return now - since >= CALLBACK_TAKEOVER_MS
  }

  /** Relaxation, overflow or a continuity hold ending changes who may take whom: dispatch then. */
  private timeNextDispatch(at: number | undefined): void {
    if (this.stopped || at === undefined) return
    if (this.routeTimer && this.routeTimer.at <= at) return
    this.routeTimer?.handle.cancel()
    const handle = this.d.clock.setTimeout(
      () => {
        if (this.routeTimer?.handle === handle) this.routeTimer = undefined
        this.dispatch()
      },
      Math.max(0, at - this.d.clock.now()),
    )
    this.routeTimer = { at, handle }
  }

  private async offer(callId: string, agent: AgentRecord, section: SectionDef): Promise<void> {
    const offeredAt = this.d.clock.now()
    let result: ConnectResult
    try {
      result = await this.d.connector.connect({ callId, agent, section })
    } catch (err) {
      result = { kind: 'failed', reason: err instanceof Error ? err.message : String(err) }
    }
    switch (result.kind) {
      case 'answered': {
        const entry = await this.d.store.queues.remove(callId)
        await this.agents.connected(agent.id, section.id, callId, offeredAt)
        if (entry) this.outcomes.record(entry.section, false)
        await this.recordServed(entry?.caller, agent.id)
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
        await this.agents.missed(agent.id, section, reason)
        this.d.log.warn({ agentId: agent.id, callId, reason }, 'agent did not answer; caller back to its place')
        break
      }
      case 'caller_gone':
        await this.agents.release(agent.id)
        // The caller asked for a callback as this offer was made: its entry waits for its turn.
        if ((await this.d.store.queues.get(callId))?.kind === 'callback') await this.d.store.queues.markWaiting(callId)
        break
    }
    this.dispatch()
  }

  /** Continuity: who served this citizen (a failure only costs the next hold). */
  private async recordServed(caller: string | undefined, agentId: string): Promise<void> {
    if (!caller) return
    await this.d.store.history.recordServed(caller, agentId, this.d.clock.now()).catch((err: unknown) => this.d.log.warn({ err }, 'could not record who served the caller'))
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
