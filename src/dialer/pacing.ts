/**
 * Pacing (pure): from live statistics, how many calls to launch now.
 *
 * - progressive: one line per ready agent, minus the calls already ringing or waiting.
 * - predictive: the largest number n of new calls whose added abandon risk, the expected abandons
 *   they add to what is already dialing divided by their expected live answers, stays within the
 *   risk the abandon governor allows (src/dialer/governor.ts). The expected abandons come from
 *   forecast(): live answers of the calls ringing (each given how long it has rung) and of the
 *   new ones, against the agents ready and those that free up (each given how long it has been
 *   busy, and the wrap-up still to come) before each answer plus the grace before the "no agent"
 *   message. Cold start (few samples) and a rate at or over the ceiling: progressive.
 * - message: message campaigns, no agent per call: as many calls as the trunk and the calls
 *   per second allow, held back while the transfers to the operators' section queue up.
 *
 * Every mode respects the trunk channels (capacity - in use), the calls-per-second cap (given
 * the time since the last launch) and, predictive, a cap of lines per agent.
 */
import { allowedRisk, DEFAULT_ABANDON_CEILING } from './governor.js'

export type PacingMode = 'progressive' | 'predictive' | 'message'

export interface BusyAgent {
  /** Seconds since the agent's current busy phase began (the call, or the wrap-up). */
  elapsedSec: number
  /** Mean length of that phase (the call, or the wrap-up); with no `then`, up to ready again. */
  meanSec: number
  /** Coefficient of variation of that length (default 1). */
  cv?: number
  /** A phase that follows before the agent is ready (the wrap-up after a call): then meanSec/cv are the call's alone. */
  then?: { meanSec: number; cv?: number }
}

export interface PacingInput {
  mode: PacingMode
  readyAgents: number
  /** Agents on a call or in wrap-up, each with how long it has been busy (predictive uses it). */
  busyAgents?: readonly BusyAgent[]
  /** Instead of busyAgents: the expected number of agents free within the expected ring time. */
  soonFree?: number
  /** Calls launched and not yet answered or classified (ringing, or in answering-machine detection). */
  inFlight: number
  /** Seconds since each call in flight was launched (predictive; absent: all taken as just launched). */
  ringing?: readonly number[]
  /** Persons who answered and are waiting (within the grace) for an agent right now. */
  queued?: number
  /** Live (human) answers per attempt, from the rolling statistics. */
  answerRate: number
  /** Answering machines per attempt (reported; machines never reach an agent, so they add no risk). */
  machineRate?: number
  /** Attempts classified in those statistics; under minSamples the pacing is progressive. */
  samples: number
  /** Mean time from launch to a live answer being handed over (ring + detection), seconds. */
  meanRingSec: number
  /** Spread (coefficient of variation) of that time (default 0.5). */
  ringCv?: number
  /** Latest a call can still be answered live after its launch (ring timeout + detection), seconds. */
  maxRingSec?: number
  /** Mean talk + wrap-up, seconds (used for busy agents given without their own mean). */
  meanHandleSec: number
  /** Abandons / live answers over the rolling window (the governor's level). */
  abandonRate: number
  abandonCeiling?: number
  abandonAim?: number
  /** Overrides the risk derived from abandonRate (e.g. the governor's own advice, calibrated). */
  targetRisk?: number
  trunkInUse: number
  trunkCapacity: number
  maxCallsPerSecond: number
  /** Time since the last launch (or a token bucket's unused credit, as time): with maxCallsPerSecond, how many may start now. */
  sinceLastLaunchMs: number
  /** Seconds a person who answered may wait for an agent before the message (default 2). */
  graceSec?: number
  minSamples?: number
  /** Lines (in flight after the launch) per agent at most (default 5). */
  maxLinesPerAgent?: number
  /** Message campaigns: transfers waiting for the operators' section and how many operators are free. */
  transfers?: { waiting: number; operatorsFree: number }
}

export type PacingReason =
  | 'progressive'
  | 'predictive'
  | 'cold-start'
  | 'over-ceiling'
  | 'message'
  | 'section-load'
  | 'trunk-full'
  | 'cps-cap'
  | 'line-cap'

