/**
 * One call session per caller channel: answer, run the voice-portal flow, then act on its
 * outcome (queue for a section or the operators, transfer outside, hang up), and tidy up
 * whatever happens: the caller may hang up at any moment, the agent may hang up first,
 * Asterisk may refuse a request. Every step toward Asterisk uses ids derived from the call
 * id, so a replayed step asks for the same object.
 */
import type { AcdService, ConnectRequest, ConnectResult } from '../acd/service.js'
import type { Channel, AriEvent } from '../domain/ari-models.js'
import type { SectionDef } from '../domain/acd.js'
import { isNotFound } from '../domain/errors.js'
import { deriveId } from '../domain/ids.js'
import { prompt, type MediaItem } from '../domain/media.js'
import { dialLeg, type LegDeps } from './dial-leg.js'
import type { CallRecord, CallStore } from '../domain/store.js'
import { CallRecorder } from './call-record.js'
import { ConsultLeg } from './consult.js'
import type { FlowOutput, FlowRun, StartFlowParams } from './flow-run.js'
import { HANDOVER, playToChannel } from './playback.js'
import { QueueWait, type QueueWaitDeps } from './queue-wait.js'

export type Phase = 'starting' | 'ivr' | 'queue' | 'connected' | 'transfer' | 'ending' | 'ended'

/** What an answered outbound campaign call does (CallSession.runOutbound). */
export type OutboundPlan =
  | { kind: 'agent'; section: string; priority: number; graceMs: number; leadMs?: number; sorry: MediaItem[]; lang: string; answeredAt?: number }
  | { kind: 'flow'; start(p: StartFlowParams): FlowRun }

export type OutboundSettled = 'connected' | 'abandoned' | 'flow' | 'gone'

export type TransferResult = { ok: true } | { ok: false; code: 'CALL_GONE' | 'BAD_STATE' | 'NOT_FOUND' | 'NO_AGENT' | 'NO_ANSWER'; message: string }

export interface SessionDeps extends QueueWaitDeps, LegDeps {
  app: string
  acd: AcdService
  startFlow(p: StartFlowParams): FlowRun
  /** Dial string for an external number, e.g. PJSIP/{number}@trunk. */
  externalEndpoint(number: string): string
  externalTimeoutSec: number
  /** Where the call's record is kept so that another run of the engine can resume it. */
  calls?: CallStore
  serverId?: string
}

export class CallSession {
  readonly callId: string
  readonly channelId: string
  readonly startedAt: number
  phase: Phase = 'starting'
  /** What the caller chose and gave in the voice portal (for the agent). */
  flowOutput: FlowOutput | undefined
  section: SectionDef | undefined
  agentId: string | undefined

  private readonly gone = new AbortController()
  private readonly finished: Promise<void>
  private flow: FlowRun | undefined
  private wait: QueueWait | undefined
  private bridgeId: string | undefined
  private otherLeg: string | undefined
  /** Stops watching the other leg (its hangup ends the call unless it was released on purpose). */
  private otherLegOff: (() => void) | undefined
  /** When this call first entered a queue: transfers keep it, so the caller loses no place. */
  private firstEnteredAt: number | undefined
  private offers = 0
  private consults = 0
  private consultation: ConsultLeg | undefined
  /** A callback request is being handled (or was taken): further presses are ignored. */
  private callbackAsked = false
  private callbackPrompts = 0
  /** The caller's entry is now a callback entry: no agent is offered to this session any more. */
  private callbackTaken = false
  private readonly offs: Array<() => void> = []
  private readonly recorder: CallRecorder
  private detached = false
  /** Outbound (dialer) calls waiting for an agent: aborts the agent being rung when the grace runs out. */
  private outboundCut: AbortController | undefined
  private outboundConnected: (() => void) | undefined

