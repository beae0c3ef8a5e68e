/**
 * Store port: the state that must outlive a call's process and be shared between engines.
 * Every method is async (Redis arrives behind the same port). Methods that change several
 * things at once are atomic: an agent is claimed by at most one call.
 */
import type { AgentRecord, AgentState, CallbackInfo, QueueEntry } from './acd.js'
import type { CallEvent } from './events.js'

export interface QueueStore {
  /** Adds or replaces the entry for entry.callId. */
  enqueue(entry: Omit<QueueEntry, 'seq'> & { seq?: number }): Promise<QueueEntry>
  remove(callId: string): Promise<QueueEntry | undefined>
  get(callId: string): Promise<QueueEntry | undefined>
  /**
   * Entries of a section in service order: priority (high first), then enteredAt, then seq;
   * only the first `limit` of them when a limit is given (the head, for routing).
   */
  list(section: string, limit?: number): Promise<QueueEntry[]>
  /** Marks an entry offered to an agent (only if still waiting). */
  markOffered(callId: string, agentId: string): Promise<boolean>
  /** Returns an offered entry to waiting, keeping its place. */
  markWaiting(callId: string): Promise<boolean>
  /**
   * Turns a waiting caller's entry into a callback entry in the same place (kind 'callback',
   * `recall` set), unless another callback for the same number is pending (an entry of
   * another call registered for cb.number still queued): one pending callback per number.
   * 'not_waiting': the entry is absent or offered to an agent right now.
   */
  enqueueCallback(callId: string, cb: CallbackInfo): Promise<'ok' | 'duplicate' | 'not_waiting'>
}

export interface AgentStore {
  upsert(agent: AgentRecord): Promise<void>
  get(id: string): Promise<AgentRecord | undefined>
  list(): Promise<AgentRecord[]>
  /**
   * Atomically moves an agent from one of `from` to `to` at time `at`, applying the patch
   * (pauseReason is cleared when leaving paused unless the patch sets it).
   * Returns the updated record, or undefined if the agent was not in one of `from`.
   */
  transition(
    id: string,
    from: AgentState[],
    to: AgentState,
    at: number,
    patch?: Partial<Pick<AgentRecord, 'pauseReason' | 'callId' | 'idleSince'>>,
  ): Promise<AgentRecord | undefined>
}

export interface EventLog {
  append(e: CallEvent): Promise<void>
  /** Events in append order, optionally from an index. */
  read(from?: number, limit?: number): Promise<CallEvent[]>
}

/** Who served a caller last: the continuity rule offers a returning citizen to the same operator. */
export interface CallerHistory {
  /** Records that `agentId` served `caller` (a normalised phone number) at `at`. */
  recordServed(caller: string, agentId: string, at: number): Promise<void>
  /** The last agent who served `caller`, if any was recorded within `withinMs` before `now`. */
  lastServed(caller: string, now: number, withinMs: number): Promise<{ agentId: string; at: number } | undefined>
}

/**
 * What an engine needs to resume a call it did not see end (crash, restart, a standby taking
 * over): written as the call moves on, deleted when it ends. Opaque JSON for the stores.
 */
export interface CallRecord {
  callId: string
  channelId: string
  /** The Asterisk server (ARI application owner) the channel lives on. */
  serverId: string
  phase: 'ivr' | 'queue' | 'connected' | 'transfer' | 'callback'
  startedAt: number
  entry?: string
  callerNumber?: string
  lang?: string
  /** The flow's persisted XState snapshot (deadlines are in its context) and its prompt counter. */
  flow?: { id: string; version: string; snapshot: unknown; promptSeq: number }
  /** What the flow produced (the agent sees it), once it finished. */
  flowOutput?: unknown
  section?: string
  agentId?: string
  otherLeg?: string
  bridgeId?: string
  firstEnteredAt?: number
  offers: number
  updatedAt: number
  /**
   * A callback call (phase 'callback', kept under callbackRecordId(entry call id) so that it never
   * meets the record of the call that asked for it): its legs, and whether they are bridged.
   */
  callback?: { entryCallId: string; attempt: number; agentId: string; section: string; agentLeg: string; citizenLeg: string; bridgeId: string; connected: boolean }
}

/** The record id of the callback call for a queue entry's call id. */
export const callbackRecordId = (entryCallId: string): string => `callback:${entryCallId}`

export interface CallStore {
  put(r: CallRecord): Promise<void>
  get(callId: string): Promise<CallRecord | undefined>
  delete(callId: string): Promise<void>
  /** The records of one server's calls. */
  list(serverId: string): Promise<CallRecord[]>
}

/**
 * Leases: one owner at a time per name, for as long as it renews before the lease expires
 * (the engine driving an Asterisk server; a standby takes over when the lease lapses).
 */
export interface LeaseStore {
  /** Takes the lease if free or expired (or already ours, renewing it). */
  acquire(name: string, owner: string, ttlMs: number, now: number): Promise<boolean>
  /** Extends the lease only if `owner` still holds it. */
  renew(name: string, owner: string, ttlMs: number, now: number): Promise<boolean>
  /** Gives the lease up if `owner` holds it. */
  release(name: string, owner: string): Promise<void>
  holder(name: string, now: number): Promise<string | undefined>
}

export interface Store {
  queues: QueueStore
  agents: AgentStore
  events: EventLog
  history: CallerHistory
  calls: CallStore
  leases: LeaseStore
  close(): Promise<void>
}
