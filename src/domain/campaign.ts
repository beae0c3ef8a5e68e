/**
 * Outbound campaigns: the shared vocabulary of the dialer (import, consent, windows, retries,
 * pacing, the campaign service, the stores and the API). Plain data only.
 */
import type { Schedule } from '../ivr/hours.js'

/** How one dial attempt ended, classified from the Dial events and Q.850 causes. */
export type DialOutcome =
  | 'reached' // a person answered (and was put through or heard the message)
  | 'busy'
  | 'no_answer'
  | 'machine' // an answering machine (AMD said MACHINE)
  | 'abandoned' // a person answered and no agent was free: the short information message played
  | 'failed' // congestion, unallocated number, trunk error, rejected...
  | 'invalid' // the number cannot be reached at all (unallocated/invalid format): never retried

export const DIAL_OUTCOMES: readonly DialOutcome[] = [
  'reached',
  'busy',
  'no_answer',
  'machine',
  'abandoned',
  'failed',
  'invalid',
]

export type CampaignMode = 'progressive' | 'predictive' | 'message'
export type CampaignStatus = 'draft' | 'running' | 'paused' | 'stopped' | 'completed'

/** Per outcome: after how long the contact may be dialed again and at most how many attempts in all. */
export interface RetryRule {
  delayMinutes: number
  maxAttempts: number
}

export type RetryRules = Partial<Record<Exclude<DialOutcome, 'reached'>, RetryRule>>

export interface CampaignConfig {
  id: string
  name: string
  mode: CampaignMode
  /** Operator section the agents come from (progressive/predictive) or transfers go to (message). */
  section: string
  /** Message flow id (message campaigns; also what a person hears when no agent is free). */
  messageFlow?: string
  /** Flow key (DTMF) that asks for an operator in a message campaign. */
  transferKey?: string
  /** Calling windows (Europe/Rome by default, Italian holidays closed by default). */
  windows: Schedule
  retries: RetryRules
  /** Attempts in all per contact, whatever the outcomes (hard cap). */
  maxAttempts: number
  /** Abandon ceiling as a fraction of live answers over the rolling window (default 0.03). */
  abandonCeiling: number
  /** Rolling window of the abandon ceiling, ms (default 24 h). */
  abandonWindowMs: number
  /** Minimum ring time before giving up, seconds (default 15, at least 15). */
  ringSeconds: number
  /** What to do when AMD says machine. */
  onMachine: 'hangup' | 'message'
  /** Caller id presented on outbound calls (a valid number of the service). */
  callerId: string
  /** Dial string template per trunk, e.g. 'PJSIP/{number}@trunk' or 'Local/{number}@callees'. */
  trunk: string
  /** Channels this server may use for the campaign, and calls started per second at most. */
  maxChannels: number
  maxCallsPerSecond: number
  /** A number that was abandoned is not called again for this long unless an agent is reserved first (default 5 days). */
  abandonedCooldownMs: number
  /**
   * Answering-machine detection (the [centralino-amd] dialplan context, reached by originate):
   * absent means the default, on for predictive and message campaigns, off for progressive ones
   * (which dial with create + dial and its real Q.850 causes).
   */
  amd?: boolean
}

export type ContactStatus = 'pending' | 'dialing' | 'done' | 'failed' | 'excluded'

export interface Contact {
  /** Stable within the campaign (the normalised number: duplicates are merged on it). */
  id: string
  campaignId: string
  /** E.164, e.g. '+393331234567'. */
  number: string
  name?: string
  /** Consent given with the row: false excludes the contact; undefined means not stated (allowed unless opted out). */
  consent?: boolean
  /** Other columns of the row, kept for the agent and the export. */
  fields: Record<string, string>
  /** 1-based line numbers of the CSV rows merged into this contact. */
  lines: number[]
  status: ContactStatus
  attempts: number
  /** Earliest time of the next attempt (epoch ms); 0 = as soon as possible. */
  nextAt: number
  lastOutcome?: DialOutcome
  /** Per attempt, in order. */
  outcomes: DialOutcome[]
  /** When the contact was reached (done), if it was. */
  reachedAt?: number
  /**
   * Set after an abandoned call (src/dialer/retry.ts): until this instant (epoch ms) the
   * contact may be dialed only with an agent reserved for it first, never predictively.
   */
  cooldownUntil?: number
}

/** A CSV row that was not imported, with the reason a campaign manager can act on. */
export interface RejectedRow {
  line: number
  reason: string
  /** The raw value that failed (redact before logging: it may be a number). */
  value?: string
}

export interface ImportReport {
  campaignId: string
  rows: number
  imported: number
  merged: number
  rejected: number
  optedOut: number
  noConsent: number
  /** The first rejected rows (all are counted; at most a bounded number kept). */
  rejectedRows: RejectedRow[]
}
