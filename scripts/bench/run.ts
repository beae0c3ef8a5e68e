/**
 * `npm run bench`: figures for issue 2 (Foundation), printed, never asserted.
 *  1. new inbound calls per second the engine sustains against the ARI simulator;
 *  2. engine CPU and memory per call with 1,000 calls in the menus.
 * The simulator runs in a child process (sim-child.ts) so its CPU is not the engine's; the
 * engine runs here, restarted once with --expose-gc so memory is read after a full GC.
 * Results also go to bench-results/issue2.json. Flags: --rates 20,50,100,200,300,400
 * --step-sec 10 --calls 1000 --ramp 100 --wait-sec 20 --out bench-results/issue2.json
 */
import { spawn } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { startBenchEngine } from './engine.js'
import { measureInboundRate } from './inbound-rate.js'
import { measureMenuHold } from './menu-hold.js'
import { holdText, machineText, rateNotes, rateTable } from './report.js'
import { SimProcess } from './sim-process.js'
import { loadAverage, machineInfo } from './stats.js'

const ROOT = path.resolve(import.meta.dirname, '../..')
const gc = (globalThis as { gc?: () => void }).gc

if (!gc) {
  // Once more with a GC we can call; the flags and arguments carry over.
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit' })
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
} else {
  await main(gc)
}

async function main(collect: () => void): Promise<void> {
  const { values } = parseArgs({
    options: {
      rates: { type: 'string', default: '20,50,100,200,300,400' },
      'step-sec': { type: 'string', default: '10' },
      calls: { type: 'string', default: '1000' },
      ramp: { type: 'string', default: '100' },
      'wait-sec': { type: 'string', default: '20' },
      out: { type: 'string', default: 'bench-results/issue2.json' },
    },
  })
  const positive = (name: string, v: string) => {
    const n = Number(v)
    if (!Number.isFinite(n) || n <= 0) throw new Error(`bench: --${name} must be a number > 0, got ${v}`)
    return n
  }
  const rates = values.rates.split(',').map((r) => positive('rates', r.trim()))
  const stepMs = positive('step-sec', values['step-sec']) * 1000
  const calls = Math.round(positive('calls', values.calls))
  const ramp = positive('ramp', values.ramp)
  const waitMs = positive('wait-sec', values['wait-sec']) * 1000
  const began = Date.now()
  const machine = machineInfo()
  const say = (s: string) => process.stdout.write(`${s}\n`)

  say(`centralino bench (issue 2): ${machineText(machine)}`)
  const sim = await SimProcess.start()
  say(`ARI simulator in child process ${sim.pid} at ${sim.url}; engine in process ${process.pid}`)
  try {
    say(`\n1. new inbound calls per second (callers hear the welcome prompt start, listen 2 s, hang up; ${stepMs / 1000} s per step)`)
    let be = await startBenchEngine(sim.url)
    const logs0 = be.logs.read()
    const rate = await measureInboundRate(sim, be, {
      rates,
      stepMs,
      onStep: (s) =>
        say(`  ${s.targetPerSec}/s: started ${s.startedPerSec.toFixed(1)}/s, p99 ${s.latencyMs.p99.toFixed(1)} ms, engine CPU ${(s.engineCpu * 100).toFixed(0)}%${s.keptUp ? '' : ' (not kept up)'}`),
    })
    const rateLogs = be.logs.since(logs0)
    await be.stop()
    say(rateTable(rate.steps))
    say(rateNotes(rate.steps, rate.sustainedPerSec, rateLogs))

    say(`\n2. ${calls} concurrent calls in the menus (callers re-listen to the main menu every 8-12 s; fresh engine)`)
    be = await startBenchEngine(sim.url)
    const hold = await measureMenuHold(sim, be, { calls, rampPerSec: ramp, waitMs, idleAfterHangupSec: 8, gc: collect })
    await be.stop()
    say(holdText(hold))

    const out = path.resolve(ROOT, values.out)
    mkdirSync(path.dirname(out), { recursive: true })
    const loadAtEnd = loadAverage()
    const result = { issue: 2, at: new Date(began).toISOString(), machine, loadAverageAtEnd: loadAtEnd, inboundRate: { ...rate, engineLogs: rateLogs }, menuHold: hold, durationSec: (Date.now() - began) / 1000 }
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`)
    say(`\nload average ${loadAtEnd} at the end; results written to ${path.relative(ROOT, out)} (bench took ${((Date.now() - began) / 1000).toFixed(0)} s)`)
  } finally {
    await sim.close()
  }
}
