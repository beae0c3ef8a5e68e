/**
 * Reconnect backoff for the events socket: exponential from minMs, capped at maxMs, with a
 * jitter that shortens each delay by up to `jitter` of it, so engines that lost the same
 * Asterisk do not all come back in the same millisecond. Pure; the random source is injected.
 */

export interface BackoffOptions {
  minMs: number
  maxMs: number
  /** 0..1: the delay is drawn in [base * (1 - jitter), base]. */
  jitter: number
}

export const DEFAULT_BACKOFF: BackoffOptions = { minMs: 250, maxMs: 10_000, jitter: 0.5 }

/** The un-jittered delay before retry `attempt` (0 for the first retry after a failure). */
export function backoffBase(attempt: number, o: BackoffOptions): number {
  return Math.min(o.maxMs, o.minMs * 2 ** Math.min(Math.max(0, attempt), 40))
}

/** The delay before retry `attempt`, jittered with one draw of random() in [0, 1). */
export function backoffDelay(attempt: number, o: BackoffOptions, random: () => number): number {
  const r = Math.min(1, Math.max(0, random()))
  return Math.round(backoffBase(attempt, o) * (1 - o.jitter * r))
}

/** The problem with a backoff configuration, or undefined. */
export function backoffProblem(o: BackoffOptions): string | undefined {
  if (!(Number.isFinite(o.minMs) && o.minMs > 0)) return 'reconnect.minMs must be a number > 0'
  if (!(Number.isFinite(o.maxMs) && o.maxMs >= o.minMs)) return 'reconnect.maxMs must be a number >= minMs'
  if (!(o.jitter >= 0 && o.jitter <= 1)) return 'reconnect.jitter must be between 0 and 1'
  return undefined
}