export interface PacingDecision {
  launch: number
  /** What set the number: the mode's own answer, or the cap that cut it. */
  reason: PacingReason
  /** Lines dialing after the launch per agent (ready + busy); for message campaigns, lines in use per trunk channel. */
  dialLevel: number
  /** Predictive: abandons the launch is expected to add (for the governor's calibration), and per expected live answer. */
  expectedAbandons?: number
  addedRisk?: number
  targetRisk?: number
}

const DEFAULTS = { graceSec: 2, minSamples: 30, maxLinesPerAgent: 5 }

/**
 * Launches the calls-per-second cap allows: the credit earned since the last launch (cps per
 * second), at most ceil(cps) calls at once (so a fractional rate such as 0.78/s or 3.11/s is kept
 * on average, and an idle minute does not turn into a burst).
 */
export function cpsAllowance(maxCallsPerSecond: number, sinceLastLaunchMs: number): number {
  if (!(maxCallsPerSecond > 0)) return 0
  const burst = Math.max(1, Math.ceil(maxCallsPerSecond))
  return Math.floor(Math.min(burst, (maxCallsPerSecond * Math.max(0, sinceLastLaunchMs)) / 1000) + 1e-9)
}

export function decidePacing(input: PacingInput): PacingDecision {
  const busy = input.busyAgents?.length ?? Math.ceil(input.soonFree ?? 0)
  const agents = input.readyAgents + busy
  const queued = input.queued ?? 0
  const trunkFree = Math.max(0, input.trunkCapacity - input.trunkInUse)
  const cps = cpsAllowance(input.maxCallsPerSecond, input.sinceLastLaunchMs)

  let want: number
  let reason: PacingReason
  let predicted: { launch: number; expected: number; risk: number } | undefined
  let risk: number | undefined
  if (input.mode === 'message') {
    want = Number.POSITIVE_INFINITY
    reason = 'message'
    const t = input.transfers
    if (t && t.waiting > 0 && t.waiting >= Math.max(1, t.operatorsFree)) {
      want = 0
      reason = 'section-load'
    }
  } else {
    const progressive = Math.max(0, input.readyAgents - input.inFlight - queued)
    const ceiling = input.abandonCeiling ?? DEFAULT_ABANDON_CEILING
    if (input.mode === 'progressive') {
      want = progressive
      reason = 'progressive'
    } else if (input.samples < (input.minSamples ?? DEFAULTS.minSamples)) {
      want = progressive
      reason = 'cold-start'
    } else if (input.abandonRate >= ceiling) {
      want = progressive
      reason = 'over-ceiling'
    } else {
      risk = input.targetRisk ?? allowedRisk(input.abandonRate, ceiling, input.abandonAim)
      const lineCap = Math.max(0, Math.floor(agents * (input.maxLinesPerAgent ?? DEFAULTS.maxLinesPerAgent)) - input.inFlight - queued)
      const limit = Math.min(lineCap, trunkFree, cps)
      predicted = predictiveCount(input, risk, Math.max(progressive, limit))
      want = Math.max(progressive, predicted.launch)
      reason = predicted.launch >= lineCap && lineCap <= Math.min(trunkFree, cps) ? 'line-cap' : 'predictive'
    }
  }
  let launch = want
  if (launch > trunkFree) {
    launch = trunkFree
    reason = 'trunk-full'
  }
  if (launch > cps) {
    launch = cps
    reason = 'cps-cap'
  }
  launch = Math.max(0, Math.floor(launch))
  const dialLevel =
    input.mode === 'message'
      ? (input.trunkInUse + launch) / Math.max(1, input.trunkCapacity)
      : (input.inFlight + queued + launch) / Math.max(1, agents)
  const out: PacingDecision = { launch, reason, dialLevel }
  if (predicted) {
    // The search was bounded by the trunk and calls per second already: nothing cut its launches.
    out.expectedAbandons = predicted.expected
    out.addedRisk = predicted.risk
  }
  if (risk !== undefined) out.targetRisk = risk
  return out
}

