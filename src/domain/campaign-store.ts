/**
 * CampaignStore port: the dialer's shared state, in memory for one engine or in Redis for
 * several (same contract suite, test/helpers/campaign-store-contract.ts). Every method is
 * async; every method that changes more than one thing does it atomically.
 *
 * - Campaigns: the configuration, the status and the history of status changes.
 * - Contacts: merged on their id (the E.164 number) at import, scanned in insertion order for
 *   the export, counted by status.
 * - Scheduling: a contact is due when it is 'pending' and nextAt <= now; due contacts come out
 *   in nextAt order, then insertion order. claimDue takes them for an engine under a lock
 *   (owner + expiry): a contact is 'dialing' for one engine at a time. complete() writes the
 *   attempt's outcome only while the lock is still the caller's. releaseExpired() gives the
 *   contacts of an engine that died back to 'pending', WITHOUT counting an attempt (nobody
 *   knows whether the call was placed; the contact keeps its nextAt, so it is first in line
 *   again, and `releases` counts how often that happened). A long call keeps its contact
 *   locked with renewLocks().
 * - The opt-out register (national, all campaigns) and the abandoned numbers (the 5-day rule,
 *   national too: a person abandoned by one campaign is not called by another either).
 * - Shared live statistics: counters by outcome, attempt number and hour bucket (written by
 *   complete(), once per attempt, with the lock check), named counters, the rolling abandon
 *   window (minute buckets of live answers and abandons), and the in-flight count per engine.
 *
 * Times are epoch ms given by the caller (the engines' clocks), never read by the store,
 * except put()'s default creation time.
 */
import type { CampaignConfig, CampaignStatus, Contact, ContactStatus, DialOutcome } from './campaign.js'

export interface StatusChange {
  status: CampaignStatus
  at: number
}

export interface CampaignRecord {
  config: CampaignConfig
  status: CampaignStatus
  createdAt: number
  /** Every status the campaign went through, oldest first (the first is 'draft' at createdAt). */
  history: StatusChange[]
}

/** A contact as import hands it over: the number, fields and lines; the rest has defaults. */
export type NewContact = Pick<Contact, 'id' | 'number' | 'fields' | 'lines'> &
  Partial<Pick<Contact, 'name' | 'consent' | 'status' | 'attempts' | 'nextAt' | 'outcomes' | 'lastOutcome' | 'reachedAt' | 'cooldownUntil'>>

/** Who is dialing a contact, until when, and which claim of the contact this is (1, 2, ...). */
export interface ContactLock {
  engineId: string
  until: number
  claim: number
}

/** A contact as stored: its insertion order, the lock while dialing, the releases after crashes. */
export type StoredContact = Contact & {
  /** 1-based insertion order in its campaign (ties of nextAt go by it; the export follows it). */
  seq: number
  lock?: ContactLock
  /** Times releaseExpired() returned it to pending from a lapsed lock. */
  releases?: number
}

export interface AddContactsResult {
  /** New contacts. */
  added: number
  /** Contacts of the batch whose id was already stored (or earlier in the batch): lines appended, the first fields kept. */
  merged: number
}

export interface ScanPage {
  contacts: StoredContact[]
  /** Pass back for the next page; '0' when the scan is over (it also starts at '0'). */
  cursor: string
}

export interface AttemptResult {
  /** The outcome of the dial; absent when the contact was not dialed after all (consent check, 5-day rule): no attempt is counted. */
  outcome?: DialOutcome
  /** The contact's status afterwards (not 'dialing'). 'pending' schedules it again at nextAt. */
  status: Exclude<ContactStatus, 'dialing'>
  /** Next attempt not before (for 'pending'); absent keeps the contact's current nextAt. */
  nextAt?: number
  /** When the attempt ended. */
  at: number
  /** Hour bucket of the statistics (e.g. the local hour '2026-11-23T10' the caller computed). */
  hour?: string
  /** Until then the contact may be dialed only with an agent reserved first (retry.ts, the abandoned rule); absent keeps the stored one. */
  cooldownUntil?: number
  /** The lock's claim number (from the claimed contact): refuses a late result of an earlier claim. */
  claim?: number
}

export type CountsByOutcome = Partial<Record<DialOutcome, number>>

export interface CampaignStats {
  /** Attempts by outcome. */
  byOutcome: CountsByOutcome
  /** Attempt number (1 = first call) -> outcomes. */
  byAttempt: Record<number, CountsByOutcome>
  /** Hour bucket (as given to complete) -> outcomes. */
  byHour: Record<string, CountsByOutcome>
  /** Named counters (bump): put through to an agent, transfers to operators, human, machine... */
  counters: Record<string, number>
}

export interface AbandonWindow {
  answers: number
  abandons: number
}

