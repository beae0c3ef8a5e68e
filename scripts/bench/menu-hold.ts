/**
 * Figure 2: engine CPU and memory per call with 1,000 calls in the menus. The simulator child
 * brings `calls` callers into the main menu (menu-hold callers: they re-listen to it every
 * 8-12 s, so none times out or leaves for a queue). We read the engine's CPU for setting
 * them up, its heap and RSS per call after a full GC, its CPU per call-second while they
 * stay, and what is left once they all hung up (GC'd heap against the baseline, handlers
 * still registered in the event router).
 */
import type { BenchEngine } from './engine.js'
import type { SimProcess } from './sim-process.js'
import { CpuMeter, LoopDelay, sleepMs, until } from './stats.js'

export interface MemSample {
  heapUsed: number
  rss: number
  external: number
}

export interface HoldFigures {
  calls: number
  inMainMenu: number
  rampPerSec: number
  setupMs: number
  toMainMenuMs: { p50: number; p99: number; max: number }
  setupCpuMsPerCall: number
  memory: {
    baseline: MemSample
    withCalls: MemSample
    afterWait: MemSample
    afterHangup: MemSample
    heapPerCallKiB: number
    rssPerCallKiB: number
    /** Heap growth while the calls stayed (replays), per call. Heap readings are the lowest of a few, 1 s apart. */
    heapGrowthDuringWaitPerCallKiB: number
    /** Heap still held once every call ended, per call (the event log keeps its events by design). */
    heapRetainedPerCallKiB: number
  }
  wait: {
    seconds: number
    alive: number
    sessionsInIvr: number
    mainMenuReplays: number
    otherPrompts: Record<string, number>
    engineCpu: number
    cpuMsPerCallSecond: number
    loopDelayP99Ms: number
    simCpu: number
  }
  teardown: { ms: number; cpuMsPerCall: number; idleSec: number }
  leftovers: { sessions: number; channelHandlers: number; playbackHandlers: number; callRecords: number; eventLogEntries: number }
  engine: { warnings: number; errors: number; byMessage: Record<string, number> }
}

export interface HoldOptions {
  calls: number
  rampPerSec: number
  waitMs: number
  /** Seconds of idle after the hangup over which the lowest heap is kept. */
  idleAfterHangupSec: number
  gc: () => void
}

async function settledMemory(gc: () => void): Promise<MemSample> {
  for (let i = 0; i < 2; i++) {
    gc()
    await sleepMs(20)
  }
  const m = process.memoryUsage()
  return { heapUsed: m.heapUsed, rss: m.rss, external: m.external }
}

/**
 * V8 gives memory back lazily (a forced GC right after a burst still finds much of the dead
 * objects): reads the heap after a GC every second for `seconds`, keeps the lowest reading.
 */
async function lowestMemory(gc: () => void, seconds: number): Promise<MemSample> {
  let low = await settledMemory(gc)
  for (let i = 0; i < seconds; i++) {
    await sleepMs(1_000)
    const m = await settledMemory(gc)
    if (m.heapUsed < low.heapUsed) low = m
  }
  return low
}

const kib = (bytes: number, calls: number) => bytes / 1024 / Math.max(1, calls)

export async function measureMenuHold(sim: SimProcess, be: BenchEngine, o: HoldOptions): Promise<HoldFigures> {
  const app = be.engine.app
  const logs0 = be.logs.read()
  const baseline = await settledMemory(o.gc)

  const setupCpu = new CpuMeter().start()
  const held = await sim.request({ op: 'hold', calls: o.calls, ratePerSec: o.rampPerSec, deadlineMs: 120_000 })
  const setup = setupCpu.read()
  const withCalls = await lowestMemory(o.gc, 3)

  await sim.request({ op: 'hold-status' }) // resets the child's counters: the window starts now
  const cpu = new CpuMeter().start()
  const loop = new LoopDelay().start()
  await sleepMs(o.waitMs)
  const waited = cpu.read()
  const delay = loop.stop()
  const status = await sim.request({ op: 'hold-status' })
  const sessionsInIvr = app.registry.countByPhase().ivr
  const afterWait = await lowestMemory(o.gc, 3)

  const teardownCpu = new CpuMeter().start()
  const released = await sim.request({ op: 'release' })
  await until(() => app.registry.size === 0, 30_000)
  const teardown = teardownCpu.read()
  const afterHangup = await lowestMemory(o.gc, o.idleAfterHangupSec)
  const logs = be.logs.read()

  const { main_menu: replays = 0, ...otherPrompts } = status.heard
  const n = held.inMainMenu
  return {
    calls: o.calls,
    inMainMenu: n,
    rampPerSec: o.rampPerSec,
    setupMs: held.setupMs,
    toMainMenuMs: { p50: held.toMainMenu.p50, p99: held.toMainMenu.p99, max: held.toMainMenu.max },
    setupCpuMsPerCall: setup.cpuMs / Math.max(1, n),
    memory: {
      baseline,
      withCalls,
      afterWait,
      afterHangup,
      heapPerCallKiB: kib(withCalls.heapUsed - baseline.heapUsed, n),
      rssPerCallKiB: kib(withCalls.rss - baseline.rss, n),
      heapGrowthDuringWaitPerCallKiB: kib(afterWait.heapUsed - withCalls.heapUsed, n),
      heapRetainedPerCallKiB: kib(afterHangup.heapUsed - baseline.heapUsed, n),
    },
    wait: {
      seconds: waited.wallMs / 1000,
      alive: status.alive,
      sessionsInIvr,
      mainMenuReplays: replays,
      otherPrompts,
      engineCpu: waited.share,
      cpuMsPerCallSecond: waited.cpuMs / Math.max(1, status.alive * (waited.wallMs / 1000)),
      loopDelayP99Ms: delay.p99,
      simCpu: status.simCpu,
    },
    teardown: { ms: released.ms, cpuMsPerCall: teardown.cpuMs / Math.max(1, released.released), idleSec: o.idleAfterHangupSec },
    leftovers: {
      sessions: app.registry.size,
      channelHandlers: app.router.size().channels,
      playbackHandlers: app.router.size().playbacks,
      callRecords: (await be.store.calls.list(be.serverId)).length,
      eventLogEntries: (await be.store.events.read()).length,
    },
    engine: { warnings: logs.warnings - logs0.warnings, errors: logs.errors - logs0.errors, byMessage: be.logs.since(logs0) },
  }
}
