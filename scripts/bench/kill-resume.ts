/**
 * Time from kill -9 to calls resumed: an engine process (src/main.ts on Redis, the flow open
 * around the clock) drives N callers held in the main menu of a simulated Asterisk; it is
 * SIGKILLed and a new engine process started at once; we time until it has resumed all N
 * (each logs 'resuming call'), process start included.
 * Run: npx tsx scripts/bench/kill-resume.ts [--calls N]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { createRedisStore } from '../../src/adapters/redis/index.js'
import { RealClock } from '../../src/domain/clock.js'
import { readCatalogue } from '../../src/ivr/index.js'
import { catalogueDurations } from '../../src/prompts/durations.js'
import { startSimulator } from '../../src/sim/index.js'
import type { CallerStep } from '../../src/sim/types.js'
import { startEngineProcess, writeAlwaysOpenConfig, type EngineProcess } from '../../test/helpers/engine-process.js'
import { startBenchRedis } from './redis-server.js'

const ROOT = path.resolve(import.meta.dirname, '../..')

export interface KillResumeResult {
  calls: number
  engineStartMs: number
  resumedMs: number
}

async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

export async function measureKillResume(o: { calls: number }): Promise<KillResumeResult | undefined> {
  const redis = startBenchRedis()
  if (!redis) return undefined
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-kill-'))
  const catalogue = readCatalogue(path.join(ROOT, 'prompts/catalogue.yaml')).catalogue!
  const sim = await startSimulator({ clock: new RealClock(), users: { engine: 'engine' }, soundDuration: catalogueDurations(catalogue, path.join(ROOT, 'prompts/audio')) })
  const store = createRedisStore({ url: redis.url, prefix: 'bench-kill' })
  const engines: EngineProcess[] = []
  try {
    const { configFile } = writeAlwaysOpenConfig(dir)
    const env = {
      CENTRALINO_CONFIG: configFile,
      CENTRALINO_TELEPHONY: 'ari',
      CENTRALINO_ARI_URL: sim.url,
      CENTRALINO_STORE: 'redis',
      CENTRALINO_REDIS_URL: redis.url,
      CENTRALINO_REDIS_PREFIX: 'bench-kill',
      CENTRALINO_HTTP_PORT: '0',
      CENTRALINO_LOG_LEVEL: 'info',
    }
    const first = startEngineProcess(env)
    engines.push(first)
    await until(() => first.count('engine started') > 0, 60_000, 'the first engine')
    // Callers that reach the main menu and stay (they press nothing; the menu repeats).
    const hold: CallerStep[] = [{ waitFor: 'playback', media: /centralino\/choose_language$/, timeoutMs: 60_000 }, { dtmf: '1' }, { waitFor: 'playback', media: /centralino\/main_menu$/, timeoutMs: 60_000 }, { wait: 600_000 }]
    const calls = Array.from({ length: o.calls }, (_, i) => sim.placeCall({ from: `+39333300${String(i).padStart(4, '0')}`, to: '803164', script: hold }))
    await until(() => calls.every((c) => c.heard.some((u) => u.endsWith('centralino/main_menu'))), 120_000, 'every caller in the main menu')
    await new Promise((r) => setTimeout(r, 500)) // let the records settle
    const killedAt = Date.now()
    await first.stop('SIGKILL')
    const second = startEngineProcess(env)
    engines.push(second)
    await until(() => second.count('engine started') > 0, 60_000, 'the second engine')
    const engineStartMs = Date.now() - killedAt
    await until(() => second.count('resuming call') >= o.calls, 120_000, 'every call resumed')
    const resumedMs = Date.now() - killedAt
    for (const c of calls) c.hangup()
    await Promise.all(calls.map((c) => c.done))
    return { calls: o.calls, engineStartMs, resumedMs }
  } finally {
    await Promise.all(engines.map((e) => e.stop('SIGKILL')))
    await store.close()
    await sim.close()
    await redis.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

export function formatKillResume(r: KillResumeResult): string {
  return [
    `kill -9 to calls resumed (${r.calls} callers in the main menu, engine on Redis, new process started at once):`,
    `  new engine process up and connected      ${r.engineStartMs} ms`,
    `  all ${r.calls} calls resumed                ${r.resumedMs} ms`,
  ].join('\n')
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { calls: { type: 'string', default: '100' } } })
  const r = await measureKillResume({ calls: Number(values.calls) })
  process.stdout.write(r ? `${formatKillResume(r)}\n` : 'kill -9 to resumed: skipped (redis-server is not installed)\n')
}