export interface CampaignStore {
  // --- campaigns
  /** Creates the campaign ('draft', history starting at `at`) or replaces its config (status and history kept). */
  put(config: CampaignConfig, at?: number): Promise<void>
  get(id: string): Promise<CampaignRecord | undefined>
  /** All campaigns, by creation time then id. */
  list(): Promise<CampaignRecord[]>
  /**
   * Sets the status at `at` (appended to the history), only if the current one is in `from`
   * when given. The status it already has changes nothing. undefined: no such campaign, or
   * not in `from`.
   */
  setStatus(id: string, status: CampaignStatus, at: number, from?: CampaignStatus[]): Promise<CampaignRecord | undefined>

  // --- contacts
  /** Adds a batch (about 1,000 a call); throws NOT_FOUND for an unknown campaign. */
  addContacts(campaignId: string, contacts: NewContact[]): Promise<AddContactsResult>
  /**
   * Contacts that must never be called (consent refused on a later row, or in a later list):
   * consent false; a pending one becomes 'excluded' and leaves the schedule; one being dialed,
   * done or failed keeps its status. Unknown ids are ignored. Returns how many changed.
   */
  excludeContacts(campaignId: string, contactIds: string[]): Promise<number>
  getContact(campaignId: string, contactId: string): Promise<StoredContact | undefined>
  /** Contacts in insertion order, `count` at a time, from cursor '0' until the returned cursor is '0'. */
  scan(campaignId: string, cursor: string, count: number): Promise<ScanPage>
  counts(campaignId: string): Promise<Record<ContactStatus, number>>

  // --- scheduling
  /** Atomically takes up to n due contacts (pending, nextAt <= now; nextAt then insertion order) and locks them for engineId until now + leaseMs. */
  claimDue(campaignId: string, now: number, n: number, engineId: string, leaseMs: number): Promise<StoredContact[]>
  /** The smallest nextAt of the pending contacts (undefined: none pending). */
  nextDueAt(campaignId: string): Promise<number | undefined>
  /** Extends the locks engineId still holds to `until`; returns how many. */
  renewLocks(campaignId: string, engineId: string, contactIds: string[], until: number): Promise<number>
  /**
   * Records the end of a claimed contact's attempt, only if it is 'dialing' under engineId's
   * lock (and claim, when given): attempts + 1, outcome appended, lastOutcome, reachedAt for
   * 'reached', the statistics counted; status, nextAt and cooldownUntil set, the lock dropped.
   * (attempts counts finished attempts: retry.ts's nextAttempt wants the attempt being
   * classified counted, so the service passes the claimed contact with attempts + 1.)
   * undefined: refused (the lock is not ours any more).
   */
  complete(campaignId: string, contactId: string, engineId: string, result: AttemptResult): Promise<StoredContact | undefined>
  /** Returns 'dialing' contacts whose lock expired at or before now to 'pending' (no attempt counted); at most `limit` a call. Returns their ids. */
  releaseExpired(campaignId: string, now: number, limit?: number): Promise<string[]>
  /** Contacts each engine is dialing now (engines with none are absent). */
  inFlight(campaignId: string): Promise<Record<string, number>>

  // --- opt-out register (national)
  /** Returns how many were not registered yet. */
  addOptOut(numbers: string[]): Promise<number>
  /** Returns how many were registered. */
  removeOptOut(numbers: string[]): Promise<number>
  /** The numbers of the batch that are registered. */
  isOptedOut(numbers: string[]): Promise<Set<string>>
  optOutCount(): Promise<number>

  // --- abandoned numbers (the 5-day rule, national)
  /** Not to be called before `until` (a later until already recorded is kept). */
  markAbandoned(number: string, until: number): Promise<void>
  /** The until recorded for the number, possibly past (undefined: none). */
  abandonedUntil(number: string): Promise<number | undefined>
  /** Forgets the numbers whose until is at or before now; returns how many. */
  pruneAbandoned(now: number): Promise<number>

  // --- shared live statistics
  stats(campaignId: string): Promise<CampaignStats>
  /** Adds to named counters (monitoring: connected, transfers, human, machine...). */
  bump(campaignId: string, counters: Record<string, number>): Promise<void>
  /** A live answer at `at` (abandoned: no agent was free), in its minute bucket. */
  recordAnswer(campaignId: string, at: number, abandoned: boolean): Promise<void>
  /**
   * Answers and abandons in the minute buckets of the window ending at now: the bucket of now
   * and the windowMs / 60 s - 1 before it (buckets are whole minutes of epoch time).
   */
  abandonWindow(campaignId: string, now: number, windowMs: number): Promise<AbandonWindow>
}

export const CONTACT_STATUSES: readonly ContactStatus[] = ['pending', 'dialing', 'done', 'failed', 'excluded']

/** Minute bucket of an abandon-window time. */
export const minuteOf = (t: number): number => Math.floor(t / 60_000)

/** The first minute bucket inside the window ending at now. */
export const windowStartMinute = (now: number, windowMs: number): number => minuteOf(now) - Math.max(1, Math.ceil(windowMs / 60_000)) + 1

/** Empty counts by status. */
export function emptyCounts(): Record<ContactStatus, number> {
  return { pending: 0, dialing: 0, done: 0, failed: 0, excluded: 0 }
}
