/**
 * Abandon governor (pure): keeps abandoned calls under the campaign ceiling (default 3% of live
 * answers over a rolling 24 h) and tells the pacing how much abandon risk it may take now.
 *
 * State is plain data (per-minute buckets of live answers and abandons) that can be serialised
 * and shared; every function takes the time as a parameter and returns new values without
 * changing its arguments. A live answer is a person who answered (put through or not); an
 * abandon is a live answer that found no agent, so abandons are counted among the answers too.
 *
 * The rate the governor acts on is smoothed toward the aim while there are fewer than
 * `priorAnswers` answers in the window (a clean start does not open the throttle wide), and is
 * the raw rate once there are enough of them and it is higher. The allowed risk per decision falls
 * linearly from 3x the aim (no abandons at all) through the aim (rate at the aim) to 0 at the
 * ceiling; at or over the ceiling the pacing falls back to progressive dialing (no over-dial).
 *
 * Calibration: the buckets also keep the abandons the pacing expected when it launched its
 * calls (PacingDecision.expectedAbandons). Observed / expected over the window (smoothed with
 * `priorExpected` expected abandons at a ratio of 1, kept within [1/4, 4]; 1 when none were
 * recorded) corrects the pacing's model: the risk it is allowed is divided by that ratio, so a
 * model that overestimates abandons (pacing's forecast does, for agents about to free up) is
 * not left too cautious, and one that underestimates is reined in.
 */

export const DEFAULT_ABANDON_CEILING = 0.03
export const DEFAULT_ABANDON_WINDOW_MS = 24 * 60 * 60 * 1000
export const DEFAULT_BUCKET_MS = 60_000

export interface GovernorConfig {
  /** Abandons / live answers allowed over the window (default 0.03). */
  ceiling?: number
  /** Rate the pacing steers to, below the ceiling (default two thirds of the ceiling). */
  aim?: number
  /** Rolling window, ms (default 24 h). */
  windowMs?: number
  /** Weight, in live answers, of the prior at the aim (default 20). */
  priorAnswers?: number
  /** Weight, in expected abandons, of the calibration prior (ratio 1; default 10). */
  priorExpected?: number
}

export interface GovernorBucket {
  /** Start of the bucket (epoch ms, a multiple of bucketMs). */
  start: number
  answers: number
  abandons: number
  /** Abandons the pacing expected for the calls it launched in this bucket. */
  expected?: number
}

export interface GovernorState {
  bucketMs: number
  /** Oldest first; buckets older than the window are dropped when outcomes are recorded. */
  buckets: readonly GovernorBucket[]
}

export interface GovernorAdvice {
  answers: number
  abandons: number
  /** Abandons / answers over the window, 0 with no answers. */
  rate: number
  /** The rate the governor acts on (smoothed with the prior; the raw rate once it is higher and well measured). */
  level: number
  /** Abandons observed / abandons the pacing expected, over the window (smoothed, within [1/4, 4]). */
  calibration: number
  /** Expected abandons per live answer the pacing may add with the calls it launches now (allowed risk / calibration). */
  targetRisk: number
  /** At or over the ceiling: dial progressively (one line per ready agent), never ahead of the agents. */
  fallback: boolean
  ceiling: number
  aim: number
}

export function emptyGovernor(bucketMs: number = DEFAULT_BUCKET_MS): GovernorState {
  return { bucketMs, buckets: [] }
}

function settings(config: GovernorConfig) {
  const ceiling = config.ceiling ?? DEFAULT_ABANDON_CEILING
  const aim = Math.min(config.aim ?? (ceiling * 2) / 3, ceiling * 0.99)
  return {
    ceiling,
    aim,
    windowMs: config.windowMs ?? DEFAULT_ABANDON_WINDOW_MS,
    priorAnswers: config.priorAnswers ?? 20,
    priorExpected: config.priorExpected ?? 10,
  }
}

export interface OutcomeCounts {
  /** Live answers (abandoned ones included). */
  answers?: number
  abandons?: number
  /** Abandons the pacing expected for calls launched now (PacingDecision.expectedAbandons). */
  expected?: number
}

