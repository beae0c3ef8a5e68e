/**
 * Pacing controllers for the simulator: ours (src/dialer/pacing.ts with the abandon governor),
 * progressive, a fixed ratio, a VICIdial-style adaptive controller and trunk-paced message
 * dialing. Each sees only the dialer's live view (ControllerView).
 */
import { adviseGovernor, type GovernorConfig } from '../../dialer/governor.js'
import { decidePacing, type PacingInput } from '../../dialer/pacing.js'
import type { ControllerView, PacingController } from './types.js'

function input(v: ControllerView, mode: PacingInput['mode']): PacingInput {
  const s = v.stats
  return {
    mode,
    readyAgents: v.ready,
    inFlight: v.inFlight,
    queued: v.queued,
    answerRate: s.answerRate,
    machineRate: s.machineRate,
    samples: s.samples,
    meanRingSec: s.meanRingSec,
    meanHandleSec: s.talkMeanSec + s.wrapMeanSec,
    abandonRate: 0,
    trunkInUse: v.trunkInUse,
    trunkCapacity: v.trunkCapacity,
    maxCallsPerSecond: v.maxCallsPerSecond,
    sinceLastLaunchMs: v.sinceLastLaunchMs,
    graceSec: v.graceSec,
  }
}

/** Our predictive pacing: the pure policy fed by the live statistics and the governor's advice. */
export function predictive(opts: { governor?: GovernorConfig; minSamples?: number; maxLinesPerAgent?: number } = {}): PacingController {
  return {
    name: 'predictive (ours)',
    decide(v) {
      const adv = adviseGovernor(v.governor, v.now, opts.governor)
      const i = input(v, 'predictive')
      i.busyAgents = v.busyAgents()
      i.ringing = v.ringing()
      i.ringCv = v.stats.ringCv
      // Detection follows the ring: a live answer is handed over a few seconds after the timeout at the latest.
      i.maxRingSec = v.ringTimeoutSec + 5
      i.abandonRate = adv.level
      i.abandonCeiling = adv.ceiling
      i.abandonAim = adv.aim
      i.targetRisk = adv.targetRisk
      if (opts.minSamples !== undefined) i.minSamples = opts.minSamples
      if (opts.maxLinesPerAgent !== undefined) i.maxLinesPerAgent = opts.maxLinesPerAgent
      const d = decidePacing(i)
      return { launch: d.launch, expectedAbandons: d.expectedAbandons ?? 0 }
    },
  }
}

/** One line per ready agent. */
export function progressive(): PacingController {
  return { name: 'progressive', decide: (v) => decidePacing(input(v, 'progressive')).launch }
}

/** A fixed number of lines per ready (waiting) agent, e.g. 2.0 (VICIdial RATIO with available-only tally). */
export function fixedRatio(ratio = 2): PacingController {
  return {
    name: `fixed ratio ${ratio.toFixed(1)}`,
    decide: (v) => Math.max(0, Math.round(ratio * v.ready) - v.inFlight - v.queued),
  }
}

/** Message campaigns: as many lines as the trunk and calls per second allow, held while transfers queue. */
export function messagePaced(): PacingController {
  return {
    name: 'trunk-paced message',
    decide(v) {
      const i = input(v, 'message')
      i.transfers = v.transfers
      return decidePacing(i).launch
    },
  }
}

export interface VicidialOptions {
  /** ADAPT_AVERAGE halves the level while the day's drop rate is over the limit; HARD_LIMIT sets 1.0; TAPERED scales by the time left. */
  method?: 'ADAPT_AVERAGE' | 'ADAPT_HARD_LIMIT' | 'ADAPT_TAPERED'
  /** Starting auto_dial_level (default 1.0) and adaptive maximum (default 3.0). */
  initialLevel?: number
  maxLevel?: number
  /** adaptive_dropped_percentage as a fraction (default 0.03). */
  dropLimit?: number
  /** adaptive_intensity, -40..40 (default 0). */
  intensity?: number
  /** adaptive_dl_diff_target (default 0). */
  diffTarget?: number
  /** Seconds between level updates (default 15). */
  adaptEverySec?: number
  /** Agents in wrap-up count as in call (VICIdial keeps them INCALL, the "dead call", until the disposition is saved; default) or as paused. */
  wrapUpAs?: 'incall' | 'paused'
}

/**
 * VICIdial-style adaptive dialing (after AST_VDadapt.pl, ADAPT_* dial methods): every second it
 * samples ready agents, calls waiting for an agent and agents logged in; every 15 s the dial
 * level becomes level * (1 + (avg ready - avg waiting + diffTarget) / avg agents), with the
 * intensity factor, capped at the maximum and floored at 1.0; when over 20 calls in the last
 * minute dropped more than 50%, it is halved; when today's drops / answers exceed the limit
 * (after 50 calls), ADAPT_AVERAGE halves it, HARD_LIMIT sets 1.0, TAPERED scales it by the share
 * of the day left. Lines wanted = level * (agents in call + ready) (available_only_ratio_tally
 * off; an agent in wrap-up is still INCALL, its customer gone, until the disposition is saved);
 * launches = wanted - calls up (ringing, waiting for an agent, or connected to an agent).
 */
export function vicidialAdaptive(opts: VicidialOptions = {}): PacingController {
  const method = opts.method ?? 'ADAPT_AVERAGE'
  const maxLevel = opts.maxLevel ?? 3
  const dropLimit = opts.dropLimit ?? 0.03
  const intensity = (opts.intensity ?? 0) / 100
  const every = opts.adaptEverySec ?? 15
  let level = opts.initialLevel ?? 1
  let samples: { ready: number; waiting: number; agents: number }[] = []
  let lastSample = Number.NEGATIVE_INFINITY
  let dayStart = Number.NEGATIVE_INFINITY
  return {
    name: `VICIdial ${method}`,
    decide(v) {
      if (v.now - lastSample >= 1000) {
        samples.push({ ready: v.ready, waiting: v.queued, agents: v.agents })
        lastSample = v.now
        if (dayStart === Number.NEGATIVE_INFINITY) dayStart = v.now
      }
      if (samples.length >= every) {
        const avg = (f: (s: (typeof samples)[number]) => number) => samples.reduce((a, s) => a + f(s), 0) / samples.length
        const agentsAvg = avg((s) => s.agents)
        const diff = avg((s) => s.ready) - avg((s) => s.waiting) + (opts.diffTarget ?? 0)
        const mul = agentsAvg > 0 ? diff / agentsAvg : 0
        const intense = mul < 0 ? mul * Math.abs(intensity - 1) : mul * (intensity + 1)
        let next = level * (1 + intense)
        if (next > maxLevel) next = maxLevel
        if (next < 1) next = 1
        const m = v.lastMinute
        if (m.attempts > 20 && m.abandons / m.attempts > 0.5) next /= 2
        const t = v.today
        if (t.attempts > 50 && t.abandons / Math.max(1, t.liveAnswers) > dropLimit) {
          if (method === 'ADAPT_HARD_LIMIT') next = 1
          else if (method === 'ADAPT_AVERAGE') next /= 2
          else next *= Math.min(1, Math.max(0, (v.windowEnd - v.now) / (10 * 3_600_000)))
        }
        level = Math.max(1, next)
        samples = []
      }
      const incall = v.talking + (opts.wrapUpAs === 'paused' ? 0 : v.wrapping)
      const wanted = Math.floor(level * (incall + v.ready))
      return Math.max(0, wanted - (v.inFlight + v.queued + v.talking))
    },
  }
}
