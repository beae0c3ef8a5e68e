/**
 * `npm run demo`: the engine on its embedded defaults (ARI simulator, in-memory store, the
 * example flows and sections) with simulated citizens calling the national number, and a
 * summary every few seconds. Flags: --duration SEC of wall-clock time (default 60, 0 = until Ctrl-C),
 * --rate CALLS_PER_MIN (default 30), --speed FACTOR (time runs FACTOR times faster,
 * default 4), --port PORT (simulator, default 8088; 0 = any), --api-port PORT (HTTP API, default
 * http.port of the configuration, 8080; 0 = any). Ctrl-C stops cleanly.
 * Simulated time starts in office hours (a working morning in Rome) so the queues are open.
 */
import { parseArgs } from 'node:util'
import { bootEngine, defaultPhones } from '../boot/engine.js'
import { readEngineConfig } from '../config/engine.js'
import { formatErrors } from '../config/errors.js'
import { ScaledClock } from '../domain/clock.js'
import { createLogger } from '../domain/log.js'
import { officeMorning } from './office-hours.js'
import { finalReport, summaryLine } from './summary.js'
import { Traffic } from './traffic.js'

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '60' },
    rate: { type: 'string', default: '30' },
    speed: { type: 'string', default: '4' },
    port: { type: 'string', default: '8088' },
    'api-port': { type: 'string' },
    'log-level': { type: 'string', default: 'warn' },
    'every': { type: 'string', default: '5' },
  },
})
const num = (name: string, v: string | undefined, min: number) => {
  const n = Number(v)
  if (!Number.isFinite(n) || n < min) {
    process.stderr.write(`demo: --${name} must be a number >= ${min}\n`)
    process.exit(2)
  }
  return n
}
const durationSec = num('duration', values.duration, 0)
const rate = num('rate', values.rate, 0)
const speed = num('speed', values.speed, 0.1)
const port = num('port', values.port, 0)
const everySec = num('every', values.every, 1)

const r = readEngineConfig({ env: process.env })
if (r.errors.length > 0) {
  process.stderr.write(`demo: invalid configuration\n${formatErrors(r.errors)}\n`)
  process.exit(1)
}
const apiPort = values['api-port'] === undefined ? r.config.http.port : num('api-port', values['api-port'], 0)
const config = { ...r.config, telephony: 'simulator' as const, simulator: { port, speed }, http: { ...r.config.http, port: apiPort } }
const log = createLogger({ level: values['log-level'] })
const clock = new ScaledClock(speed, officeMorning(Date.now()))

// Agents answer after 1.5-4 s; now and then one does not answer (the caller keeps its place).
const phones = (endpoint: string) => (!endpoint.includes('@') && Math.random() < 0.05 ? { noAnswer: true } : defaultPhones(endpoint))
const engine = await bootEngine({ config, log, clock, phones })
const sim = engine.sim!
const traffic = new Traffic({ sim, clock, ratePerMin: rate })
const started = clock.now()
process.stdout.write(
  `centralino demo: ARI simulator at ${sim.ariUrl}, ${rate} calls/min of simulated time, time x${speed}, ${durationSec ? `for ${durationSec} s (${Math.round(durationSec * speed)} s simulated)` : 'until Ctrl-C'}\n`,
)
const demoToken = Object.keys(config.http.tokens).length === 0 ? ', Authorization: Bearer demo-supervisor' : ''
process.stdout.write(`API at ${engine.apiUrl} (e.g. GET /api/agents${demoToken}), OpenAPI at ${engine.apiUrl}/docs\n`)
const demoUsers = Object.keys(config.http.users ?? {}).length === 0 ? ': log in as supervisor, campaigns, op101 or viewer, password demo' : ''
process.stdout.write(`Pages at ${engine.apiUrl}/ (wallboard, flows, campaigns, operator desk)${demoUsers}\n`)
traffic.start()

const tick = setInterval(() => {
  void engine.app.summary().then((s) => process.stdout.write(`${summaryLine(s, clock.now() - started)}\n`))
}, everySec * 1000)

let stopping = false
async function stop(why: string): Promise<void> {
  if (stopping) return
  stopping = true
  clearInterval(tick)
  traffic.stop()
  process.stdout.write(`\nstopping (${why}): no new calls; ending the calls in progress...\n`)
  const s = await engine.app.summary()
  await engine.stop({ drainMs: 0 })
  await traffic.settled()
  process.stdout.write(`${finalReport(s, traffic.placed, clock.now() - started)}\n`)
  process.exit(0)
}
process.on('SIGINT', () => void stop('Ctrl-C'))
process.on('SIGTERM', () => void stop('SIGTERM'))
if (durationSec > 0) setTimeout(() => void stop('duration reached'), durationSec * 1000)