  constructor(
    private readonly d: SessionDeps,
    private readonly channel: Channel,
    private readonly entry: string | undefined,
  ) {
    this.channelId = channel.id
    this.callId = channel.id
    this.startedAt = d.clock.now()
    this.finished = new Promise((resolve) => this.gone.signal.addEventListener('abort', () => resolve(), { once: true }))
    this.recorder = new CallRecorder(d.calls, d.log, () => ({
      callId: this.callId,
      channelId: this.channelId,
      serverId: d.serverId ?? 'asterisk',
      phase: 'ivr',
      startedAt: this.startedAt,
      entry: this.entry,
      callerNumber: channel.caller.number,
      offers: 0,
      updatedAt: 0,
    }))
    this.offs.push(d.router.onChannel(channel.id, (e) => this.onCallerEvent(e)))
  }

  get callerNumber(): string | undefined {
    return this.channel.caller.number || undefined
  }

  get isGone(): boolean {
    return this.gone.signal.aborted
  }

  /** Runs the call to its end. Never throws. */
  run(): Promise<void> {
    this.d.emit({ type: 'call.started', callId: this.callId, direction: 'inbound', callerNumber: this.channel.caller.number })
    return this.guarded(async () => {
      await this.d.telephony.channels.answer(this.channelId)
      this.phase = 'ivr'
      this.persist({ phase: 'ivr' })
      this.flow = this.d.startFlow({ ...this.flowParams() })
      await this.afterFlow()
    })
  }

  /**
   * An answered outbound campaign call (src/dialer): with an agent plan, the person joins the
   * section's queue at the given priority (music on hold, no announcements); if no agent is
   * connected within graceMs - leadMs of the answer (answeredAt, default now), the call leaves the queue (an agent being rung is let go),
   * hears the `sorry` message, which starts before graceMs, and is hung up. With a flow plan, the
   * person hears that flow (a message campaign) and its final node acts as for any caller (a
   * queue node puts the person through to operators). `settled` says, as soon as it is known:
   * connected (an agent took the call), abandoned (the message played), flow (the flow started),
   * gone (the person hung up first); `done` resolves when the call is over.
   */
  runOutbound(plan: OutboundPlan): { settled: Promise<OutboundSettled>; done: Promise<void> } {
    let settle!: (r: OutboundSettled) => void
    const settled = new Promise<OutboundSettled>((resolve) => {
      let over = false
      settle = (r) => {
        if (over) return
        over = true
        resolve(r)
      }
    })
    this.d.emit({ type: 'call.started', direction: 'outbound', callId: this.callId, callerNumber: this.channel.caller.number })
    const done = this.guarded(async () => {
      if (plan.kind === 'flow') {
        this.phase = 'ivr'
        this.persist({ phase: 'ivr' })
        this.flow = plan.start(this.flowParams())
        settle('flow')
        return this.afterFlow()
      }
      const section = this.d.acd.section(plan.section)
      if (!section) throw new Error(`campaign section ${plan.section} is unknown`)
      this.outboundCut = new AbortController()
      this.outboundConnected = () => settle('connected')
      const deadline = (plan.answeredAt ?? this.d.clock.now()) + plan.graceMs - (plan.leadMs ?? 300)
      const timer = this.d.clock.setTimeout(() => void this.outboundSorry(plan, () => settle('abandoned')), Math.max(0, deadline - this.d.clock.now()))
      try {
        this.section = section
        this.phase = 'queue'
        this.firstEnteredAt = this.d.clock.now()
        this.persist({ phase: 'queue', section: section.id, firstEnteredAt: this.firstEnteredAt, lang: plan.lang })
        // caller '': the channel's caller id is the campaign's own number, not a citizen: no continuity hold (it would outlast the grace).
        await this.d.telephony.channels.startMoh(this.channelId, section.mohClass).catch(() => undefined)
        if (this.phase === 'queue' && !this.isGone) await this.d.acd.join(this.callId, { section: section.id, priority: plan.priority, lang: plan.lang, caller: '' })
        await this.finished
      } finally {
        timer.cancel()
      }
    })
    void done.then(() => settle('gone'))
    return { settled, done }
  }

