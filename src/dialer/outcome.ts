/**
 * Classifying a dial attempt (pure) from what ARI reported about it: the Dial events' status,
 * the Q.850 causes of ChannelHangupRequest/ChannelDestroyed, the answering-machine verdict the
 * AMD dialplan hands over, and whether an agent was free when a person answered.
 *
 * Feed every event of the call to a DialTracker (events of other channels are ignored), then
 * classify(). What recorded Asterisk 22.10.1 calls showed (the traces the tests replay):
 * - create + dial: a busy or congested callee gives Dial BUSY/CONGESTION at once, but the
 *   channel is destroyed later with cause 19 when the dial timeout fires: the Dial status
 *   wins over a later cause;
 * - no answer ends with no final Dial event at all (only RINGING), cause 19 on the channel;
 * - originate (POST /channels): the Local ;1 half is destroyed with cause 0 for busy and
 *   congestion; the real cause (17, 34) is on the ;2 half, which is also tracked;
 * - ChannelHangupRequest from our own DELETE has cause 32 with soft: true (the soft-hangup
 *   flag, not a Q.850 cause) and is ignored; without `soft` its cause is real (17, 34...);
 * - AMD runs in dialplan ([centralino-amd]): the channel reaches Stasis already answered,
 *   args ['amd', AMDSTATUS, AMDCAUSE]; such channels end with StasisEnd and no
 *   ChannelDestroyed, and an originate into dialplan sends no events before StasisStart.
 *
 * When is a call over? ChannelDestroyed of the dialed channel; for channels that entered
 * Stasis from dialplan (AMD), StasisEnd. `tracker.ended` says so. Classifying earlier gives the
 * verdict so far (an answered call with its AMD verdict is already final).
 *
 * Rules, in order:
 * 1. answered (Dial ANSWER, the channel Up, or an AMD hand-over):
 *    AMD MACHINE → machine; AMD HANGUP (the callee hung up during detection) → no_answer;
 *    AMD NOTSURE → human by default (`notSure: 'machine'` to treat it as a machine);
 *    a human (or no AMD) → abandoned when no agent was free (`agentFree: false`: the short
 *    information message played), reached otherwise (an agent took it, or the message
 *    campaign's flow played).
 * 2. a cause saying the number does not exist (1 unallocated, 2/3 no route, 22 number
 *    changed, 28 invalid number format) → invalid, whatever the Dial status.
 * 3. the last Dial status: BUSY → busy; NOANSWER, CANCEL → no_answer; CONGESTION,
 *    CHANUNAVAIL → failed.
 * 4. the cause: 17 → busy; 18, 19, 20 (absent subscriber), and 16/31 before an answer →
 *    no_answer; 21 (rejected), 27, 34, 38, 41, 42 and every other cause → failed.
 * 5. nothing at all (cause 0, no Dial status: e.g. a dial string that leads nowhere) → failed.
 */
import type { DialOutcome } from '../domain/campaign.js'

export type AmdStatus = 'MACHINE' | 'HUMAN' | 'NOTSURE' | 'HANGUP'

/** The fields of an ARI event the classifier reads (any ARI event object fits). */
export interface DialEventLike {
  type: string
  channel?: { id: string; state?: string } | undefined
  peer?: { id: string; state?: string } | undefined
  caller?: { id: string } | undefined
  dialstatus?: string
  cause?: number
  soft?: boolean
  args?: string[]
  variable?: string
  value?: string
}

export interface DialEvidence {
  answered: boolean
  /** The last Dial status other than '', RINGING, PROGRESS, PROCEEDING. */
  dialStatus?: string
  rang: boolean
  /** ChannelDestroyed cause of the dialed channel. */
  cause?: number
  /** A real (not soft) hangup-request cause of the dialed channel. */
  hangupCause?: number
  /** Causes of the other half of a Local pair (';2'), hangup request or destroyed. */
  peerCause?: number
  amd?: { status: AmdStatus | string; cause?: string }
  stasis: boolean
  ended: boolean
}

export interface ClassifyContext {
  /** When a human answered: was an agent free? false → abandoned. Omit for message campaigns. */
  agentFree?: boolean
  /** How AMD NOTSURE counts (default 'human'). */
  notSure?: 'human' | 'machine'
}

export interface Classification {
  outcome: DialOutcome
  answered: boolean
  /** A person answered (AMD said human or could not tell, or no AMD ran). */
  human: boolean
  /** Why, for logs and the export (no phone numbers in it). */
  detail: string
}

const INVALID_CAUSES = new Set([1, 2, 3, 22, 28])
const PROGRESS = new Set(['', 'RINGING', 'PROGRESS', 'PROCEEDING'])

/** Q.850 cause → outcome of an unanswered call. */
export function causeOutcome(cause: number): DialOutcome {
  if (INVALID_CAUSES.has(cause)) return 'invalid'
  switch (cause) {
    case 17:
      return 'busy'
    case 16:
    case 18:
    case 19:
    case 20:
    case 31:
      return 'no_answer'
    default:
      return 'failed'
  }
}

