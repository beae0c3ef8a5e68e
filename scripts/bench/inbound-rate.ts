/**
 * Figure 1: new inbound calls per second the engine sustains. Calls are offered by the
 * simulator child at increasing rates (welcome-hangup callers); per step we read, on the
 * engine side, the sessions started, CPU and event-loop delay, and on the simulator side the
 * time from channel creation to the first prompt starting. A step is kept up with when the
 * engine started >= 95% of the offered calls within the step, every call heard its first
 * prompt with p99 <= 1 s, and nothing failed.
 */
import type { BenchEngine } from './engine.js'
import type { SimProcess } from './sim-process.js'
import { CpuMeter, LoopDelay, sleepMs, until } from './stats.js'

export interface RateStep {
  targetPerSec: number
  placed: number
  offeredPerSec: number
  /** Sessions the engine started while calls were being offered, per second. */
  startedPerSec: number
  prompted: number
  latencyMs: { p50: number; p90: number; p99: number; max: number }
  errors: { endedSilent: number; stillWaiting: number; technicalErrors: number; engineWarnings: number; engineErrors: number; notDrained: number }
  /** Engine CPU over the step (offering until every call had its first prompt), share of one core. */
  engineCpu: number
  /** Engine CPU per offered call over the step, ms. */
  engineCpuMsPerCall: number
  engineLoopDelayP99Ms: number
  simCpu: number
  keptUp: boolean
}

export const KEEP_UP = { startedShare: 0.95, p99Ms: 1_000 }

export interface RateOptions {
  rates: number[]
  stepMs: number
  onStep?: (s: RateStep) => void
}

export async function measureInboundRate(sim: SimProcess, be: BenchEngine, o: RateOptions): Promise<{ steps: RateStep[]; sustainedPerSec: number }> {
  const steps: RateStep[] = []
  const counters = be.engine.app.registry.counters
  for (const rate of o.rates) {
    const started0 = counters.started
    const logs0 = be.logs.read()
    const cpu = new CpuMeter().start()
    const loop = new LoopDelay().start()
    const offered = sim.request({ op: 'offer', ratePerSec: rate, durationMs: o.stepMs, script: 'welcome-hangup', settleMs: 15_000 })
    await sleepMs(o.stepMs)
    const startedInWindow = counters.started - started0
    const r = await offered
    const c = cpu.read()
    const delay = loop.stop()
    // Let the step's callers hang up before the next one starts.
    const drained = await until(async () => be.engine.app.registry.size === 0 && (await sim.request({ op: 'stats' })).channels === 0, 20_000)
    const logs = be.logs.read()
    const errors = {
      endedSilent: r.endedSilent,
      stillWaiting: r.stillWaiting,
      technicalErrors: r.technicalErrors,
      engineWarnings: logs.warnings - logs0.warnings,
      engineErrors: logs.errors - logs0.errors,
      notDrained: drained ? 0 : be.engine.app.registry.size,
    }
    const failures = Object.values(errors).reduce((a, b) => a + b, 0)
    const step: RateStep = {
      targetPerSec: rate,
      placed: r.placed,
      offeredPerSec: r.placed / (Math.max(r.placingMs, o.stepMs) / 1000),
      startedPerSec: startedInWindow / (o.stepMs / 1000),
      prompted: r.prompted,
      latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
      errors,
      engineCpu: c.share,
      engineCpuMsPerCall: c.cpuMs / Math.max(1, r.placed),
      engineLoopDelayP99Ms: delay.p99,
      simCpu: r.simCpu,
      keptUp: startedInWindow >= KEEP_UP.startedShare * r.placed && r.prompted === r.placed && r.latency.p99 <= KEEP_UP.p99Ms && failures === 0,
    }
    steps.push(step)
    o.onStep?.(step)
    // Far behind: higher rates would only pile up.
    if (!step.keptUp && (startedInWindow < 0.8 * r.placed || r.latency.p99 > 5_000 || r.stillWaiting > 0)) break
  }
  // The highest rate kept up with, every lower step kept up with too.
  let sustainedPerSec = 0
  for (const s of steps) {
    if (!s.keptUp) break
    sustainedPerSec = s.targetPerSec
  }
  return { steps, sustainedPerSec }
}
