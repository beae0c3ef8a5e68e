/**
 * The sessions of this engine: starts one per inbound channel entering the Stasis
 * application, hands queue offers to the right session (it is the queue service's
 * AgentConnector), and reconciles after the events socket comes back: channels that vanished
 * meanwhile end their sessions, inbound channels that arrived meanwhile get one.
 */
import type { AgentConnector, CallbackRequest, CallbackResult, ConnectRequest, ConnectResult } from '../acd/service.js'
import type { Channel, StasisStartEvent } from '../domain/ari-models.js'
import type { Logger } from '../domain/log.js'
import { callbackRecordId, type CallRecord, type CallStore } from '../domain/store.js'
import { CallbackCall } from './callback.js'
import { CallSession, type OutboundPlan, type OutboundSettled, type Phase, type SessionDeps } from './session.js'

export interface RegistryCounters {
  started: number
  ended: number
}

export class SessionRegistry implements AgentConnector {
  private readonly sessions = new Map<string, CallSession>()
  /** Callback calls in progress (calls/callback.ts), by call id. */
  private readonly callbacks = new Map<string, CallbackCall>()
  private readonly running = new Set<Promise<void>>()
  readonly counters: RegistryCounters = { started: 0, ended: 0 }
  private readonly offStart: () => void
  private accepting = true
  private warnedIds = false

  constructor(
    private readonly deps: (log: Logger) => SessionDeps,
    private readonly d: { log: Logger; app: string; router: { onStasisStart(h: (e: StasisStartEvent) => void): () => void }; calls?: CallStore; serverId?: string; shared?: boolean },
  ) {
    this.offStart = d.router.onStasisStart((e) => this.onStasisStart(e))
  }

  get size(): number {
    return this.sessions.size
  }

  get(callId: string): CallSession | undefined {
    return this.sessions.get(callId)
  }

  all(): CallSession[] {
    return [...this.sessions.values()]
  }

  countByPhase(): Record<Phase, number> {
    const out: Record<Phase, number> = { starting: 0, ivr: 0, queue: 0, connected: 0, transfer: 0, ending: 0, ended: 0 }
    for (const s of this.sessions.values()) out[s.phase]++
    return out
  }

  connect(req: ConnectRequest): Promise<ConnectResult> {
    const s = this.sessions.get(req.callId)
    if (!s) return Promise.resolve({ kind: 'caller_gone' })
    return s.offer(req)
  }

  /** Places a callback call (the queue service reserved the agent); the call goes on after an answer. */
  async callback(req: CallbackRequest): Promise<CallbackResult> {
    if (!this.accepting || this.callbacks.has(req.callId)) return { kind: 'aborted' }
    const log = this.d.log.child({ callId: req.callId, callback: req.attempt })
    const call = new CallbackCall(this.deps(log), req)
    this.trackCallback(req.callId, call)
    return call.run()
  }

  async callbackSettled(callId: string): Promise<void> {
    await this.d.calls?.delete(callbackRecordId(callId))
  }

  private trackCallback(callId: string, call: CallbackCall): void {
    this.callbacks.set(callId, call)
    const p = call.ended.finally(() => {
      this.callbacks.delete(callId)
      this.running.delete(p)
    })
    this.running.add(p)
  }

  /**
   * A callback call recorded on this Asterisk by an engine that is gone: bridged with both legs
   * alive, it goes on under this engine; otherwise its legs are hung up and its books closed
   * (calls/callback.ts, AcdService.callbackInterrupted).
   */
  private async takeOverCallback(rec: CallRecord, live: ReadonlyMap<string, Channel>): Promise<void> {
    const cb = rec.callback
    if (!cb || this.callbacks.has(cb.entryCallId)) return
    const log = this.d.log.child({ callId: cb.entryCallId, callback: cb.attempt })
    const d = this.deps(log)
    try {
      const section = d.acd.section(cb.section)
      const agent = await d.acd.agentRecord(cb.agentId)
      if (cb.connected && live.has(cb.agentLeg) && live.has(cb.citizenLeg) && section && agent) {
        const entry = { callId: cb.entryCallId, section: cb.section, priority: 0, enteredAt: rec.startedAt, seq: 0, lang: 'it', status: 'offered' as const }
        const call = new CallbackCall(d, { callId: cb.entryCallId, agent, section, entry, attempt: cb.attempt })
        this.trackCallback(cb.entryCallId, call)
        call.resumeBridged()
        log.info('callback call resumed: agent and citizen still talking')
        return
      }
      await Promise.all([
        d.telephony.channels.hangup(cb.agentLeg).catch(() => undefined),
        d.telephony.channels.hangup(cb.citizenLeg).catch(() => undefined),
        d.telephony.bridges.destroy(cb.bridgeId).catch(() => undefined),
      ])
      const r = await d.acd.callbackInterrupted(cb)
      await this.d.calls?.delete(rec.callId)
      log.info({ outcome: r, connected: cb.connected }, 'callback call interrupted while no engine watched it: books closed')
    } catch (err) {
      log.error({ err }, 'could not take over a recorded callback call')
    }
  }

  /** Stops taking new calls; waits for the running ones to end (or gives up after the signal). */
  async drain(): Promise<void> {
    this.accepting = false
    await Promise.allSettled([...this.running])
  }

