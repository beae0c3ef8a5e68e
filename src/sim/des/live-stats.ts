/**
 * The live statistics a dialer keeps and hands to its pacing, measured in the simulation the
 * way the engine measures them (from outcomes only, never from the callee model): rolling
 * windows over the last attempts (answer and machine rates), the last live answers (time from
 * launch to hand-over) and the last handled calls (talk, wrap-up: mean and spread), each blended
 * with a prior while few are measured.
 */

class Rolling {
  private xs: Float64Array
  private n = 0
  private i = 0
  private sum = 0
  private sumSq = 0

  constructor(size: number) {
    this.xs = new Float64Array(size)
  }

  add(x: number): void {
    if (this.n === this.xs.length) {
      const old = this.xs[this.i]!
      this.sum -= old
      this.sumSq -= old * old
    } else {
      this.n++
    }
    this.xs[this.i] = x
    this.sum += x
    this.sumSq += x * x
    this.i = (this.i + 1) % this.xs.length
  }

  get count(): number {
    return this.n
  }

  /** Mean blended with `prior` weighted as `weight` samples. */
  mean(prior: number, weight: number): number {
    return (this.sum + prior * weight) / (this.n + weight)
  }

  /** Coefficient of variation blended with a prior cv. */
  cv(priorMean: number, priorCv: number, weight: number): number {
    const m = this.mean(priorMean, weight)
    const priorSq = (priorMean * priorCv) ** 2 + priorMean * priorMean
    const ex2 = (this.sumSq + priorSq * weight) / (this.n + weight)
    return Math.sqrt(Math.max(0, ex2 - m * m)) / Math.max(1e-9, m)
  }
}

export interface LiveStatsSnapshot {
  /** Classified attempts in the window. */
  samples: number
  answerRate: number
  machineRate: number
  /** Launch to a live answer handed over (ring + detection), seconds. */
  meanRingSec: number
  ringCv: number
  talkMeanSec: number
  talkCv: number
  wrapMeanSec: number
  wrapCv: number
}

export interface LiveStatsPriors {
  answerRate: number
  ringSec: number
  talkSec: number
  talkCv: number
  wrapSec: number
  wrapCv: number
}

export const DEFAULT_PRIORS: LiveStatsPriors = { answerRate: 0.3, ringSec: 12, talkSec: 180, talkCv: 0.8, wrapSec: 15, wrapCv: 0.5 }

export class LiveStats {
  private live: Rolling
  private machine: Rolling
  private ring: Rolling
  private talk: Rolling
  private wrap: Rolling

  constructor(
    private readonly priors: LiveStatsPriors = DEFAULT_PRIORS,
    attempts = 500,
    calls = 200,
  ) {
    this.live = new Rolling(attempts)
    this.machine = new Rolling(attempts)
    this.ring = new Rolling(calls)
    this.talk = new Rolling(calls)
    this.wrap = new Rolling(calls)
  }

  /** One classified attempt: a live answer (with its launch-to-hand-over time), a machine, or anything else. */
  attempt(kind: 'live' | 'machine' | 'other', ringSec?: number): void {
    this.live.add(kind === 'live' ? 1 : 0)
    this.machine.add(kind === 'machine' ? 1 : 0)
    if (kind === 'live' && ringSec !== undefined) this.ring.add(ringSec)
  }

  handled(talkSec: number, wrapSec: number): void {
    this.talk.add(talkSec)
    this.wrap.add(wrapSec)
  }

  snapshot(): LiveStatsSnapshot {
    const p = this.priors
    return {
      samples: this.live.count,
      answerRate: this.live.mean(p.answerRate, 5),
      machineRate: this.machine.mean(0.2, 5),
      meanRingSec: this.ring.mean(p.ringSec, 5),
      ringCv: this.ring.cv(p.ringSec, 0.5, 5),
      talkMeanSec: this.talk.mean(p.talkSec, 5),
      talkCv: this.talk.cv(p.talkSec, p.talkCv, 5),
      wrapMeanSec: this.wrap.mean(p.wrapSec, 5),
      wrapCv: this.wrap.cv(p.wrapSec, p.wrapCv, 5),
    }
  }
}