  /** The grace of an outbound call ran out with no agent: the information message, then hang up. */
  private async outboundSorry(plan: Extract<OutboundPlan, { kind: 'agent' }>, settle: () => void): Promise<void> {
    if (this.isGone || this.phase !== 'queue') return
    this.phase = 'transfer' // no agent may be offered any more (offer() checks the phase)
    this.outboundCut?.abort()
    settle()
    this.persist({ phase: 'transfer' })
    const left = this.d.acd.leave(this.callId, 'transferred').catch((err: unknown) => this.d.log.warn({ err }, 'could not leave the queue'))
    await this.d.telephony.channels.stopMoh(this.channelId).catch(() => undefined)
    await playToChannel(this.d, this.channelId, plan.sorry, plan.lang, deriveId(this.callId, 'outbound-sorry'), this.gone.signal)
    await left
    await this.hangupCaller()
  }

  /**
   * Takes over a call a previous run of the engine left in the application (crash, restart,
   * standby): the flow resumes at the same node with its deadlines, a waiting caller keeps its
   * queue entry, a connected call stays bridged. Nothing already played or dialed is redone.
   */
  resume(rec: CallRecord): Promise<void> {
    this.recorder.load(rec)
    this.offers = rec.offers
    this.firstEnteredAt = rec.firstEnteredAt
    this.flowOutput = rec.flowOutput as FlowOutput | undefined
    this.d.log.info({ phase: rec.phase }, 'resuming call')
    return this.guarded(async () => {
      if (rec.phase === 'ivr' && rec.flow) {
        this.phase = 'ivr'
        this.flow = this.d.startFlow({ ...this.flowParams(), restore: rec.flow })
        return this.afterFlow()
      }
      const lang = this.flowOutput?.lang ?? rec.lang ?? 'it'
      if (rec.phase === 'queue' && rec.section) {
        const entry = await this.d.acd.entry(this.callId)
        if (entry?.kind === 'callback') {
          // The caller had asked to be called back as the engine stopped: the entry stays.
          this.callbackTaken = true
          return this.hangupCaller()
        }
        this.firstEnteredAt ??= entry?.enteredAt
        if (entry?.status === 'offered' && entry.offeredTo) {
          // The dead engine was ringing an agent: drop that leg, the caller keeps its place.
          await this.d.telephony.channels.hangup(deriveId(this.callId, 'agent', entry.offeredTo, rec.offers)).catch(() => undefined)
          await this.d.acd.recoverOffer(this.callId)
        }
        await this.queue(rec.section, entry?.priority ?? 0, lang, { resumed: entry !== undefined })
        return void (await this.finished)
      }
      if ((rec.phase === 'connected' || rec.phase === 'transfer') && rec.otherLeg) {
        const leg = await this.d.telephony.channels.get(rec.otherLeg).catch(() => undefined)
        if (leg && leg.state === 'Up') {
          this.agentId = rec.agentId
          this.section = rec.section ? this.d.acd.section(rec.section) : undefined
          this.watchOtherLeg(rec.otherLeg)
          this.bridgeId = rec.bridgeId
          this.phase = 'connected'
          this.persist({ phase: 'connected' })
          return void (await this.finished)
        }
        // The other side went while nobody watched: end the call as if it had hung up now.
        if (rec.agentId && rec.section) await this.d.acd.agentCallEnded(rec.agentId, rec.section)
        if (leg) await this.d.telephony.channels.hangup(rec.otherLeg).catch(() => undefined)
        return this.hangupCaller()
      }
      // A record with nothing to resume from: the caller gets an operator rather than silence.
      await this.queue(this.d.acd.operatorSection().id, 0, lang)
      await this.finished
    })
  }

  private flowParams(): StartFlowParams {
    return {
      callId: this.callId,
      channelId: this.channelId,
      callerNumber: this.channel.caller.number,
      entry: this.entry,
      onChange: (flow) => this.persist({ flow }),
    }
  }

  private async afterFlow(): Promise<void> {
    const flow = this.flow!
    const out = await Promise.race([flow.done, this.finished.then(() => undefined)])
    if (!out || this.isGone) return
    this.flowOutput = out
    this.persist({ flowOutput: out, flow: undefined, lang: out.lang })
    const o = out.outcome
    this.d.emit({ type: 'ivr.finished', callId: this.callId, flowId: flow.flowId, flowVersion: flow.version, outcome: o.kind, node: o.node, trail: out.trail.map((s) => s.node) })
    if (o.kind === 'queue') await this.queue(o.section, o.priority ?? 0, out.lang)
    else if (o.kind === 'operator') await this.queue(this.d.acd.operatorSection().id, 0, out.lang)
    else if (o.kind === 'transfer') await this.transferOut(o.number, out.lang)
    else await this.hangupCaller()
    await this.finished
  }

