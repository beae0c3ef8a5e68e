/**
 * Starts the simulator child (sim-child.ts under tsx, with an IPC channel) and talks to it:
 * request() sends one request and resolves its reply; close() ends the child.
 */
import { fork, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import type { HoldResult, HoldStatus, OfferResult, SimReady, SimReply, SimReplyBody, SimRequest, SimStatsReply } from './protocol.js'

const ROOT = path.resolve(import.meta.dirname, '../..')

type ReplyOf<R extends SimRequest> = R extends { op: 'offer' }
  ? OfferResult
  : R extends { op: 'hold' }
    ? HoldResult
    : R extends { op: 'hold-status' }
      ? HoldStatus
      : R extends { op: 'release' }
        ? { released: number; ms: number }
        : SimStatsReply

export class SimProcess {
  private seq = 0
  private readonly waiting = new Map<number, { resolve(b: SimReplyBody): void; reject(e: Error): void }>()

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.on('message', (m: SimReply) => {
      const w = this.waiting.get(m.id)
      if (!w) return
      this.waiting.delete(m.id)
      if (m.ok) w.resolve(m.body)
      else w.reject(new Error(`simulator child: ${m.error}`))
    })
    child.on('exit', (code) => {
      for (const w of this.waiting.values()) w.reject(new Error(`simulator child exited (${code})`))
      this.waiting.clear()
    })
  }

  get pid(): number | undefined {
    return this.child.pid
  }

  static start(): Promise<SimProcess> {
    const child = fork(path.join(import.meta.dirname, 'sim-child.ts'), [], {
      cwd: ROOT,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`simulator child exited before it was ready (${code})`))
      child.once('exit', onExit)
      child.once('message', (m: SimReady) => {
        child.off('exit', onExit)
        resolve(new SimProcess(child, m.url))
      })
    })
  }

  request<R extends SimRequest>(req: R): Promise<ReplyOf<R>> {
    const id = ++this.seq
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve: (b) => resolve(b as ReplyOf<R>), reject })
      this.child.send({ id, req })
    })
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()))
    this.child.disconnect()
    const timer = setTimeout(() => this.child.kill(), 5_000)
    await exited
    clearTimeout(timer)
  }
}
