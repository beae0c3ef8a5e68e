/**
 * A callback call: the engine calls back a citizen who pressed the callback key while waiting
 * (their queue entry stayed in its place as a virtual entry, kind 'callback'), once the queue
 * service has reserved an agent for it. Two modes (the section's callback.mode):
 * - agent-first: ring the agent; once answered, the agent waits in the call's bridge on music
 *   on hold while the citizen's number rings; the citizen answering joins the bridge.
 * - citizen-first: dial the citizen; once answered, play callback_intro, then the citizen waits
 *   on music on hold while the reserved agent's phone rings; the agent answering joins them.
 * The outcome goes back to the queue service (retry, fail, or the agent on the call); once
 * bridged, the call lives here until either side hangs up, then the agent goes to wrap-up.
 *
 * Every Asterisk object has an id derived from the call id and the attempt number, so a replay
 * of a step asks for the same channel, bridge or playback.
 *
 * Crash recovery: the call keeps a record (CallRecord phase 'callback', id callbackRecordId)
 * with its legs and whether they are bridged. The engine that next drives this Asterisk (the
 * same one restarted, or a standby) finds it at resync: bridged legs that are both alive go on
 * and are watched again (resumeBridged); otherwise the legs are hung up and the books closed —
 * a call cut while ringing puts the entry back in its place with the agent ready
 * (AcdService.recoverOffer), a bridged call that lost a leg ends the agent's call. A graceful
 * stop leaves the record for the next engine.
 */
import type { CallbackRequest, CallbackResult } from '../acd/service.js'
import type { AcdService } from '../acd/service.js'
import type { NewCallEvent } from '../domain/events.js'
import { callbackRecordId, type CallRecord, type CallStore } from '../domain/store.js'
import { deriveId } from '../domain/ids.js'
import { prompt } from '../domain/media.js'
import { dialLeg, type LegDeps, type LegResult } from './dial-leg.js'
import { playToChannel } from './playback.js'

export interface CallbackDeps extends LegDeps {
  app: string
  acd: AcdService
  emit: (e: NewCallEvent) => void
  externalEndpoint(number: string): string
  /** Where the call's record is kept (crash recovery); none: not recorded. */
  calls?: CallStore
  serverId?: string
}

export class CallbackCall {
  /** Aborted when the call is over (either side hung up) or the engine stops. */
  private readonly over = new AbortController()
  private readonly offs: Array<() => void> = []
  private readonly ids: { agent: string; citizen: string; bridge: string; intro: string; sorry: string }
  private connected = false
  private closing = false
  /** Resolves once the call is over and its books closed. */
  readonly ended: Promise<void>
  private resolveEnded!: () => void

  constructor(
    private readonly d: CallbackDeps,
    private readonly req: CallbackRequest,
  ) {
    const base = [req.callId, 'callback', req.attempt] as const
    this.ids = {
      agent: deriveId(...base, 'agent', req.agent.id),
      citizen: deriveId(...base, 'citizen'),
      bridge: deriveId(...base, 'bridge'),
      intro: deriveId(...base, 'intro'),
      sorry: deriveId(...base, 'sorry'),
    }
    this.ended = new Promise((r) => (this.resolveEnded = r))
  }

  get callId(): string {
    return this.req.callId
  }

  /** The engine stops: local watching ends, the legs are left to Asterisk. */
  stop(): void {
    this.over.abort('engine stopping')
  }

  /** Places the call; resolves with the outcome (on 'answered' the call goes on until a hangup). */
  async run(): Promise<CallbackResult> {
    let r: CallbackResult
    await this.persist(false)
    try {
      r = this.req.section.callback?.mode === 'citizen-first' ? await this.citizenFirst() : await this.agentFirst()
    } catch (err) {
      this.d.log.warn({ err }, 'callback call failed')
      r = { kind: 'citizen_no_answer', outcome: 'failed', reason: err instanceof Error ? err.message : String(err) }
    }
    if (r.kind !== 'answered') {
      await this.release()
      this.resolveEnded()
    } else {
      this.connected = true
      await this.persist(true)
      if (this.over.signal.aborted) void this.close()
      else this.over.signal.addEventListener('abort', () => void this.close(), { once: true })
    }
    return r
  }

