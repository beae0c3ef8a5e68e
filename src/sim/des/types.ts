/**
 * Contracts of the discrete-event dialer simulator: what a pacing controller sees each tick,
 * how retries are decided, the run's configuration and its results.
 */
import type { DialOutcome } from '../../domain/campaign.js'
import type { Schedule } from '../../ivr/hours.js'
import type { BusyAgent } from '../../dialer/pacing.js'
import type { GovernorConfig, GovernorState } from '../../dialer/governor.js'
import type { Callee } from './callee.js'
import type { LiveStatsPriors, LiveStatsSnapshot } from './live-stats.js'

export interface Counts {
  attempts: number
  liveAnswers: number
  abandons: number
}

/** The dialer's live view at a tick, as the engine would have it (no peeking at the callee model). */
export interface ControllerView {
  readonly now: number
  /** Agents logged in (agent campaigns; 0 for message campaigns). */
  readonly agents: number
  readonly ready: number
  readonly talking: number
  readonly wrapping: number
  /** Calls ringing or in answering-machine detection. */
  readonly inFlight: number
  /** Persons who answered and are waiting (within the grace) for an agent. */
  readonly queued: number
  readonly trunkInUse: number
  readonly trunkCapacity: number
  readonly maxCallsPerSecond: number
  readonly sinceLastLaunchMs: number
  /** When the current window closes. */
  readonly windowEnd: number
  /** Seconds a person who answered waits for an agent before the message. */
  readonly graceSec: number
  readonly stats: LiveStatsSnapshot
  /** Live answers and abandons per minute (the abandon governor's rolling window). */
  readonly governor: GovernorState
  /** Since the start of the local day, and over the last 60 s. */
  readonly today: Counts
  readonly lastMinute: Counts
  /** Message campaigns: transfers waiting for an operator, operators free. */
  readonly transfers: { waiting: number; operatorsFree: number }
  /** The ring timeout: no call in flight is answered later than this after its launch (plus detection). */
  readonly ringTimeoutSec: number
  /** Busy agents with how long they have been in their phase and the measured means. */
  busyAgents(): BusyAgent[]
  /** Seconds since each call in flight was launched. */
  ringing(): number[]
}

export interface Launch {
  launch: number
  /** Abandons the controller expects these launches to add (recorded for the governor's calibration). */
  expectedAbandons?: number
}

export interface PacingController {
  readonly name: string
  /** Calls to launch now; the simulator also enforces trunk channels and calls per second for every controller. */
  decide(view: ControllerView): number | Launch
}

/** What becomes of a contact after an attempt (src/dialer/retry.ts nextAttempt, through campaignRetry). */
export interface RetryResult {
  status: 'done' | 'pending' | 'failed'
  nextAt: number
  cooldownUntil?: number
}

export type RetryFn = (contact: { attempts: number; cooldownUntil?: number }, outcome: DialOutcome, now: number) => RetryResult

export interface DesConfig {
  seed: number
  /** Simulated span: windows that open in [start, end). */
  start: number
  end: number
  windows: Schedule
  /** 'agents': every live answer goes to an agent (or is abandoned); 'message': it hears a message flow. */
  mode: 'agents' | 'message'
  agents: number
  /** Message campaigns: operators who take the transfers. */
  operators?: number
  contacts: number
  callee: Callee
  controller: PacingController
  retry: RetryFn
  trunkCapacity: number
  maxCallsPerSecond: number
  /** Ring timeout before no answer, seconds (default 25). */
  ringTimeoutSec?: number
  /** A person who answered waits at most this long for an agent before the message (default 2). */
  graceSec?: number
  /** Length of the "no agent free" message of an abandoned call (default 8 s). */
  abandonMessageSec?: number
  /** Message left on a machine (0: hang up; default 0). */
  machineMessageSec?: number
  /** Pacing decisions every tickMs of virtual time inside windows (default 1000). */
  tickMs?: number
  /** Which contact next: retries that are due before fresh ones, or fresh ones first. */
  order?: 'due-first' | 'fresh-first'
  /** Stop launching once this many contacts are reached. */
  stopAtReached?: number
  governor?: GovernorConfig
  priors?: LiveStatsPriors
  /** Called for every launch and every outcome (tests). */
  onLaunch?: (at: number, contact: number, attempt: number) => void
  onOutcome?: (at: number, contact: number, attempt: number, outcome: DialOutcome) => void
}

export type OutcomeCounts = Record<DialOutcome, number>

export interface DayResult {
  date: string
  attempts: number
  outcomes: OutcomeCounts
  liveAnswers: number
  abandons: number
  abandonRate: number
  /** Agent busy time (talk + wrap-up) inside the windows, and agent time logged in the windows, ms. */
  busyMs: number
  loggedMs: number
  occupancy: number
  reachedSoFar: number
}

export interface DesResult {
  controller: string
  attempts: number
  outcomes: OutcomeCounts
  liveAnswers: number
  abandons: number
  abandonRate: number
  worstDayAbandonRate: number
  occupancy: number
  windowHours: number
  callsPerHour: number
  reachedPerAgentHour: number
  reached: number
  /** Contacts dialed at least once, and reached on their first attempt. */
  contactsDialed: number
  reachedFirstCall: number
  transfers: number
  /** When stopAtReached was met, and how many local days with a window had opened by then. */
  targetAt?: number
  targetDays?: number
  days: DayResult[]
  maxTrunkInUse: number
}