/**
 * Largest n <= max whose added risk stays within `risk` (0 when one call already exceeds it).
 * The added risk grows with n: galloping, then bisection.
 */
function predictiveCount(input: PacingInput, risk: number, max: number): { launch: number; expected: number; risk: number } {
  const f = forecast(input)
  if (max <= 0) return { launch: 0, expected: 0, risk: 0 }
  const first = f.marginal(1)
  if (first > risk) return { launch: 0, expected: 0, risk: first }
  let lo = 1
  let loRisk = first
  let hi = max + 1
  for (let step = 2; lo < max; step *= 2) {
    const n = Math.min(max, lo + step)
    const r = f.marginal(n)
    if (r > risk) {
      hi = n
      break
    }
    lo = n
    loRisk = r
  }
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1
    const r = f.marginal(mid)
    if (r > risk) hi = mid
    else {
      lo = mid
      loRisk = r
    }
  }
  return { launch: lo, expected: f.abandons(lo) - f.abandons(0), risk: loRisk }
}

const SLOTS = 12
const SQRT2 = Math.SQRT2
const TINY = 1e-12

export interface Forecast {
  /** Expected live answers, within the horizon, of the calls in flight and the persons already waiting. */
  answersInFlight: number
  /** Expected abandons if n more calls are launched now. */
  abandons(n: number): number
  /** (abandons(n) - abandons(0)) / expected live answers of the n new calls: the abandon risk the launch adds. */
  marginal(n: number): number
}

/**
 * The abandons to expect from what is dialing plus n new calls, over the time until the latest
 * possible live answer, cut in slots. The state is the number of agents free and unclaimed; in
 * each slot, first the agents who free up (each busy agent with its probability of being free
 * by then plus the grace, given how long it has been busy: freeProbability; their count per slot
 * is Poisson-binomial, exact), then the live answers (Poisson: each call in flight for e seconds
 * answers live in the slot with p (F(e+s1) - F(e+s0)) / (p (1 - F(e)) + 1 - p), a new call with
 * p (F(s1) - F(s0)), F the distribution of the time to a live answer, lognormal with the measured
 * mean and spread). An answer that finds no free agent is lost (the "no agent" message), so the
 * chain gives the expected number lost, sup over time of (answers - agents)+, not just its end.
 */