  private async agentFirst(): Promise<CallbackResult> {
    const agent = await this.dialAgent(undefined)
    if (agent.kind !== 'answered') return agentMissed(agent, this.over.signal.aborted)
    this.watch(this.ids.agent)
    await this.d.telephony.bridges.create({ bridgeId: this.ids.bridge, type: 'mixing', name: `callback-${this.req.callId.slice(0, 8)}` })
    await this.d.telephony.bridges.addChannel(this.ids.bridge, [this.ids.agent])
    // The agent hears music while the citizen's phone rings.
    await this.d.telephony.bridges.startMoh(this.ids.bridge, this.req.section.mohClass).catch(() => undefined)
    const citizen = await this.dialCitizen()
    if (citizen.kind !== 'answered') return citizenMissed(citizen, this.over.signal.aborted)
    this.watch(this.ids.citizen)
    await this.d.telephony.bridges.stopMoh(this.ids.bridge).catch(() => undefined)
    await this.d.telephony.bridges.addChannel(this.ids.bridge, [this.ids.citizen])
    return this.over.signal.aborted ? { kind: 'aborted' } : { kind: 'answered' }
  }

  private async citizenFirst(): Promise<CallbackResult> {
    const citizen = await this.dialCitizen()
    if (citizen.kind !== 'answered') return citizenMissed(citizen, this.over.signal.aborted)
    this.watch(this.ids.citizen)
    const lang = this.req.entry.lang
    await playToChannel(this.d, this.ids.citizen, [prompt('callback_intro')], lang, this.ids.intro, this.over.signal)
    if (this.over.signal.aborted) return { kind: 'citizen_no_answer', outcome: 'no_answer', reason: 'citizen hung up during the introduction' }
    await this.d.telephony.channels.startMoh(this.ids.citizen, this.req.section.mohClass).catch(() => undefined)
    const agent = await this.dialAgent(this.ids.citizen)
    if (agent.kind !== 'answered') {
      if (this.over.signal.aborted) return { kind: 'citizen_no_answer', outcome: 'no_answer', reason: 'citizen hung up while the agent rang' }
      // The citizen hears that we call again; the entry goes back to its place.
      await this.d.telephony.channels.stopMoh(this.ids.citizen).catch(() => undefined)
      await playToChannel(this.d, this.ids.citizen, [prompt('callback_agent_busy')], lang, this.ids.sorry, this.over.signal)
      return agentMissed(agent, false)
    }
    this.watch(this.ids.agent)
    await this.d.telephony.channels.stopMoh(this.ids.citizen).catch(() => undefined)
    await this.d.telephony.bridges.create({ bridgeId: this.ids.bridge, type: 'mixing', name: `callback-${this.req.callId.slice(0, 8)}` })
    await this.d.telephony.bridges.addChannel(this.ids.bridge, [this.ids.citizen, this.ids.agent])
    return this.over.signal.aborted ? { kind: 'aborted' } : { kind: 'answered' }
  }

  private dialAgent(callerChannelId: string | undefined): Promise<LegResult> {
    return dialLeg(this.d, {
      endpoint: this.req.agent.endpoint,
      channelId: this.ids.agent,
      app: this.d.app,
      appArgs: ['callback', this.req.callId],
      timeoutSec: this.req.section.ringTimeoutSec,
      callerChannelId,
      signal: this.over.signal,
    })
  }

  private dialCitizen(): Promise<LegResult> {
    const number = this.req.entry.recall!.number
    return dialLeg(this.d, {
      endpoint: this.d.externalEndpoint(number),
      channelId: this.ids.citizen,
      app: this.d.app,
      appArgs: ['callback', this.req.callId],
      timeoutSec: this.req.section.callback?.ringTimeoutSec ?? 30,
      signal: this.over.signal,
    })
  }

