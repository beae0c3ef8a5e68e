/**
 * Messages between the bench (the engine's process) and the simulator child (sim-child.ts),
 * over Node's IPC channel. Requests carry an id; the child answers each with the same id.
 */

/** Caller behaviours the child knows by name (scripts are built there: RegExps do not cross IPC). */
export type ScriptName = 'welcome-hangup' | 'menu-hold'

export type SimRequest =
  /** Places calls at ratePerSec for durationMs, then reports when every call heard its first prompt or ended. */
  | { op: 'offer'; ratePerSec: number; durationMs: number; script: ScriptName; settleMs: number }
  /** Places `calls` at ratePerSec with the menu-hold script; answers once all reached the main menu (or deadline). */
  | { op: 'hold'; calls: number; ratePerSec: number; deadlineMs: number }
  /** How the held callers are doing; counts of prompts heard since the previous call. */
  | { op: 'hold-status' }
  /** Hangs up every held caller; answers when all have ended. */
  | { op: 'release' }
  | { op: 'stats' }

export interface Percentiles {
  n: number
  p50: number
  p90: number
  p99: number
  max: number
}

export interface OfferResult {
  placed: number
  /** Wall-clock time spent placing the calls (ms). */
  placingMs: number
  /** Calls whose first prompt started. */
  prompted: number
  /** Channel creation -> first prompt started, in ms of the simulator's wall clock. */
  latency: Percentiles
  /** Calls that ended without hearing a prompt. */
  endedSilent: number
  /** Calls still without a prompt when the child stopped waiting. */
  stillWaiting: number
  /** Calls that heard the engine's technical-error apology. */
  technicalErrors: number
  /** CPU used by the simulator process over the step, as a share of one core. */
  simCpu: number
}

export interface HoldResult {
  placed: number
  inMainMenu: number
  ended: number
  /** From the first call placed to the last one hearing the main menu (ms). */
  setupMs: number
  /** Channel creation -> main menu prompt started. */
  toMainMenu: Percentiles
  simCpu: number
}

export interface HoldStatus {
  alive: number
  /** Prompts started since the previous status, by prompt id. */
  heard: Record<string, number>
  simCpu: number
}

export interface SimStatsReply {
  channels: number
  bridges: number
  playbacks: number
  httpRequests: number
  eventsSent: number
}

export type SimReplyBody = OfferResult | HoldResult | HoldStatus | SimStatsReply | { released: number; ms: number }

export type SimReply = { id: number; ok: true; body: SimReplyBody } | { id: number; ok: false; error: string }

/** The child's first message: where its ARI is. */
export interface SimReady {
  ready: true
  url: string
}