/** Dial event status → outcome, for the final statuses. */
export function dialStatusOutcome(status: string): DialOutcome | undefined {
  switch (status) {
    case 'BUSY':
      return 'busy'
    case 'NOANSWER':
    case 'CANCEL':
      return 'no_answer'
    case 'CONGESTION':
    case 'CHANUNAVAIL':
      return 'failed'
    default:
      return undefined
  }
}

/** Follows one dial attempt's events. */
export class DialTracker {
  readonly evidence: DialEvidence = { answered: false, rang: false, stasis: false, ended: false }
  private readonly peerIds: Set<string>

  /** channelId: the dialed channel (the ';1' half of a Local pair); otherChannelId if one was given. */
  constructor(
    readonly channelId: string,
    otherChannelId?: string,
  ) {
    this.peerIds = new Set([`${channelId};2`])
    if (otherChannelId) this.peerIds.add(otherChannelId)
  }

  /** Takes an event into account; false when it is about another call. */
  observe(ev: DialEventLike): boolean {
    const e = this.evidence
    if (ev.type === 'Dial') {
      if (ev.peer?.id !== this.channelId && ev.caller?.id !== this.channelId) return false
      const s = ev.dialstatus ?? ''
      if (s === 'RINGING') e.rang = true
      if (s === 'ANSWER') e.answered = true
      else if (!PROGRESS.has(s)) e.dialStatus = s
      return true
    }
    const id = ev.channel?.id
    if (id === undefined) return false
    const mine = id === this.channelId
    if (!mine && !this.peerIds.has(id)) return false
    switch (ev.type) {
      case 'ChannelStateChange':
        if (mine && ev.channel?.state === 'Up') e.answered = true
        if (mine && ev.channel?.state === 'Ringing') e.rang = true
        break
      case 'StasisStart':
        if (!mine) break
        e.stasis = true
        if (ev.args?.[0] === 'amd' && ev.args[1]) {
          e.answered = true
          e.amd = ev.args[2] !== undefined ? { status: ev.args[1], cause: ev.args[2] } : { status: ev.args[1] }
        } else if (ev.channel?.state === 'Up') e.answered = true
        break
      case 'ChannelVarset':
        // AMD() answers the channel before it listens: a verdict means an answer.
        if (ev.variable === 'AMDSTATUS' && ev.value) {
          e.amd = { ...e.amd, status: ev.value }
          e.answered = true
        }
        else if (ev.variable === 'AMDCAUSE' && ev.value && e.amd) e.amd.cause = ev.value
        break
      case 'ChannelHangupRequest':
        if (ev.soft === true || ev.cause === undefined || ev.cause === 0) break
        if (mine) e.hangupCause = ev.cause
        else e.peerCause = ev.cause
        break
      case 'ChannelDestroyed':
        if (mine) {
          e.cause = ev.cause ?? 0
          e.ended = true
        } else if (ev.cause) e.peerCause = ev.cause
        break
      case 'StasisEnd':
        if (mine && e.stasis) e.ended = true
        break
    }
    return true
  }

  /** The AMD verdict read with GET /channels/{id}/variable (when no event carried it). */
  setAmd(status: string, cause?: string): void {
    this.evidence.answered = true
    this.evidence.amd = cause !== undefined ? { status, cause } : { status }
  }

  classify(ctx: ClassifyContext = {}): Classification {
    return classifyEvidence(this.evidence, ctx)
  }

  get ended(): boolean {
    return this.evidence.ended
  }
}

/** The outcome the evidence supports (rules in the module comment). */
export function classifyEvidence(e: DialEvidence, ctx: ClassifyContext = {}): Classification {
  if (e.answered) {
    const amd = e.amd?.status
    const why = e.amd ? `AMD ${amd}${e.amd.cause ? ` (${e.amd.cause})` : ''}` : 'answered'
    if (amd === 'MACHINE' || (amd === 'NOTSURE' && ctx.notSure === 'machine')) return { outcome: 'machine', answered: true, human: false, detail: why }
    if (amd === 'HANGUP') return { outcome: 'no_answer', answered: true, human: false, detail: `${why}: hung up during detection` }
    if (ctx.agentFree === false) return { outcome: 'abandoned', answered: true, human: true, detail: `${why}, no agent free` }
    return { outcome: 'reached', answered: true, human: true, detail: why }
  }
  const causes = [e.hangupCause, e.cause, e.peerCause].filter((c): c is number => c !== undefined && c !== 0)
  const invalid = causes.find((c) => INVALID_CAUSES.has(c))
  if (invalid !== undefined) return { outcome: 'invalid', answered: false, human: false, detail: `cause ${invalid}` }
  const byStatus = e.dialStatus ? dialStatusOutcome(e.dialStatus) : undefined
  if (byStatus) return { outcome: byStatus, answered: false, human: false, detail: `Dial ${e.dialStatus}` }
  const cause = causes[0]
  if (cause !== undefined) return { outcome: causeOutcome(cause), answered: false, human: false, detail: `cause ${cause}${e.rang ? ' after ringing' : ''}` }
  return { outcome: 'failed', answered: false, human: false, detail: e.dialStatus ? `Dial ${e.dialStatus}` : 'no dial status and no cause' }
}