  private async guarded(body: () => Promise<void>): Promise<void> {
    try {
      await body()
    } catch (err) {
      if (isNotFound(err)) this.callerGone('channel not found')
      if (!this.isGone) {
        this.d.log.error({ err }, 'call failed; apologising and hanging up')
        await playToChannel(this.d, this.channelId, [prompt('technical_error')], this.flowOutput?.lang ?? 'it', deriveId(this.callId, 'error'), this.gone.signal)
        await this.hangupCaller()
      }
    } finally {
      await this.end()
    }
  }

  /** Writes the call's record with `patch` (see call-record.ts); nothing once the call is ending. */
  private persist(patch: Partial<CallRecord>): void {
    if (this.phase === 'ending' || this.phase === 'ended') return
    this.recorder.update({ ...patch, offers: this.offers }, this.d.clock.now())
  }

  /**
   * The engine stops without ending the call: local activity stops (flow, announcements,
   * timers) but nothing changes in Asterisk or in the store, so the next engine on this
   * Asterisk resumes the call from its record (queue place, bridge and flow kept).
   */
  detach(): void {
    this.detached = true
    this.callerGone(HANDOVER)
  }

  /** Ends the call from the operator's desk or a supervisor: the caller is hung up (call.ended says by whom). */
  async hangup(opts: { by?: string } = {}): Promise<TransferResult> {
    if (this.isGone) return { ok: false, code: 'CALL_GONE', message: 'the caller has hung up' }
    // Gone first, with the reason: the channel's hangup events must not name the call's end.
    this.callerGone(opts.by ? `hung up by ${opts.by}` : 'hung up by engine')
    await this.d.telephony.channels.hangup(this.channelId).catch(() => undefined)
    return { ok: true }
  }

  /** The caller's channel left (hung up, or taken away from the application). */
  callerGone(reason: string): void {
    if (this.isGone) return
    this.d.log.debug({ reason }, 'caller gone')
    this.gone.abort(reason)
    // Now, not when end() gets its turn: events delivered with the hangup (the prompt
    // finishing because of it) must not move the flow on to a channel that is gone.
    this.flow?.stop(this.detached)
  }

  /** Rings an agent for this caller (called by the queue service) and connects them on answer. */
  async offer(req: ConnectRequest): Promise<ConnectResult> {
    if (this.isGone || this.phase !== 'queue' || this.callbackTaken) return { kind: 'caller_gone' }
    const legId = deriveId(this.callId, 'agent', req.agent.id, ++this.offers)
    this.persist({})
    const leg = await dialLeg(this.d, {
      endpoint: req.agent.endpoint,
      channelId: legId,
      app: this.d.app,
      appArgs: ['agent', this.callId],
      timeoutSec: req.section.ringTimeoutSec,
      callerChannelId: this.channelId,
      signal: this.outboundCut ? AbortSignal.any([this.gone.signal, this.outboundCut.signal]) : this.gone.signal,
    })
    if (leg.kind !== 'answered') return leg.kind === 'failed' ? leg : leg.kind === 'caller_gone' ? leg : { kind: 'no_answer', cause: leg.cause }
    if (this.isGone) {
      await this.d.telephony.channels.hangup(legId).catch(() => undefined)
      return { kind: 'caller_gone' }
    }
    this.wait?.stop()
    try {
      await this.d.telephony.channels.stopMoh(this.channelId).catch(() => undefined)
      await this.bridgeWith(legId)
    } catch (err) {
      this.d.log.warn({ err }, 'could not bridge caller and agent')
    }
    if (this.isGone || this.phase !== 'queue') {
      // The caller left while the agent was answering: release the agent's leg and the bridge.
      await this.releaseLegs()
      return { kind: 'caller_gone' }
    }
    this.agentId = req.agent.id
    this.section = req.section
    this.phase = 'connected'
    this.persist({ phase: 'connected', agentId: this.agentId, section: req.section.id, otherLeg: legId, bridgeId: this.bridgeId })
    this.outboundConnected?.()
    return { kind: 'answered' }
  }