export function forecast(input: PacingInput): Forecast {
  const p = Math.min(1, Math.max(1e-4, input.answerRate))
  const grace = input.graceSec ?? DEFAULTS.graceSec
  const mean = Math.max(0.5, input.meanRingSec)
  const cv = Math.max(0.05, input.ringCv ?? 0.5)
  const horizon = Math.max(grace + 1, input.maxRingSec ?? mean * (1 + 3 * cv))
  const ringing = input.ringing ?? new Array<number>(input.inFlight).fill(0)
  const queued = Math.max(0, input.queued ?? 0)
  const s2 = Math.log(1 + cv * cv)
  const sd = Math.sqrt(s2)
  const m = Math.log(mean) - s2 / 2
  const edges = new Float64Array(SLOTS + 1)
  for (let k = 0; k <= SLOTS; k++) edges[k] = (horizon * k) / SLOTS

  // Live answers per slot: calls in flight (lambda0) and one new call (perNew).
  const lambda0 = new Float64Array(SLOTS)
  const perNew = new Float64Array(SLOTS)
  for (let k = 0; k < SLOTS; k++) perNew[k] = p * (lognormalCdf(edges[k + 1]!, m, sd) - lognormalCdf(edges[k]!, m, sd))
  for (const e of ringing) {
    const f0 = lognormalCdf(e, m, sd)
    const denom = p * (1 - f0) + (1 - p)
    let prev = f0
    for (let k = 0; k < SLOTS; k++) {
      const f = lognormalCdf(e + edges[k + 1]!, m, sd)
      lambda0[k] = lambda0[k]! + (p * (f - prev)) / denom
      prev = f
    }
  }
  let answersInFlight = queued
  for (let k = 0; k < SLOTS; k++) answersInFlight += lambda0[k]!
  const newPerCall = perNew.reduce((a, b) => a + b, 0)

  // Agents freeing per slot (the first slot also takes those free within the grace from now).
  const freeing: Float64Array[] = []
  const perSlot: number[][] = Array.from({ length: SLOTS }, () => [])
  if (input.busyAgents) {
    for (const a of input.busyAgents) {
      const phase = new Phase(a.elapsedSec, a.meanSec > 0 ? a.meanSec : input.meanHandleSec, a.cv ?? 1, a.then)
      const last = phase.freeWithin(edges[SLOTS]! + grace)
      if (last < 1e-6) continue
      let prev = 0
      for (let k = 0; k < SLOTS; k++) {
        const g = k === SLOTS - 1 ? last : phase.freeWithin(edges[k + 1]! + grace)
        if (g - prev > TINY) perSlot[k]!.push(g - prev)
        prev = g
      }
    }
  } else if (input.soonFree && input.soonFree > 0) {
    // A count without ages: spread evenly up to the mean time to a live answer plus the grace.
    for (let k = 0; k < SLOTS; k++) {
      const share = Math.max(0, Math.min(1, (edges[k + 1]! + grace) / (mean + grace)) - Math.min(1, (edges[k]! + (k === 0 ? 0 : grace)) / (mean + grace)))
      const expected = input.soonFree * share
      for (let left = expected; left > TINY; left -= 1) perSlot[k]!.push(Math.min(1, left))
    }
  }
  for (let k = 0; k < SLOTS; k++) freeing.push(poissonBinomial(perSlot[k]!))

  const memo = new Map<number, number>()
  const abandons = (n: number): number => {
    let v = memo.get(n)
    if (v === undefined) {
      v = chain(n)
      memo.set(n, v)
    }
    return v
  }
  const chain = (n: number): number => {
    const cap = queued + ringing.length + n + 2
    let dist = new Float64Array(cap + 1)
    let next = new Float64Array(cap + 1)
    let lo = Math.min(cap, Math.max(0, input.readyAgents))
    let hi = lo
    dist[lo] = 1
    let lost = 0
    for (let k = 0; k < SLOTS; k++) {
      // Agents freeing: the free count moves up.
      const fr = freeing[k]!
      if (fr.length > 1) {
        next.fill(0, lo, Math.min(cap, hi + fr.length - 1) + 1)
        for (let i = lo; i <= hi; i++) {
          const d = dist[i]!
          if (d < TINY) continue
          for (let f = 0; f < fr.length; f++) {
            const j = i + f < cap ? i + f : cap
            next[j] = next[j]! + d * fr[f]!
          }
        }
        hi = Math.min(cap, hi + fr.length - 1)
        const t = dist
        dist = next
        next = t
      }
      // Live answers (the persons already waiting come first, in the first slot): the count moves down, or they are lost.
      const lambda = lambda0[k]! + n * perNew[k]!
      const shift = k === 0 ? queued : 0
      if (lambda < TINY && shift === 0) continue
      const pa = poissonPmf(lambda)
      next.fill(0, 0, hi + 1)
      for (let i = lo; i <= hi; i++) {
        const d = dist[i]!
        if (d < TINY) continue
        // E[(A + shift - i)+] = lambda + shift - i + E[(i - shift - A)+]
        const room = i - shift
        let below = 0
        let massBelow = 0
        const top = Math.min(pa.length - 1, room)
        for (let a = 0; a <= top; a++) {
          const q = pa[a]!
          below += (room - a) * q
          massBelow += q
          next[room - a] = next[room - a]! + d * q
        }
        next[0] = next[0]! + d * Math.max(0, 1 - massBelow)
        lost += d * Math.max(0, lambda - room + below)
      }
      lo = 0
      const t = dist
      dist = next
      next = t
      while (hi > lo && dist[hi]! < TINY) hi--
    }
    return lost
  }
  return {
    answersInFlight,
    abandons,
    marginal: (n) => (n <= 0 || newPerCall <= 0 ? 0 : (abandons(n) - abandons(0)) / (n * newPerCall)),
  }
}

