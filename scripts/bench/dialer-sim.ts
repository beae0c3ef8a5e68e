/**
 * Dial attempts per hour one engine sustains against the ARI simulator over real HTTP and
 * WebSocket (the simulator in a child process, so its CPU does not count against the engine),
 * with exact outcome accounting. A message campaign (agents do not limit it) with AMD, callee
 * models answer ~60% (people, short talk), busy ~10%, no answer ~15%, machine ~15%; maxChannels
 * high, maxCallsPerSecond the knob. After a warm-up, attempts are counted over a measured
 * window in real time; then the campaign is paused, the calls drain and every attempt is
 * checked: attempts recorded = sum of outcomes in the store = the contacts' attempts = dials
 * the simulator saw, none left dialing.
 *
 *   npx tsx scripts/bench/dialer-sim.ts [--cps 12] [--warmup 15] [--seconds 60]
 */
import { fork } from 'node:child_process'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { createMemoryCampaignStore } from '../../src/adapters/memory/campaigns.js'
import { createMemoryStore } from '../../src/adapters/memory/store.js'
import { bootEngine } from '../../src/boot/engine.js'
import { parseEngineConfig } from '../../src/config/engine.js'
import type { CampaignConfig, DialOutcome } from '../../src/domain/campaign.js'
import { RealClock } from '../../src/domain/clock.js'
import { createLogger } from '../../src/domain/log.js'
import { DEFAULT_RETRIES } from '../../src/dialer/retry.js'
import { readCatalogue } from '../../src/ivr/index.js'
import { catalogueDurations } from '../../src/prompts/durations.js'
import { calleeModel } from '../../src/sim/callees.js'
import { startSimulator } from '../../src/sim/index.js'

const ROOT = path.resolve(import.meta.dirname, '../..')