  /**
   * Stops every session now. The calls themselves go on in Asterisk: with call records (the
   * store keeps them) they are handed over to the next engine on this Asterisk, which resumes
   * them; without a store for records they are ended.
   */
  async close(): Promise<void> {
    this.accepting = false
    this.offStart()
    for (const s of this.sessions.values()) {
      if (this.d.calls) s.detach()
      else s.callerGone('engine stopping')
    }
    for (const c of this.callbacks.values()) c.stop()
    await Promise.allSettled([...this.running])
  }

  /**
   * After a reconnect: sessions whose channel vanished end; inbound channels that entered
   * this application while the socket was down (their StasisStart was lost) get a session.
   */
  async resync(channels: Channel[]): Promise<void> {
    const live = new Map(channels.map((c) => [c.id, c]))
    for (const s of this.sessions.values()) if (!live.has(s.channelId)) s.callerGone('channel vanished while disconnected')
    const calls = this.d.calls
    for (const c of channels) {
      if (this.sessions.has(c.id)) continue
      const args = stasisArgs(c, this.d.app)
      if (args?.[0] !== 'inbound') continue
      const rec = await calls?.get(c.id).catch((err: unknown) => {
        this.d.log.error({ err, callId: c.id }, 'could not read the call record; starting the call afresh')
        return undefined
      })
      if (this.sessions.has(c.id)) continue
      if (rec) this.startSession(c, args[1], 'resumed from its record', rec)
      else this.startSession(c, args[1], 'adopted after reconnect')
    }
    if (!calls) return
    // Calls whose caller hung up while no engine was watching: close their books.
    const records = await calls.list(this.d.serverId ?? 'asterisk').catch(() => [])
    for (const rec of records) {
      if (rec.phase === 'callback') await this.takeOverCallback(rec, live)
      else if (!live.has(rec.channelId) && !this.sessions.has(rec.callId)) await this.closeOrphan(rec)
    }
  }

  /** Ends the books of a call that ended while no engine watched it: queue place, agent, other leg. */
  private async closeOrphan(rec: CallRecord): Promise<void> {
    const d = this.deps(this.d.log.child({ callId: rec.callId }))
    try {
      if (rec.phase === 'queue') await d.acd.leave(rec.callId, 'abandoned')
      if (rec.otherLeg) await d.telephony.channels.hangup(rec.otherLeg).catch(() => undefined)
      if (rec.bridgeId) await d.telephony.bridges.destroy(rec.bridgeId).catch(() => undefined)
      if (rec.phase === 'connected' && rec.agentId && rec.section) await d.acd.agentCallEnded(rec.agentId, rec.section)
      d.emit({ type: 'call.ended', callId: rec.callId, reason: 'caller gone while no engine was watching', durationMs: d.clock.now() - rec.startedAt })
      await d.calls?.delete(rec.callId)
    } catch (err) {
      this.d.log.error({ err, callId: rec.callId }, 'could not close the books of a call that ended while the engine was down')
    }
  }

  private onStasisStart(e: StasisStartEvent): void {
    const kind = e.args[0]
    if (kind === 'inbound') return this.startSession(e.channel, e.args[1], 'stasis start')
    if (kind === 'agent' || kind === 'external' || kind === 'callback') return // legs owned by a session or a callback call (dial-leg.ts)
    if (kind === 'amd' || kind === 'dialer') return // campaign calls, owned by the dialer (src/dialer/attempt.ts) until it hands them to outbound()
    this.d.log.warn({ args: e.args, channel: e.channel.name }, 'channel entered the application with unknown arguments; ignored')
  }

  /**
   * An answered outbound campaign call handed over by the dialer: a session runs it with the
   * plan (an agent of the section, or the campaign's message flow). undefined when the engine
   * is stopping or the channel already has a session.
   */
  outbound(channel: Channel, plan: OutboundPlan): { session: CallSession; settled: Promise<OutboundSettled>; done: Promise<void> } | undefined {
    if (!this.accepting || this.sessions.has(channel.id)) return undefined
    const log = this.d.log.child({ callId: channel.id, outbound: true })
    const session = new CallSession(this.deps(log), channel, undefined)
    this.sessions.set(channel.id, session)
    this.counters.started++
    const r = session.runOutbound(plan)
    const p = r.done.finally(() => {
      this.sessions.delete(channel.id)
      this.running.delete(p)
      this.counters.ended++
    })
    this.running.add(p)
    return { session, settled: r.settled, done: p }
  }

  private startSession(channel: Channel, entry: string | undefined, why: string, rec?: CallRecord): void {
    if (!this.accepting || this.sessions.has(channel.id)) return
    if (this.d.shared && !this.warnedIds && /^\d+\.\d+$/.test(channel.id)) {
      this.warnedIds = true
      this.d.log.error(
        { channel: channel.id },
        'channel ids carry no system name while other engines share the store: set systemname in asterisk.conf on every server, or calls of two servers may collide',
      )
    }
    const log = this.d.log.child({ callId: channel.id })
    const session = new CallSession(this.deps(log), channel, entry)
    this.sessions.set(channel.id, session)
    this.counters.started++
    log.info({ why, caller: channel.caller.number, entry }, 'call started')
    const p = (rec ? session.resume(rec) : session.run()).finally(() => {
      this.sessions.delete(channel.id)
      this.running.delete(p)
      this.counters.ended++
    })
    this.running.add(p)
  }

}

/** The Stasis() arguments of a channel that entered `app` from the dialplan. */
export function stasisArgs(c: Channel, app: string): string[] | undefined {
  if (c.dialplan.app_name !== 'Stasis') return undefined
  const [name, ...args] = c.dialplan.app_data.split(',')
  return name === app ? args : undefined
}
