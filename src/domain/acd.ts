/**
 * ACD domain types shared by the queue policies, the queue service and the stores:
 * sections (with their skill requirements, relaxation, overflow, continuity and announcement
 * policy), agents with their skills and states, queue entries.
 */

export type AgentState = 'logged_out' | 'ready' | 'reserved' | 'on_call' | 'wrap_up' | 'paused'

/** Skill id -> level (1 = basic, 5 = expert). As a requirement: the minimum level. */
export type SkillLevels = Record<string, number>

/**
 * A step of relaxation, taken once a caller has waited `afterSec`. The last step reached
 * applies (steps are kept sorted by afterSec).
 */
export interface RelaxStep {
  afterSec: number
  /** Every required minimum level becomes at most this (1 = any level of the skill). */
  minLevel?: number
  /** The caller's own requirements (language, skills asked by the flow) no longer apply. */
  dropCallerSkills?: boolean
}

/**
 * After `afterSec` of waiting, agents who serve section `to` may also take the caller: the
 * caller keeps its entry (and its place) in its own section; its own section's agents still
 * come first.
 */
export interface OverflowStep {
  afterSec: number
  to: string
}

export interface AnnouncePolicy {
  onEntry: boolean
  /** Seconds between periodic announcements (from the start of the previous one); 0 = none. */
  everySec: number
  /** Minimum silence (music) between the end of an announcement and the start of the next. */
  minGapSec?: number
  /** Say how many callers are ahead. */
  position: boolean
  /** Say the estimated wait. */
  wait?: boolean
  /** Estimates above this many minutes are said as "more than N minutes". */
  waitCapMin?: number
}

/**
 * Callbacks (src/calls/callback.ts): a waiting caller presses `digit` to be called back
 * instead of waiting; its entry stays in the queue, in the same place, as a virtual entry.
 */
export interface CallbackPolicy {
  enabled: boolean
  /** The key the caller presses while waiting (default '5'). */
  digit: string
  /** The offer is said in the announcements once the caller has waited this long. */
  offerAfterSec: number
  /** agent-first: ring the agent, then dial the citizen; citizen-first: dial the citizen, prompt, then ring the agent. */
  mode: 'agent-first' | 'citizen-first'
  /** Calls to the citizen (answered or not) before the callback fails. */
  maxAttempts: number
  /** After an unanswered or busy attempt, the entry is not offered again for this long (it keeps its place). */
  retryAfterSec: number
  /** How long the citizen's phone rings. */
  ringTimeoutSec: number
}

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
  announce: AnnouncePolicy
  /**
   * Skills an agent needs (at least these levels) to serve the section without being one of its
   * listed members. Members (AgentDef.sections) serve it whatever their levels.
   */
  skills?: SkillLevels
  /** Caller's language -> minimum level of the skill of that name (e.g. en: 2 needs skill `en` >= 2). */
  languages?: SkillLevels
  relax?: RelaxStep[]
  overflow?: OverflowStep[]
  /** A citizen calling again within withinSec is held for the agent who served them last, up to holdSec. */
  continuity?: { withinSec: number; holdSec: number }
  /** Handle time (talk + wrap-up, seconds) assumed before any call of the section has been measured. */
  expectedHandleSec?: number
  callback?: CallbackPolicy
}

export interface AgentDef {
  id: string
  name: string
  endpoint: string
  /** Sections the agent is a member of: it serves them whatever the skill requirements. */
  sections: string[]
  skills?: SkillLevels
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
  /** The caller's own skill requirements (e.g. asked by the flow), on top of the section's. */
  callerSkills?: SkillLevels
  /** The caller's number (for the continuity rule: who served them is recorded on connect). */
  caller?: string
  /** Continuity: the agent who served this citizen last, who gets them first until preferredUntil (ms). */
  preferredAgent?: string
  preferredUntil?: number
  /** 'callback': a virtual entry, the caller hung up and is called back when its turn comes. */
  kind?: 'call' | 'callback'
  /** The callback request of a callback entry. */
  recall?: CallbackInfo
  /** The entry is not offered before this time (ms): a callback waiting to retry, keeping its place. */
  notBefore?: number
}

/** What a callback entry carries (QueueEntry.recall). */
export interface CallbackInfo {
  /** The number to call (the caller's, normalised). */
  number: string
  /** When the caller asked (ms). */
  requestedAt: number
  /** The engine that took the request: it places the calls (others take over if it does not). */
  engineId?: string
  /** Calls placed to the citizen so far. */
  attempts: number
}

/**
 * An agent's stored record with its configured sections and skills: the configuration
 * applies over whatever the record says (skills removed from the configuration are gone).
 */
export function configuredAgent(a: AgentRecord, def: AgentDef | undefined): AgentRecord {
  return def ? { ...a, sections: def.sections, skills: def.skills } : a
}

/** Service order of queue entries: priority (high first), then entry time, then arrival sequence. */
export function compareEntries(a: QueueEntry, b: QueueEntry): number {
  return b.priority - a.priority || a.enteredAt - b.enteredAt || a.seq - b.seq
}