  /**
   * Blind transfer by the operator (or a supervisor): the caller leaves the agent, or the queue
   * it waits in, and joins `sectionId` with the entry time of its first queue, so it loses no
   * place; `priority` may raise it. The agent's leg is released and the agent goes to wrap-up.
   */
  async transferToSection(sectionId: string, opts: { priority?: number; by?: string } = {}): Promise<TransferResult> {
    const refused = this.cannotTransfer()
    if (refused) return refused
    const target = this.d.acd.section(sectionId)
    if (!target) return { ok: false, code: 'NOT_FOUND', message: `unknown section ${sectionId}` }
    if (this.consultation) await this.cancelConsult()
    const lang = this.flowOutput?.lang ?? 'it'
    const priority = opts.priority ?? (await this.d.acd.entry(this.callId))?.priority ?? 0
    this.d.emit({ type: 'call.transferred', callId: this.callId, target: target.id, kind: 'section', mode: 'blind', ...(opts.by ? { by: opts.by } : {}) })
    await this.leaveForTransfer()
    if (this.isGone) return { ok: false, code: 'CALL_GONE', message: 'the caller hung up during the transfer' }
    await this.queue(target.id, priority, lang)
    return { ok: true }
  }

  /**
   * Transfer by the operator to an external number (an office, another administration): the
   * agent's leg is released (wrap-up) or the caller leaves its queue, then the number is dialed
   * with the caller on music on hold; unanswered, the caller hears transfer_failed and the call
   * ends, as for a flow's transfer node. `number` must already be checked by the caller of this.
   */
  async transferToNumber(number: string, opts: { by?: string } = {}): Promise<TransferResult> {
    const refused = this.cannotTransfer()
    if (refused) return refused
    if (this.consultation) await this.cancelConsult()
    await this.leaveForTransfer()
    if (this.isGone) return { ok: false, code: 'CALL_GONE', message: 'the caller hung up during the transfer' }
    void this.transferOut(number, this.flowOutput?.lang ?? 'it', opts.by).catch((err: unknown) => this.d.log.error({ err }, 'external transfer failed'))
    return { ok: true }
  }

  /** Why a blind transfer cannot start now (gone, not with an agent or in a queue), or undefined. */
  private cannotTransfer(): TransferResult | undefined {
    if (this.isGone) return { ok: false, code: 'CALL_GONE', message: 'the caller has hung up' }
    if (this.phase !== 'connected' && this.phase !== 'queue') return { ok: false, code: 'BAD_STATE', message: `a call in phase ${this.phase} cannot be transferred` }
    if (this.phase === 'connected' && !this.agentId) return { ok: false, code: 'BAD_STATE', message: 'the call is connected to an external number' }
    return undefined
  }

  /** The caller leaves the agent (released to wrap-up) or the queue it waits in, on hold meanwhile. */
  private async leaveForTransfer(): Promise<void> {
    if (this.phase === 'connected') {
      const agentId = this.agentId!
      const from = this.section!
      this.phase = 'transfer'
      this.agentId = undefined
      await this.d.telephony.channels.startMoh(this.channelId).catch(() => undefined)
      await this.releaseLegs()
      await this.d.acd.agentCallEnded(agentId, from.id)
    } else {
      this.wait?.stop()
      this.phase = 'transfer'
      await this.d.acd.leave(this.callId, 'transferred')
    }
  }

  private async queue(sectionId: string, priority: number, lang: string, o: { resumed?: boolean } = {}): Promise<void> {
    const section = this.d.acd.section(sectionId)
    if (!section) throw new Error(`flow sent the caller to unknown section ${sectionId}`)
    this.section = section
    this.phase = 'queue'
    this.firstEnteredAt ??= this.d.clock.now()
    this.persist({ phase: 'queue', section: section.id, firstEnteredAt: this.firstEnteredAt, lang })
    // A resumed caller's entry is still in the store, with its place: it is not joined again.
    const ahead = o.resumed ? ((await this.d.acd.ahead(this.callId)) ?? 0) : (await this.d.acd.join(this.callId, { section: section.id, priority, lang, enteredAt: this.firstEnteredAt })).ahead
    if (this.phase !== 'queue') return
    this.wait = new QueueWait(this.d, this.callId, this.channelId, section, lang, this.gone.signal)
    // Music and announcements run beside the wait; the call's end stops them.
    this.wait.start(ahead, { resumed: o.resumed }).catch((err: unknown) => this.d.log.warn({ err }, 'queue announcements failed'))
  }