  /** A leg's hangup ends the call (before the bridge: aborts what is in progress). */
  private watch(legId: string): void {
    this.offs.push(
      this.d.router.onChannel(legId, (e) => {
        if (e.type === 'StasisEnd' || e.type === 'ChannelDestroyed' || e.type === 'ChannelHangupRequest') this.over.abort(`${legId === this.ids.agent ? 'agent' : 'citizen'} hung up`)
      }),
    )
  }

  /**
   * A bridged callback call found alive after a restart or by a standby: watched again, and
   * closed as any (wrap-up for the agent) when either side hangs up.
   */
  resumeBridged(): void {
    this.connected = true
    this.watch(this.ids.agent)
    this.watch(this.ids.citizen)
    if (this.over.signal.aborted) void this.close()
    else this.over.signal.addEventListener('abort', () => void this.close(), { once: true })
  }

  /** The record another engine needs to take this call over. */
  record(connected: boolean): CallRecord {
    const now = this.d.clock.now()
    return {
      callId: callbackRecordId(this.req.callId),
      channelId: this.ids.citizen,
      serverId: this.d.serverId ?? 'asterisk',
      phase: 'callback',
      startedAt: now,
      offers: 0,
      updatedAt: now,
      section: this.req.section.id,
      agentId: this.req.agent.id,
      callback: {
        entryCallId: this.req.callId,
        attempt: this.req.attempt,
        agentId: this.req.agent.id,
        section: this.req.section.id,
        agentLeg: this.ids.agent,
        citizenLeg: this.ids.citizen,
        bridgeId: this.ids.bridge,
        connected,
      },
    }
  }

  private async persist(connected: boolean): Promise<void> {
    await this.d.calls?.put(this.record(connected)).catch((err: unknown) => this.d.log.warn({ err }, 'could not record the callback call (it goes on, unrecoverable if this engine dies)'))
  }

  /** Hangs up both legs and the bridge; a bridged call is left to Asterisk (and the next engine) when this one stops. */
  private async release(): Promise<void> {
    for (const off of this.offs.splice(0)) off()
    if (this.connected && this.over.signal.reason === 'engine stopping') return
    await Promise.all([
      this.d.telephony.channels.hangup(this.ids.agent).catch(() => undefined),
      this.d.telephony.channels.hangup(this.ids.citizen).catch(() => undefined),
      this.d.telephony.bridges.destroy(this.ids.bridge).catch(() => undefined),
    ])
  }

  /** The bridged call is over: hang up the other side, the agent goes to wrap-up. */
  private async close(): Promise<void> {
    if (!this.connected || this.closing) return
    this.closing = true
    const stopping = this.over.signal.reason === 'engine stopping'
    await this.release()
    this.connected = false
    if (!stopping) {
      await this.d.acd.agentCallEnded(this.req.agent.id, this.req.section.id).catch((err: unknown) => this.d.log.error({ err }, 'could not end the agent call'))
      await this.d.calls?.delete(callbackRecordId(this.req.callId)).catch((err: unknown) => this.d.log.warn({ err }, 'could not delete the callback call record'))
      this.d.log.info({ reason: String(this.over.signal.reason) }, 'callback call ended')
    }
    this.resolveEnded()
  }
}

function agentMissed(r: LegResult, aborted: boolean): CallbackResult {
  if (aborted || r.kind === 'caller_gone') return { kind: 'aborted' }
  if (r.kind === 'failed') return { kind: 'agent_no_answer', unreachable: true }
  if (r.kind === 'no_answer') return { kind: 'agent_no_answer', cause: r.cause }
  return { kind: 'aborted' }
}

function citizenMissed(r: LegResult, aborted: boolean): CallbackResult {
  if (r.kind === 'failed') return { kind: 'citizen_no_answer', outcome: 'failed', reason: r.reason }
  if (r.kind === 'no_answer') return { kind: 'citizen_no_answer', outcome: r.cause === 17 ? 'busy' : 'no_answer', cause: r.cause }
  // Aborted while the citizen rang: the agent hung up (agent-first) or the engine stops.
  return aborted ? { kind: 'aborted' } : { kind: 'citizen_no_answer', outcome: 'no_answer' }
}
