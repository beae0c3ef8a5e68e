/**
 * Callee model for the simulator: who answers, after how long, for how long they talk.
 *
 * Each contact gets a trait once (deterministic per seed and contact): a number that does not
 * exist, a number nobody ever answers, or a person with their own probability of answering
 * live on any attempt (Beta-distributed around liveMean: some are easy to reach, some hard).
 * Each attempt draws from its own stream (seed, contact, attempt), so whatever controller
 * runs, the k-th call to a contact ends the same way.
 */
import { beta, lognormal, type Rng, uniform } from './rng.js'

export type AttemptResult = 'human' | 'machine' | 'busy' | 'no_answer' | 'failed' | 'invalid'

export interface AttemptPlan {
  result: AttemptResult
  /** Seconds from launch to classification: a person handed over (ring + detection), a machine detected, a failure, or the ring timeout. */
  classifySec: number
  /** Agent campaigns: conversation and wrap-up, seconds. */
  talkSec: number
  wrapSec: number
  /** Message campaigns: how long the person listens, whether they ask for an operator, and that conversation. */
  listenSec: number
  transfer: boolean
  operatorSec: number
}

export interface CalleeParams {
  /** Numbers that do not exist: classified invalid at once, never retried. */
  invalidShare: number
  /** Numbers nobody ever answers live. */
  deadShare: number
  /** Mean per-attempt probability of a live answer among the others, and the Beta concentration (lower: more spread). */
  liveMean: number
  liveConcentration: number
  /** Shares of the attempts that are not live answers. */
  machineShare: number
  busyShare: number
  failedShare: number
  /** Ring time until a person answers (lognormal). */
  ringMeanSec: number
  ringCv: number
  /** Ring time until a machine answers (lognormal, cv 0.3). */
  machineRingMeanSec: number
  /** Answering-machine detection time for a person and for a machine. */
  amdHumanSec: number
  amdMachineSec: number
  talkMeanSec: number
  talkCv: number
  wrapMinSec: number
  wrapMaxSec: number
  listenMinSec: number
  listenMaxSec: number
  transferShare: number
  operatorMeanSec: number
}

/** Outbound agent campaign: about 35% live answers on a first call, 2.5 min conversations. */
export const AGENT_CALLEE: CalleeParams = {
  invalidShare: 0.02,
  deadShare: 0.06,
  liveMean: 0.38,
  liveConcentration: 4,
  machineShare: 0.25,
  busyShare: 0.08,
  failedShare: 0.03,
  ringMeanSec: 8,
  ringCv: 0.5,
  machineRingMeanSec: 14,
  amdHumanSec: 2.5,
  amdMachineSec: 3,
  talkMeanSec: 150,
  talkCv: 0.6,
  wrapMinSec: 8,
  wrapMaxSec: 22,
  listenMinSec: 30,
  listenMaxSec: 50,
  transferShare: 0,
  operatorMeanSec: 180,
}

export class Callee {
  constructor(readonly params: CalleeParams) {}

  /** -1: the number does not exist; 0: never answered live; else the per-attempt live-answer probability. */
  trait(r: Rng): number {
    const p = this.params
    const u = r()
    if (u < p.invalidShare) return -1
    if (u < p.invalidShare + p.deadShare) return 0
    const k = p.liveConcentration
    return Math.min(0.999, Math.max(0.001, beta(r, p.liveMean * k, (1 - p.liveMean) * k)))
  }

  attempt(trait: number, r: Rng, ringTimeoutSec: number): AttemptPlan {
    const p = this.params
    const plan: AttemptPlan = {
      result: 'no_answer',
      classifySec: ringTimeoutSec,
      talkSec: Math.max(5, lognormal(r, p.talkMeanSec, p.talkCv)),
      wrapSec: uniform(r, p.wrapMinSec, p.wrapMaxSec),
      listenSec: uniform(r, p.listenMinSec, p.listenMaxSec),
      transfer: r() < p.transferShare,
      operatorSec: Math.max(10, lognormal(r, p.operatorMeanSec, 0.7)),
    }
    const u = r()
    const v = r()
    const ring = lognormal(r, p.ringMeanSec, p.ringCv)
    const machineRing = lognormal(r, p.machineRingMeanSec, 0.3)
    if (trait < 0) {
      plan.result = 'invalid'
      plan.classifySec = 1 + v
    } else if (u < trait) {
      if (ring <= ringTimeoutSec) {
        plan.result = 'human'
        plan.classifySec = ring + p.amdHumanSec
      }
    } else if (v < p.machineShare) {
      if (machineRing <= ringTimeoutSec) {
        plan.result = 'machine'
        plan.classifySec = machineRing + p.amdMachineSec
      }
    } else if (v < p.machineShare + p.busyShare) {
      plan.result = 'busy'
      plan.classifySec = 2 + 3 * r()
    } else if (v < p.machineShare + p.busyShare + p.failedShare) {
      plan.result = 'failed'
      plan.classifySec = 1 + 3 * r()
    }
    return plan
  }
}

/** P(lognormal(mean, cv) <= t). */
function lognormalCdf(t: number, mean: number, cv: number): number {
  const s2 = Math.log(1 + cv * cv)
  const z = (Math.log(t) - (Math.log(mean) - s2 / 2)) / Math.sqrt(s2)
  // Abramowitz-Stegun 26.2.17
  const k = 1 / (1 + 0.2316419 * Math.abs(z))
  const poly = k * (0.31938153 + k * (-0.356563782 + k * (1.781477937 + k * (-1.821255978 + k * 1.330274429))))
  const tail = (Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI)) * poly
  return z >= 0 ? 1 - tail : tail
}

/** The liveMean that makes the expected share of contacts reached live on their first call equal `firstCall`. */
export function calibrateLiveMean(params: CalleeParams, firstCall: number, ringTimeoutSec: number): number {
  const reachable = 1 - params.invalidShare - params.deadShare
  return firstCall / (reachable * lognormalCdf(ringTimeoutSec, params.ringMeanSec, params.ringCv))
}