  /**
   * The waiting caller pressed the callback key: with a number we can call, its entry becomes a
   * callback entry in the same place and the caller hears the confirmation and is hung up (no
   * abandon: the entry stays). A withheld or invalid number, or a callback already pending for
   * the number, is refused with a prompt and the caller goes on waiting.
   */
  private async askCallback(): Promise<void> {
    if (this.callbackAsked || this.isGone) return
    this.callbackAsked = true
    const section = this.section!
    const lang = this.flowOutput?.lang ?? this.recorder.current?.lang ?? 'it'
    const number = callbackNumber(this.channel.caller.number ?? this.recorder.current?.callerNumber)
    const r = number ? await this.d.acd.requestCallback(this.callId, number).catch((err: unknown) => (this.d.log.error({ err }, 'callback request failed'), 'failed' as const)) : 'no_number'
    if (this.isGone || this.phase !== 'queue') return
    if (r === 'not_waiting' || r === 'disabled' || r === 'failed') {
      // Offered to an agent right now (or the store failed): the caller simply goes on waiting.
      this.callbackAsked = false
      return
    }
    this.wait?.stop()
    const n = ++this.callbackPrompts
    if (r === 'ok') {
      this.callbackTaken = true
      this.d.log.info('callback requested; the caller keeps its place as a callback entry')
      await this.d.telephony.channels.stopMoh(this.channelId).catch(() => undefined)
      await playToChannel(this.d, this.channelId, [prompt('callback_confirmed')], lang, deriveId(this.callId, 'callback-confirmed', n), this.gone.signal)
      return this.hangupCaller()
    }
    await this.d.telephony.channels.stopMoh(this.channelId).catch(() => undefined)
    await playToChannel(this.d, this.channelId, [prompt(r === 'duplicate' ? 'callback_already_pending' : 'callback_no_number')], lang, deriveId(this.callId, 'callback-refused', n), this.gone.signal)
    if (this.isGone || this.phase !== 'queue') return
    // Back to waiting in the same place: music and announcements on schedule (no entry announcement).
    this.wait = new QueueWait(this.d, this.callId, this.channelId, section, lang, this.gone.signal)
    this.wait.start(0, { resumed: true }).catch((err: unknown) => this.d.log.warn({ err }, 'queue announcements failed'))
    if (r === 'duplicate') this.callbackAsked = false
  }

  private async transferOut(number: string, lang: string, by?: string): Promise<void> {
    this.phase = 'transfer'
    this.persist({ phase: 'transfer' })
    this.d.emit({ type: 'call.transferred', callId: this.callId, target: number, kind: 'external', mode: 'blind', ...(by ? { by } : {}) })
    const legId = deriveId(this.callId, 'external', number)
    await this.d.telephony.channels.startMoh(this.channelId).catch(() => undefined)
    const leg = await dialLeg(this.d, {
      endpoint: this.d.externalEndpoint(number),
      channelId: legId,
      app: this.d.app,
      appArgs: ['external', this.callId],
      timeoutSec: this.d.externalTimeoutSec,
      callerChannelId: this.channelId,
      signal: this.gone.signal,
    })
    if (this.isGone) return
    await this.d.telephony.channels.stopMoh(this.channelId).catch(() => undefined)
    if (leg.kind === 'answered') {
      await this.bridgeWith(leg.channelId)
      if (!this.isGone) {
        this.phase = 'connected'
        this.persist({ phase: 'connected', otherLeg: leg.channelId, bridgeId: this.bridgeId, agentId: undefined })
      }
      return
    }
    await playToChannel(this.d, this.channelId, [prompt('transfer_failed')], lang, deriveId(this.callId, 'transfer-failed'), this.gone.signal)
    await this.hangupCaller()
  }

