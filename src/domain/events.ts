/**
 * The call event log: every call event appended once, the source of statistics and exports.
 * A discriminated union on `type`; every event carries the call id and the engine's clock time.
 */

import type { DialOutcome } from './campaign.js'

interface Base {
  /** Unique id of this event (idempotent append). */
  id: string
  at: number
  callId: string
  engineId?: string
}

export type CallEvent =
  | (Base & { type: 'call.started'; direction: 'inbound' | 'outbound'; flowId?: string; flowVersion?: string; callerNumber?: string })
  | (Base & { type: 'ivr.finished'; flowId: string; flowVersion: string; outcome: string; node: string; trail: string[] })
  | (Base & { type: 'queue.entered'; section: string; priority: number; position: number })
  | (Base & { type: 'queue.announced'; section: string; ahead: number })
  | (Base & { type: 'agent.offered'; section: string; agentId: string })
  | (Base & { type: 'agent.no_answer'; section: string; agentId: string; cause?: number })
  | (Base & { type: 'queue.connected'; section: string; agentId: string; waitMs: number })
  | (Base & { type: 'queue.abandoned'; section: string; waitMs: number; position: number })
  | (Base & { type: 'call.transferred'; target: string; kind: 'section' | 'external'; mode?: 'blind' | 'attended'; agentId?: string; by?: string })
  | (Base & { type: 'callback.requested'; section: string; number: string; waitMs: number; position: number })
  | (Base & { type: 'callback.attempt'; section: string; agentId: string; attempt: number; mode: 'agent-first' | 'citizen-first'; outcome: 'answered' | 'no_answer' | 'busy' | 'failed' | 'agent_no_answer' })
  | (Base & { type: 'callback.completed'; section: string; agentId: string; attempts: number; waitMs: number })
  | (Base & { type: 'callback.failed'; section: string; attempts: number; reason: string })
  | (Base & { type: 'call.ended'; cause?: number; reason: string; durationMs: number })
  /** One outbound campaign dial attempt, classified (callId: the dialed channel; no phone number in it, only the contact's insertion order). */
  | (Base & { type: 'dial.attempt'; campaignId: string; contactSeq: number; attempt: number; outcome: DialOutcome; detail: string; amd?: string; ringMs?: number; transfer?: boolean })

export type CallEventType = CallEvent['type']

/** Distributes Omit over the union so each variant keeps its own fields. */
export type NewCallEvent = CallEvent extends infer E ? (E extends CallEvent ? Omit<E, 'id' | 'at'> : never) : never
