/**
 * The engine in its own process (src/main.ts through tsx), as a supervisor would run it: its
 * JSON log lines are counted by message so a test or a benchmark can wait for "engine started"
 * or "resuming call"; stop() sends a signal and waits for the exit (SIGKILL for kill -9).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'

const ROOT = path.resolve(import.meta.dirname, '../..')

export interface EngineProcess {
  proc: ChildProcess
  /** How many log records carried this message so far. */
  count(msg: string): number
  stop(signal: NodeJS.Signals): Promise<void>
}

export function startEngineProcess(env: Record<string, string>): EngineProcess {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'ignore'] })
  const counts = new Map<string, number>()
  let buf = ''
  proc.stdout!.on('data', (d: Buffer) => {
    buf += d.toString()
    let i
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i)
      buf = buf.slice(i + 1)
      try {
        const msg = (JSON.parse(line) as { msg?: unknown }).msg
        if (typeof msg === 'string') counts.set(msg, (counts.get(msg) ?? 0) + 1)
      } catch {
        /* not a log record */
      }
    }
  })
  const exited = new Promise<void>((r) => proc.once('exit', () => r()))
  return {
    proc,
    count: (msg) => counts.get(msg) ?? 0,
    async stop(signal) {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal)
      await exited
    },
  }
}

/**
 * Writes into `dir` an engine config whose example flow is open around the clock (an engine
 * process runs on real time: its tests must not depend on the hour in Rome); returns the
 * config file's path (for CENTRALINO_CONFIG) and the flow text.
 */
export function writeAlwaysOpenConfig(dir: string): { configFile: string; flow: string } {
  mkdirSync(path.join(dir, 'flows'), { recursive: true })
  const always = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => `      ${d}: ['00:00-24:00']\n`).join('')
  const flow = readFileSync(path.join(ROOT, 'config/flows/national.yaml'), 'utf8').replace(/ {4}schedule:\n(?: {6}.*\n)+ {4}holidays: italy\n {4}closedOn: .*\n/, `    schedule:\n${always}`)
  writeFileSync(path.join(dir, 'flows/national.yaml'), flow)
  const configFile = path.join(dir, 'centralino.yaml')
  writeFileSync(configFile, `paths:\n  flows: ${path.join(dir, 'flows')}\n  prompts: ${path.join(ROOT, 'prompts/catalogue.yaml')}\n  sections: ${path.join(ROOT, 'config/sections.yaml')}\n`)
  return { configFile, flow }
}