  private async bridgeWith(legId: string): Promise<void> {
    const bridgeId = deriveId(this.callId, 'bridge')
    this.bridgeId = bridgeId
    this.watchOtherLeg(legId)
    await this.d.telephony.bridges.create({ bridgeId, type: 'mixing', name: `call-${this.callId.slice(0, 8)}` })
    await this.d.telephony.bridges.addChannel(bridgeId, [this.channelId, legId])
  }

  /** The other leg's hangup ends the call (unless it is released on purpose first). */
  private watchOtherLeg(legId: string): void {
    this.otherLeg = legId
    this.otherLegOff = this.d.router.onChannel(legId, (e) => {
      if (e.type !== 'StasisEnd' && e.type !== 'ChannelDestroyed' && e.type !== 'ChannelHangupRequest') return
      // The operator hanging up while consulting completes the transfer (or, if the section
      // agent has not answered yet, sends the caller to that section blind, keeping its place).
      if (this.consultation) void this.operatorLeftConsultation()
      else void this.hangupCaller()
    })
  }

  /**
   * Attended transfer, first step: the caller is put on hold (out of the bridge, with music)
   * and the section agent the routing rules pick is rung for the operator; once it answers,
   * operator and agent talk. Then completeConsult() or cancelConsult().
   */
  async consult(sectionId: string, opts: { by?: string } = {}): Promise<TransferResult> {
    if (this.isGone) return { ok: false, code: 'CALL_GONE', message: 'the caller has hung up' }
    if (this.phase !== 'connected' || !this.agentId || !this.bridgeId || !this.otherLeg) return { ok: false, code: 'BAD_STATE', message: 'only a call connected to an operator can be consulted on' }
    if (this.consultation) return { ok: false, code: 'BAD_STATE', message: 'a consultation is already in progress' }
    if (!this.d.acd.section(sectionId)) return { ok: false, code: 'NOT_FOUND', message: `unknown section ${sectionId}` }
    const picked = await this.d.acd.reserveForConsult(sectionId, this.callId, this.flowOutput?.lang ?? 'it')
    if (!picked) return { ok: false, code: 'NO_AGENT', message: `no agent of ${sectionId} is free` }
    const c = new ConsultLeg(this.d, this.callId, picked.agent, picked.section, deriveId(this.callId, 'consult', picked.agent.id, ++this.consults), opts.by)
    this.consultation = c
    await this.d.telephony.bridges.removeChannel(this.bridgeId, [this.channelId]).catch(() => undefined)
    await this.d.telephony.channels.startMoh(this.channelId).catch(() => undefined)
    const outcome = await c.ring(this.otherLeg, this.bridgeId, this.gone.signal, () => void this.cancelConsult())
    // Cancelled, completed blind or the call ended while the agent's phone rang.
    if (this.consultation !== c) return { ok: false, code: 'BAD_STATE', message: 'the consultation ended while the agent was rung' }
    if (outcome === 'answered') return { ok: true }
    this.consultation = undefined
    if (this.isGone) return { ok: false, code: 'CALL_GONE', message: 'the caller hung up' }
    await this.backToOperator()
    return { ok: false, code: 'NO_ANSWER', message: `${c.agentId} did not answer` }
  }

  /** Attended transfer, done: the operator leaves, the caller talks with the consulted agent. */
  async completeConsult(): Promise<TransferResult> {
    const c = this.consultation
    if (!c || !c.answered || !this.bridgeId) return { ok: false, code: 'BAD_STATE', message: 'no answered consultation to complete' }
    this.consultation = undefined
    c.handOver()
    const operatorId = this.agentId!
    const operatorSection = this.section!
    const operatorLeg = this.otherLeg!
    this.otherLegOff?.()
    this.watchOtherLeg(c.legId)
    this.agentId = c.agentId
    this.section = c.section
    await this.d.telephony.channels.hangup(operatorLeg).catch(() => undefined)
    await this.d.telephony.channels.stopMoh(this.channelId).catch(() => undefined)
    await this.d.telephony.bridges.addChannel(this.bridgeId, [this.channelId])
    await this.d.acd.agentCallEnded(operatorId, operatorSection.id)
    this.d.emit({ type: 'call.transferred', callId: this.callId, target: c.section.id, kind: 'section', mode: 'attended', agentId: c.agentId, ...(c.by ? { by: c.by } : {}) })
    this.persist({ phase: 'connected', agentId: c.agentId, section: c.section.id, otherLeg: c.legId, bridgeId: this.bridgeId })
    return { ok: true }
  }

