/**
 * ACD domain types shared by the queue policies, the queue service and the stores:
 * sections, agents and their states, queue entries.
 */

export type AgentState = 'logged_out' | 'ready' | 'reserved' | 'on_call' | 'wrap_up' | 'paused'

export interface SectionDef {
  id: string
  name: string
  /** The switchboard: where "0 for an operator" lands. */
  operator: boolean
  ringTimeoutSec: number
  mohClass: string
  wrapUpSec: number
  /** How long an agent who did not answer stays paused before the engine makes them ready again. */
  noAnswerPauseSec: number
  announce: {
    onEntry: boolean
    /** Seconds between periodic announcements; 0 = none. */
    everySec: number
    position: boolean
  }
}

export interface AgentDef {
  id: string
  name: string
  endpoint: string
  sections: string[]
}

export interface AgentRecord extends AgentDef {
  state: AgentState
  /** Time of the last state change (ms). */
  since: number
  /** When the agent last became free (ready after a call or login): longest idle goes first. */
  idleSince: number
  pauseReason?: string
  callId?: string
}

export interface QueueEntry {
  callId: string
  section: string
  priority: number
  /** Time the caller first entered a queue for this call; kept through transfers and retries. */
  enteredAt: number
  /** Tie-breaker among equal priority and time. */
  seq: number
  lang: string
  /** 'waiting', or 'offered' while an agent's phone rings for this caller. */
  status: 'waiting' | 'offered'
  offeredTo?: string
  engineId?: string
}

/** Service order of queue entries: priority (high first), then entry time, then arrival sequence. */
export function compareEntries(a: QueueEntry, b: QueueEntry): number {
  return b.priority - a.priority || a.enteredAt - b.enteredAt || a.seq - b.seq
}
