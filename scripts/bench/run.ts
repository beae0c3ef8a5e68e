/**
 * `npm run bench`: figures for issue 2 (Foundation), printed, never asserted.
 *  1. new inbound calls per second the engine sustains against the ARI simulator;
 *  2. engine CPU and memory per call with 1,000 calls in the menus;
 * and for issue 3 (national-grade ACD): 3. routing decision latency with 10,000 waiting calls
 * and 2,000 agents in Redis, 4. estimated-wait error beside app_queue's formula, 5. time from
 * kill -9 to calls resumed.
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
import { formatKillResume, measureKillResume } from './kill-resume.js'
import { formatRouting, runRoutingBench } from './routing-redis.js'
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
  await issue3(say)
  // Child processes and sockets of the measurements are closed; do not wait for stray timers.
  process.exit(0)
}

/** Issue 3 (national-grade ACD): routing latency on Redis, estimated-wait error, kill -9 to resumed. */
async function issue3(say: (s: string) => void): Promise<void> {
  const began = Date.now()
  say('\ncentralino bench (issue 3)')
  say('\n3. routing decision latency on Redis')
  const routing = await runRoutingBench({ waiting: 10_000, agents: 2_000, rounds: 100 })
  if (routing) say(formatRouting(routing))
  // A national queue that long means agents are busy: 2% ready is the usual picture.
  const routingBusy = await runRoutingBench({ waiting: 10_000, agents: 2_000, rounds: 100, readyShare: 0.02 })
  if (routingBusy) say(formatRouting(routingBusy))
  say('\n4. estimated wait: mean absolute error, ours beside app_queue\'s formula (npm run bench:ewt)')
  await new Promise<void>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/bench/ewt.ts')], { cwd: ROOT, stdio: 'inherit' })
    child.on('exit', () => resolve())
  })
  say('\n5. time from kill -9 to calls resumed')
  const kill = await measureKillResume({ calls: 100 })
  say(kill ? formatKillResume(kill) : '  skipped (redis-server is not installed)')
  const out = path.resolve(ROOT, 'bench-results/issue3.json')
  writeFileSync(out, `${JSON.stringify({ issue: 3, at: new Date(began).toISOString(), machine: machineInfo(), loadAverageAtEnd: loadAverage(), routing, routingBusy, killResume: kill }, null, 2)}\n`)
  say(`\nissue 3 results written to ${path.relative(ROOT, out)} (took ${((Date.now() - began) / 1000).toFixed(0)} s)`)
}