  /** Attended transfer called off: the consulted agent is released, the caller is back with the operator. */
  async cancelConsult(): Promise<TransferResult> {
    const c = this.consultation
    if (!c) return { ok: false, code: 'BAD_STATE', message: 'no consultation in progress' }
    this.consultation = undefined
    await c.cancel()
    if (!this.isGone) await this.backToOperator()
    return { ok: true }
  }

  private async operatorLeftConsultation(): Promise<void> {
    const c = this.consultation
    if (!c) return
    if (c.answered) {
      await this.completeConsult()
      return
    }
    await this.cancelConsult()
    if (!this.isGone) await this.transferToSection(c.section.id, { by: c.by })
  }

  private async backToOperator(): Promise<void> {
    await this.d.telephony.channels.stopMoh(this.channelId).catch(() => undefined)
    if (this.bridgeId) await this.d.telephony.bridges.addChannel(this.bridgeId, [this.channelId]).catch((err: unknown) => this.d.log.warn({ err }, 'could not bring the caller back to the operator'))
  }

  private async releaseLegs(): Promise<void> {
    const leg = this.otherLeg
    const bridge = this.bridgeId
    this.otherLegOff?.()
    this.otherLegOff = undefined
    this.otherLeg = undefined
    this.bridgeId = undefined
    if (leg) await this.d.telephony.channels.hangup(leg).catch(() => undefined)
    if (bridge) await this.d.telephony.bridges.destroy(bridge).catch(() => undefined)
  }

  private onCallerEvent(e: AriEvent): void {
    switch (e.type) {
      case 'ChannelDtmfReceived':
        if (this.phase === 'ivr') this.flow?.send(e.digit)
        else if (this.phase === 'queue' && this.section?.callback?.enabled && e.digit === this.section.callback.digit) void this.askCallback()
        return
      case 'StasisEnd':
      case 'ChannelHangupRequest':
      case 'ChannelDestroyed':
        this.callerGone(e.type)
        return
    }
  }

  private async hangupCaller(): Promise<void> {
    if (this.isGone) return
    await this.d.telephony.channels.hangup(this.channelId).catch(() => undefined)
    this.callerGone('hung up by engine')
  }

  /** Releases everything the call holds; safe to run once whatever the phase. */
  private async end(): Promise<void> {
    if (this.phase === 'ended' || this.phase === 'ending') return
    const was = this.phase
    this.phase = 'ending'
    this.callerGone('call ended')
    this.flow?.stop(this.detached)
    this.wait?.stop(this.detached)
    if (this.detached) {
      // Handed over: the record stays as last written; the next engine takes it from there.
      await this.recorder.settle()
      this.otherLegOff?.()
      for (const off of this.offs) off()
      this.phase = 'ended'
      return
    }
    if (this.consultation) await this.cancelConsult()
    if (was === 'queue') await this.d.acd.leave(this.callId, 'abandoned').catch((err) => this.d.log.error({ err }, 'leave queue failed'))
    await this.releaseLegs()
    if (was === 'connected' && this.agentId && this.section) await this.d.acd.agentCallEnded(this.agentId, this.section.id)
    await this.recorder.forget(this.callId)
    for (const off of this.offs) off()
    this.phase = 'ended'
    this.d.emit({ type: 'call.ended', callId: this.callId, reason: String(this.gone.signal.reason ?? 'ended'), durationMs: this.d.clock.now() - this.startedAt })
  }
}

/** The caller's number, if it is one we can call back (not withheld, not a short or odd string). */
export function callbackNumber(n: string | undefined): string | undefined {
  const v = n?.replace(/[\s-]/g, '')
  return v && /^\+?\d{6,15}$/.test(v) ? v : undefined
}
