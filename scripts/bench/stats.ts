/** Small measuring helpers for the bench: percentiles, CPU and event-loop samplers, machine info. */
import os from 'node:os'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import type { Percentiles } from './protocol.js'

export function percentiles(values: number[]): Percentiles {
  if (values.length === 0) return { n: 0, p50: 0, p90: 0, p99: 0, max: 0 }
  const s = [...values].sort((a, b) => a - b)
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!
  return { n: s.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: s[s.length - 1]! }
}

/** CPU time of this process (all threads, user + system) since start(), in ms, and as a share of one core. */
export class CpuMeter {
  private cpu = process.cpuUsage()
  private wall = performance.now()

  start(): this {
    this.cpu = process.cpuUsage()
    this.wall = performance.now()
    return this
  }

  read(): { cpuMs: number; wallMs: number; share: number } {
    const d = process.cpuUsage(this.cpu)
    const cpuMs = (d.user + d.system) / 1000
    const wallMs = performance.now() - this.wall
    return { cpuMs, wallMs, share: wallMs > 0 ? cpuMs / wallMs : 0 }
  }
}

/** Event-loop delay of this process over a window (ms). */
export class LoopDelay {
  private readonly h = monitorEventLoopDelay({ resolution: 10 })

  start(): this {
    this.h.reset()
    this.h.enable()
    return this
  }

  stop(): { p50: number; p99: number; max: number } {
    this.h.disable()
    const ms = (ns: number) => ns / 1e6
    return { p50: ms(this.h.percentile(50)), p99: ms(this.h.percentile(99)), max: ms(this.h.max) }
  }
}

export interface MachineInfo {
  cpuModel: string
  cores: number
  memoryGiB: number
  node: string
  platform: string
  /** 1-minute load average when the bench started: other work on the machine skews the figures. */
  loadAverage: number
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus()
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    loadAverage: loadAverage(),
  }
}

export function loadAverage(): number {
  return Math.round(os.loadavg()[0]! * 100) / 100
}

export const sleepMs = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Polls pred every 100 ms until it holds or timeoutMs passes; returns whether it held. */
export async function until(pred: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const end = performance.now() + timeoutMs
  for (;;) {
    if (await pred()) return true
    if (performance.now() >= end) return false
    await sleepMs(100)
  }
}
