/**
 * The consulted leg of an attended transfer: the section agent reserved for the operator is
 * rung (the caller waits on hold), joins the operator's bridge when it answers, and is let go
 * when the consultation is called off. The session (session.ts) decides when; this owns the
 * leg, its dial and its watcher, and hands the agent back to the queue service as it ends.
 */
import type { AgentRecord, SectionDef } from '../domain/acd.js'
import { dialLeg } from './dial-leg.js'
import type { SessionDeps } from './session.js'

export type RingOutcome = 'answered' | 'no_answer' | 'cancelled'

export class ConsultLeg {
  answered = false
  private readonly abort = new AbortController()
  private off: (() => void) | undefined

  constructor(
    private readonly d: SessionDeps,
    private readonly callId: string,
    readonly agent: AgentRecord,
    readonly section: SectionDef,
    readonly legId: string,
    readonly by: string | undefined,
  ) {}

  get agentId(): string {
    return this.agent.id
  }

  /**
   * Rings the agent for the operator (`operatorLeg` as the calling party) until it answers, the
   * section's ring timeout, the call going (`callGone`) or cancel(). Answered, the leg joins
   * `bridgeId` and `onAgentGone` is called if it hangs up later.
   */
  async ring(operatorLeg: string, bridgeId: string, callGone: AbortSignal, onAgentGone: () => void): Promise<RingOutcome> {
    const leg = await dialLeg(this.d, {
      endpoint: this.agent.endpoint,
      channelId: this.legId,
      app: this.d.app,
      appArgs: ['agent', this.callId],
      timeoutSec: this.section.ringTimeoutSec,
      callerChannelId: operatorLeg,
      signal: AbortSignal.any([callGone, this.abort.signal]),
    })
    if (leg.kind !== 'answered' || this.abort.signal.aborted || callGone.aborted) {
      if (leg.kind === 'answered') await this.hangup()
      if (this.abort.signal.aborted) return 'cancelled'
      await this.d.acd.consultReleased(this.agent.id, this.section.id, leg.kind === 'no_answer' || leg.kind === 'failed' ? 'no_answer' : 'cancelled')
      return leg.kind === 'no_answer' || leg.kind === 'failed' ? 'no_answer' : 'cancelled'
    }
    this.answered = true
    await this.d.acd.consultAnswered(this.agent.id, this.section.id, this.callId)
    this.off = this.d.router.onChannel(this.legId, (e) => {
      if (e.type === 'StasisEnd' || e.type === 'ChannelDestroyed' || e.type === 'ChannelHangupRequest') onAgentGone()
    })
    await this.d.telephony.bridges.addChannel(bridgeId, [this.legId])
    return 'answered'
  }

  /** The leg becomes the caller's: stop watching it here (the session watches it now). */
  handOver(): void {
    this.off?.()
  }

  /** Called off: the leg goes (a ring stops), the agent is free again (wrap-up if it talked). */
  async cancel(): Promise<void> {
    this.off?.()
    this.abort.abort()
    if (this.answered) await this.hangup()
    await this.d.acd.consultReleased(this.agent.id, this.section.id, this.answered ? 'answered' : 'cancelled')
  }

  private async hangup(): Promise<void> {
    await this.d.telephony.channels.hangup(this.legId).catch(() => undefined)
  }
}
