/**
 * What the queue service exchanges with the rest of the engine: the connector that rings
 * agents and places callback calls (calls/), its dependencies, and what it reports.
 */
import type { AgentDef, AgentRecord, AgentState, QueueEntry, SectionDef, SkillLevels } from '../domain/acd.js'
import type { Clock } from '../domain/clock.js'
import type { NewCallEvent } from '../domain/events.js'
import type { Logger } from '../domain/log.js'
import type { Store } from '../domain/store.js'

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

export interface CallbackRequest extends ConnectRequest {
  /** The callback entry (its recall.number is the number to call). */
  entry: QueueEntry
  /** This attempt's number, 1 for the first call to the citizen. */
  attempt: number
}

export type CallbackResult =
  /** Agent and citizen are bridged; the call reports its end with agentCallEnded. */
  | { kind: 'answered' }
  /** The citizen was not reached: an attempt is counted. */
  | { kind: 'citizen_no_answer'; outcome: 'no_answer' | 'busy' | 'failed'; cause?: number; reason?: string }
  /** The reserved agent did not answer (or could not be rung): the entry goes back to its place, no attempt counted. */
  | { kind: 'agent_no_answer'; cause?: number; unreachable?: boolean }
  /** Cut short (the agent hung up before the citizen answered, the engine stopping): back to its place. */
  | { kind: 'aborted' }

export interface AgentConnector {
  /** Rings the agent for the caller and, if answered, connects them. */
  connect(req: ConnectRequest): Promise<ConnectResult>
  /** Places a callback call for a callback entry with the reserved agent (calls/callback.ts). */
  callback?(req: CallbackRequest): Promise<CallbackResult>
  /** The books of a callback attempt that did not connect are closed: its recovery record can go. */
  callbackSettled?(callId: string): Promise<void>
}

/**
 * A callback entry whose request was taken by another engine (it places the call) is offered
 * by this engine once it has been due here for this long without that engine offering it:
 * the requesting engine may be gone. markOffered is atomic, so only one engine places it.
 */
export const CALLBACK_TAKEOVER_MS = 15_000

export interface AcdDeps {
  store: Store
  clock: Clock
  sections: SectionDef[]
  agents: AgentDef[]
  connector: AgentConnector
  log: Logger
  emit: (e: NewCallEvent) => void
  engineId?: string
  /**
   * Several engines share the queues (one store): each engine offers only the callers whose
   * call it runs (`owns`), following the one plan every engine computes from the shared
   * queues, so the national order holds; and it dispatches every `peerDispatchMs` too, since an
   * agent freed or a caller queued by another engine is not announced to this one.
   */
  owns?: (callId: string) => boolean
  peerDispatchMs?: number
}

export interface JoinParams {
  section: string
  priority?: number
  lang: string
  /** Keep an earlier entry time (transfers, retries): the caller loses no place. */
  enteredAt?: number
  /**
   * The caller's number, for continuity. When absent, the call's record in the store is asked
   * (CallRecord.callerNumber).
   */
  caller?: string
  /** The caller's own skill requirements (a list means level 1 of each), e.g. from the flow's queue node. */
  skills?: string[] | SkillLevels
}

/** What an announcement needs to know about a waiting caller. */
export interface QueueStatus {
  entry: QueueEntry
  /** Callers who will be served first (routing.callersAhead). */
  ahead: number
  /** Estimated seconds until answered; undefined when no agent can serve the caller now. */
  waitSec: number | undefined
}

export interface AcdSnapshot {
  sections: Array<{ id: string; waiting: number; offered: number; longestWaitMs: number }>
  agents: Record<AgentState, number>
}
