/**
 * The engine under measurement, in the bench's own process: bootEngine on the example
 * configuration with telephony 'ari' pointed at the simulator child, the embedded back
 * office, an in-memory store, and a clock set in office hours (the flow checks them). Its
 * logger writes nothing but counts warnings and errors (and keeps a few as samples).
 */
import path from 'node:path'
import { createMemoryStore } from '../../src/adapters/memory/store.js'
import { startEmbeddedBackOffice } from '../../src/boot/backoffice.js'
import { bootEngine, type Engine } from '../../src/boot/engine.js'
import { parseEngineConfig } from '../../src/config/engine.js'
import { formatErrors } from '../../src/config/errors.js'
import { officeMorning } from '../../src/demo/office-hours.js'
import { ScaledClock } from '../../src/domain/clock.js'
import { createLogger } from '../../src/domain/log.js'
import type { Store } from '../../src/domain/store.js'

const ROOT = path.resolve(import.meta.dirname, '../..')

/** Counts the engine's log records at warn level and above, by message. */
export class LogCounter {
  warnings = 0
  errors = 0
  readonly byMessage: Record<string, number> = {}

  write(line: string): void {
    let rec: { level?: number; msg?: string; err?: { message?: string } }
    try {
      rec = JSON.parse(line) as typeof rec
    } catch {
      rec = {}
    }
    if ((rec.level ?? 0) >= 50) this.errors++
    else this.warnings++
    const key = `${rec.msg ?? line.trim().slice(0, 80)}${rec.err?.message ? `: ${rec.err.message.slice(0, 80)}` : ''}`
    this.byMessage[key] = (this.byMessage[key] ?? 0) + 1
  }

  read(): { warnings: number; errors: number; byMessage: Record<string, number> } {
    return { warnings: this.warnings, errors: this.errors, byMessage: { ...this.byMessage } }
  }

  /** Messages logged since `before` (a read()), with their counts. */
  since(before: { byMessage: Record<string, number> }): Record<string, number> {
    const out: Record<string, number> = {}
    for (const [m, n] of Object.entries(this.byMessage)) if (n > (before.byMessage[m] ?? 0)) out[m] = n - (before.byMessage[m] ?? 0)
    return out
  }
}

export interface BenchEngine {
  engine: Engine
  store: Store
  /** The server id call records are kept under (as app.ts names it). */
  serverId: string
  logs: LogCounter
  stop(): Promise<void>
}

export async function startBenchEngine(ariUrl: string): Promise<BenchEngine> {
  const r = parseEngineConfig(undefined, 'defaults', {})
  if (r.errors.length > 0) throw new Error(`default configuration invalid:\n${formatErrors(r.errors)}`)
  const backOffice = await startEmbeddedBackOffice()
  const config = {
    ...r.config,
    telephony: 'ari' as const,
    ari: { ...r.config.ari, url: ariUrl },
    // The engine's HTTP API on any free port, local only: the bench must not clash with a running engine.
    http: { ...r.config.http, port: 0, host: '127.0.0.1' },
    backOffice: { ...r.config.backOffice, baseUrl: backOffice.url },
  }
  const logs = new LogCounter()
  const store = createMemoryStore()
  const engine = await bootEngine({
    config,
    log: createLogger({ level: 'warn', destination: logs }),
    clock: new ScaledClock(1, officeMorning(Date.now())),
    store,
    cwd: ROOT,
    watchFlows: false,
    loginAgents: true,
  })
  return {
    engine,
    store,
    serverId: `${config.ari.app}@${engine.ariUrl}`,
    logs,
    async stop() {
      await engine.stop()
      await backOffice.close()
      await store.close()
    },
  }
}