/** Distribution of a sum of independent Bernoulli(q), index = count, tail below TINY trimmed. */
function poissonBinomial(qs: readonly number[]): Float64Array {
  let dist = new Float64Array(qs.length + 1)
  dist[0] = 1
  let len = 1
  for (const q of qs) {
    for (let c = len; c >= 1; c--) dist[c] = dist[c]! * (1 - q) + dist[c - 1]! * q
    dist[0] = dist[0]! * (1 - q)
    len++
    while (len > 1 && dist[len - 1]! < TINY) len--
  }
  if (len < dist.length) dist = dist.slice(0, len)
  return dist
}

/** Poisson(lambda) probabilities from 0 up to where the tail is negligible. */
function poissonPmf(lambda: number): Float64Array {
  const out: number[] = []
  let pr = Math.exp(-lambda)
  let cum = 0
  for (let a = 0; a < 1000; a++) {
    out.push(pr)
    cum += pr
    if (a >= lambda && 1 - cum < TINY) break
    pr = (pr * lambda) / (a + 1)
  }
  return Float64Array.from(out)
}

/** Complementary error function (Numerical Recipes erfcc, relative error < 1.2e-7). */
function erfc(x: number): number {
  const z = Math.abs(x)
  const t = 1 / (1 + 0.5 * z)
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    )
  return x >= 0 ? r : 2 - r
}

/** Standard normal quantiles at 1/6, 1/2 and 5/6: the three equally likely points a following phase is averaged over. */
const THEN_Z = [-0.9674, 0, 0.9674]

/** P(T <= t) for T lognormal with log-mean m and log-sd sd. */
function lognormalCdf(t: number, m: number, sd: number): number {
  return t <= 0 ? 0 : 1 - 0.5 * erfc((Math.log(t) - m) / (sd * SQRT2))
}

/** A busy agent's phase (lognormal), already `elapsed` long, and the phase that may follow it. */
class Phase {
  private readonly m: number
  private readonly sd: number
  private readonly survivalNow: number
  private readonly fallbackMean: number
  private readonly after: number[]

  constructor(
    private readonly elapsed: number,
    meanSec: number,
    cv: number,
    then?: { meanSec: number; cv?: number },
  ) {
    const s2 = Math.log(1 + Math.max(0.01, cv) ** 2)
    this.sd = Math.sqrt(s2)
    this.m = Math.log(Math.max(1e-3, meanSec)) - s2 / 2
    this.elapsed = Math.max(0, elapsed)
    this.survivalNow = 1 - lognormalCdf(this.elapsed, this.m, this.sd)
    this.fallbackMean = Math.max(1, meanSec * Math.max(0.1, cv))
    this.after = [0]
    if (then && then.meanSec > 0) {
      const t2 = Math.log(1 + Math.max(0.01, then.cv ?? 1) ** 2)
      const tm = Math.log(then.meanSec) - t2 / 2
      this.after = THEN_Z.map((z) => Math.exp(tm + Math.sqrt(t2) * z))
    }
  }

  /** Probability that the phase (and the one after it) is over within h seconds. */
  freeWithin(h: number): number {
    let sum = 0
    for (const w of this.after) sum += this.ends(h - w)
    return sum / this.after.length
  }

  private ends(h: number): number {
    if (h <= 0) return 0
    if (this.survivalNow < 1e-12) return 1 - Math.exp(-h / this.fallbackMean)
    const later = 1 - lognormalCdf(this.elapsed + h, this.m, this.sd)
    return Math.min(1, Math.max(0, 1 - later / this.survivalNow))
  }
}

/**
 * Probability that a phase with the given mean and coefficient of variation (lognormal), already
 * elapsedSec long, ends within the next horizonSec (memoryless past the tail); with `then`, that
 * it and the phase that follows (averaged over three equally likely points of it) both do.
 */
export function freeProbability(elapsedSec: number, meanSec: number, cv: number, horizonSec: number, then?: { meanSec: number; cv?: number }): number {
  if (!(meanSec > 0)) return 1
  return new Phase(elapsedSec, meanSec, cv, then).freeWithin(horizonSec)
}