function add(b: GovernorBucket | undefined, start: number, c: Required<OutcomeCounts>): GovernorBucket {
  const out: GovernorBucket = { start, answers: (b?.answers ?? 0) + c.answers, abandons: (b?.abandons ?? 0) + c.abandons }
  const expected = (b?.expected ?? 0) + c.expected
  if (expected > 0) out.expected = expected
  return out
}

/** Adds live answers, abandons and expected abandons at instant `at`; buckets that left the window are dropped. */
export function recordOutcomes(state: GovernorState, at: number, counts: OutcomeCounts, windowMs: number = DEFAULT_ABANDON_WINDOW_MS): GovernorState {
  const c = { answers: Math.max(0, counts.answers ?? 0), abandons: Math.max(0, counts.abandons ?? 0), expected: Math.max(0, counts.expected ?? 0) }
  const start = Math.floor(at / state.bucketMs) * state.bucketMs
  const horizon = at - windowMs
  const kept = state.buckets.filter((b) => b.start + state.bucketMs > horizon)
  if (c.answers === 0 && c.abandons === 0 && c.expected === 0) return { bucketMs: state.bucketMs, buckets: kept }
  const last = kept[kept.length - 1]
  if (!last || last.start < start) kept.push(add(undefined, start, c))
  else if (last.start === start) kept[kept.length - 1] = add(last, start, c)
  else {
    // Late report for an older minute: added to its bucket (or a new one, in order).
    const i = kept.findIndex((b) => b.start >= start)
    const b = kept[i]!
    if (b.start === start) kept[i] = add(b, start, c)
    else kept.splice(i, 0, add(undefined, start, c))
  }
  return { bucketMs: state.bucketMs, buckets: kept }
}

/**
 * Live answers and abandons of the buckets inside (now - windowMs, now]. A bucket counts while
 * any of its minute is inside the window (at most one bucket's worth of extra history).
 */
export function windowTotals(state: GovernorState, now: number, windowMs: number = DEFAULT_ABANDON_WINDOW_MS): { answers: number; abandons: number; expected: number } {
  let answers = 0
  let abandons = 0
  let expected = 0
  const horizon = now - windowMs
  for (const b of state.buckets) {
    if (b.start + state.bucketMs <= horizon || b.start > now) continue
    answers += b.answers
    abandons += b.abandons
    expected += b.expected ?? 0
  }
  return { answers, abandons, expected }
}

/**
 * Expected abandons per live answer allowed for the next launches at a given abandon rate:
 * aim * (ceiling - rate) / (ceiling - aim), so 3x the aim at a clean record (for the default
 * aim of 2/3 of the ceiling), the aim at the aim, 0 at the ceiling and above.
 */
export function allowedRisk(rate: number, ceiling: number = DEFAULT_ABANDON_CEILING, aim: number = (ceiling * 2) / 3): number {
  if (!(rate < ceiling) || ceiling <= 0) return 0
  const a = Math.min(aim, ceiling * 0.99)
  return Math.max(0, (a * (ceiling - Math.max(0, rate))) / (ceiling - a))
}

export function adviseGovernor(state: GovernorState, now: number, config: GovernorConfig = {}): GovernorAdvice {
  const { ceiling, aim, windowMs, priorAnswers, priorExpected } = settings(config)
  const { answers, abandons, expected } = windowTotals(state, now, windowMs)
  const rate = answers > 0 ? abandons / answers : 0
  const smoothed = (abandons + aim * priorAnswers) / (answers + priorAnswers)
  const level = answers >= priorAnswers ? Math.max(rate, smoothed) : smoothed
  const fallback = level >= ceiling
  // No expectation recorded (a caller that does not report them): no correction.
  const calibration = expected > 0 ? Math.min(4, Math.max(0.25, (abandons + priorExpected) / (expected + priorExpected))) : 1
  const targetRisk = fallback ? 0 : allowedRisk(level, ceiling, aim) / calibration
  return { answers, abandons, rate, level, calibration, targetRisk, fallback, ceiling, aim }
}
