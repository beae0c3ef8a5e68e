/**
 * Time from kill -9 to calls resumed: an engine process (src/main.ts on Redis, the flow open
 * around the clock) drives N callers held in the main menu of a simulated Asterisk; it is
 * SIGKILLed and a new engine process started at once; we time until it has resumed all N
 * (each logs 'resuming call'), process start included.
 * Run: npx tsx scripts/bench/kill-resume.ts [--calls N]
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { createRedisStore } from '../../src/adapters/redis/index.js'
import { RealClock } from '../../src/domain/clock.js'
import { readCatalogue } from '../../src/ivr/index.js'
import { catalogueDurations } from '../../src/prompts/durations.js'
import { startSimulator } from '../../src/sim/index.js'
import type { CallerStep } from '../../src/sim/types.js'
import { startBenchRedis } from './redis-server.js'

const ROOT = path.resolve(import.meta.dirname, '../..')

export interface KillResumeResult {
  calls: number
  engineStartMs: number
  resumedMs: number
}

function engineProcess(env: Record<string, string>): { proc: ChildProcess; count: (msg: string) => number; exited: Promise<void> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'ignore'] })
  const counts = new Map<string, number>()
  let buf = ''
  proc.stdout!.on('data', (d: Buffer) => {
    buf += d.toString()
    let i
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i)
      buf = buf.slice(i + 1)
      const m = /"msg":"([^"]*)"/.exec(line)
      if (m) counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1)
    }
  })
  const exited = new Promise<void>((r) => proc.once('exit', () => r()))
  return { proc, count: (msg) => counts.get(msg) ?? 0, exited }
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
  const engines: Array<ReturnType<typeof engineProcess>> = []
  try {
    mkdirSync(path.join(dir, 'flows'))
    const always = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => `      ${d}: ['00:00-24:00']\n`).join('')
    const flow = readFileSync(path.join(ROOT, 'config/flows/national.yaml'), 'utf8').replace(/ {4}schedule:\n(?: {6}.*\n)+ {4}holidays: italy\n {4}closedOn: .*\n/, `    schedule:\n${always}`)
    writeFileSync(path.join(dir, 'flows/national.yaml'), flow)
    writeFileSync(path.join(dir, 'centralino.yaml'), `paths:\n  flows: ${path.join(dir, 'flows')}\n  prompts: ${path.join(ROOT, 'prompts/catalogue.yaml')}\n  sections: ${path.join(ROOT, 'config/sections.yaml')}\n`)
    const env = {
      CENTRALINO_CONFIG: path.join(dir, 'centralino.yaml'),
      CENTRALINO_TELEPHONY: 'ari',
      CENTRALINO_ARI_URL: sim.url,
      CENTRALINO_STORE: 'redis',
      CENTRALINO_REDIS_URL: redis.url,
      CENTRALINO_REDIS_PREFIX: 'bench-kill',
      CENTRALINO_HTTP_PORT: '0',
      CENTRALINO_LOG_LEVEL: 'info',
    }
    const first = engineProcess(env)
    engines.push(first)
    await until(() => first.count('engine started') > 0, 60_000, 'the first engine')
    // Callers that reach the main menu and stay (they press nothing; the menu repeats).
    const hold: CallerStep[] = [{ waitFor: 'playback', media: /centralino\/choose_language$/, timeoutMs: 60_000 }, { dtmf: '1' }, { waitFor: 'playback', media: /centralino\/main_menu$/, timeoutMs: 60_000 }, { wait: 600_000 }]
    const calls = Array.from({ length: o.calls }, (_, i) => sim.placeCall({ from: `+39333300${String(i).padStart(4, '0')}`, to: '803164', script: hold }))
    await until(() => calls.every((c) => c.heard.some((u) => u.endsWith('centralino/main_menu'))), 120_000, 'every caller in the main menu')
    await new Promise((r) => setTimeout(r, 500)) // let the records settle
    const killedAt = Date.now()
    first.proc.kill('SIGKILL')
    await first.exited
    const second = engineProcess(env)
    engines.push(second)
    await until(() => second.count('engine started') > 0, 60_000, 'the second engine')
    const engineStartMs = Date.now() - killedAt
    await until(() => second.count('resuming call') >= o.calls, 120_000, 'every call resumed')
    const resumedMs = Date.now() - killedAt
    for (const c of calls) c.hangup()
    await Promise.all(calls.map((c) => c.done))
    return { calls: o.calls, engineStartMs, resumedMs }
  } finally {
    for (const e of engines) if (e.proc.exitCode === null && e.proc.signalCode === null) e.proc.kill('SIGKILL')
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