if (process.argv.includes('--child')) {
  // The simulator process: trunk numbers drawn from the callee model, agents answer at once.
  const model = calleeModel({ busy: 0.1, noAnswer: 0.15, machine: 0.15, ringMs: [2000, 8000], talkMs: [5000, 15000], machineHangupMs: 20_000 }, 42, () => ({ answerAfterMs: 200 }))
  const catalogue = readCatalogue(path.join(ROOT, 'prompts/catalogue.yaml')).catalogue!
  const ari = parseEngineConfig(undefined, 'defaults', {}).config.ari
  const sim = await startSimulator({ users: { [ari.username]: ari.password }, phones: model.resolver, soundDuration: catalogueDurations(catalogue, path.join(ROOT, 'prompts/audio')) })
  process.send!({ url: sim.url })
  process.on('message', (m: { op: string }) => {
    if (m.op === 'drawn') process.send!({ drawn: model.drawn })
  })
} else {
  await main()
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { cps: { type: 'string', default: '12' }, warmup: { type: 'string', default: '15' }, seconds: { type: 'string', default: '60' } } })
  const cps = Number(values.cps)
  const warmupMs = Number(values.warmup) * 1000
  const measureMs = Number(values.seconds) * 1000
  const child = fork(import.meta.filename, ['--child'], { cwd: ROOT, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const url = await new Promise<string>((resolve) => child.once('message', (m: { url: string }) => resolve(m.url)))
  const dir = mkdtempSync(path.join(tmpdir(), 'centralino-dialer-bench-'))
  cpSync(path.join(ROOT, 'config'), path.join(dir, 'config'), { recursive: true })
  cpSync(path.join(ROOT, 'prompts/catalogue.yaml'), path.join(dir, 'prompts/catalogue.yaml'))
  const r = parseEngineConfig(undefined, 'defaults', {})
  const config = { ...r.config, telephony: 'ari' as const, ari: { ...r.config.ari, url }, http: { ...r.config.http, port: 0, host: '127.0.0.1' } }
  const clock = new RealClock()
  const campaigns = createMemoryCampaignStore(clock)
  const seen: Partial<Record<DialOutcome, number>> = {}
  let counted = 0
  let counting = false
  const engine = await bootEngine({
    config,
    log: createLogger({ level: process.env.LOG_LEVEL ?? 'error' }),
    clock,
    store: createMemoryStore(),
    cwd: dir,
    loginAgents: true,
    watchFlows: false,
    campaigns,
    dialer: {
      tickMs: 250,
      onAttempt: (_id, outcome) => {
        seen[outcome] = (seen[outcome] ?? 0) + 1
        if (counting) counted++
      },
    },
  })
  const allDay = ['00:00-24:00']
  const c: CampaignConfig = {
    id: 'bench',
    name: 'bench',
    mode: 'message',
    section: 'contributions',
    messageFlow: 'national',
    windows: { days: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay }, holidays: 'none', timezone: 'Europe/Rome' },
    retries: { ...DEFAULT_RETRIES },
    maxAttempts: 5,
    abandonCeiling: 0.03,
    abandonWindowMs: 24 * 3600_000,
    ringSeconds: 15,
    onMachine: 'hangup',
    callerId: '+390659051',
    trunk: 'PJSIP/{number}@trunk',
    maxChannels: 400,
    maxCallsPerSecond: cps,
    abandonedCooldownMs: 5 * 86_400_000,
  }
  const total = Math.ceil(cps * ((warmupMs + measureMs) / 1000) * 1.5) + 100
  await campaigns.put(c, clock.now())
  for (let i = 0; i < total; i += 1000) {
    const batch = []
    for (let k = i; k < Math.min(total, i + 1000); k++) {
      const n = `+39320${String(k).padStart(7, '0')}`
      batch.push({ id: n, number: n, fields: {}, lines: [k + 2] })
    }
    await campaigns.addContacts('bench', batch)
  }
  await campaigns.setStatus('bench', 'running', clock.now())
  engine.app.dialer?.kick()
  const t0 = Date.now()
  await sleep(warmupMs)
  counting = true
  const m0 = Date.now()
  let peakActive = 0
  const sampler = setInterval(() => (peakActive = Math.max(peakActive, engine.app.dialer?.active ?? 0)), 200)
  await sleep(measureMs)
  counting = false
  const elapsed = Date.now() - m0
  await campaigns.setStatus('bench', 'paused', clock.now())
  const drainStart = Date.now()
  while (((engine.app.dialer?.active ?? 0) > 0 || (await campaigns.counts('bench')).dialing > 0) && Date.now() - drainStart < 60_000) await sleep(250)
  clearInterval(sampler)
  const stats = await campaigns.stats('bench')
  const storeSum = Object.values(stats.byOutcome).reduce((a, b) => a + (b ?? 0), 0)
  const seenSum = Object.values(seen).reduce((a, b) => a + (b ?? 0), 0)
  let contactAttempts = 0
  let cursor = '0'
  do {
    const page = await campaigns.scan('bench', cursor, 1000)
    for (const x of page.contacts) contactAttempts += x.attempts
    cursor = page.cursor
  } while (cursor !== '0')
  child.send({ op: 'drawn' })
  const drawn = await new Promise<Record<string, number>>((resolve) => child.once('message', (m: { drawn: Record<string, number> }) => resolve(m.drawn)))
  const simDials = Object.values(drawn).reduce((a, b) => a + b, 0)
  const counts = await campaigns.counts('bench')
  const perHour = Math.round((counted / elapsed) * 3600_000)
  const out = [
    `dialer against the simulator (child process), message campaign with AMD, maxCallsPerSecond ${cps}, maxChannels ${c.maxChannels}`,
    `measured ${(elapsed / 1000).toFixed(1)} s after ${(warmupMs / 1000).toFixed(0)} s warm-up: ${counted} attempts -> ${perHour.toLocaleString('en')} dial attempts per hour (target >= 28,000)`,
    `peak calls in progress: ${peakActive}; run ${((Date.now() - t0) / 1000).toFixed(0)} s`,
    `outcomes: ${Object.entries(stats.byOutcome).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `callee behaviours drawn by the simulator: ${Object.entries(drawn).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `accounting: recorded ${seenSum}, sum of outcomes in the store ${storeSum}, contacts' attempts ${contactAttempts}, dials the simulator saw ${simDials}, still dialing ${counts.dialing} -> ${
      seenSum === storeSum && storeSum === contactAttempts && contactAttempts === simDials && counts.dialing === 0 ? 'exact' : 'MISMATCH'
    }`,
    `counters: ${Object.entries(stats.counters).map(([k, v]) => `${k} ${v}`).join(', ')}`,
  ]
  process.stdout.write(out.join('\n') + '\n')
  await engine.stop()
  child.kill('SIGTERM')
  rmSync(dir, { recursive: true, force: true })
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}
