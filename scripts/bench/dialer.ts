/**
 * Outbound dialer benchmark (npm run bench:dialer): the discrete-event simulator (src/sim/des,
 * virtual time, seeded) runs the pacing controllers against the same callee model and seeds.
 *
 * 1. Agent campaigns with 10, 20, 50 and 140 agents, calling 10-12 and 16-18 Europe/Rome on
 *    weekdays: agent occupancy (talk + wrap-up / logged time in the windows), abandon rate
 *    (whole run and worst day), calls per hour and contacts reached per agent-hour, for our
 *    predictive pacing (src/dialer/pacing.ts + governor.ts) beside progressive dialing, a fixed
 *    ratio of 2.0 lines per waiting agent and a VICIdial-style adaptive controller. Where a
 *    baseline abandons fewer calls than ours, ours is run again aimed at that baseline's worst
 *    day, to compare at equal or lower abandon.
 * 2. The reference campaign replayed: 550,392 contacts, a message campaign (no agent per call;
 *    5% ask for an operator), first-call success calibrated to 58.3%, the campaign's retries
 *    (src/dialer/retry.ts), Italian holidays closed: days to reach 84.7%, total calls and calls
 *    per person reached, beside the reference (23 days, 1,020,816 calls, 2.19).
 *
 * Prints the tables and the run time, and saves them to bench-results/dialer-<date>.txt.
 *   npx tsx scripts/bench/dialer.ts [--days 3] [--seed 1] [--agents 10,20,50,140] [--no-reference] [--no-save]
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import type { RetryCampaign } from '../../src/dialer/retry.js'
import { DEFAULT_WINDOWS } from '../../src/dialer/windows.js'
import { zonedInstant } from '../../src/ivr/hours.js'
import {
  AGENT_CALLEE,
  Callee,
  calibrateLiveMean,
  campaignRetry,
  fixedRatio,
  messagePaced,
  predictive,
  progressive,
  runDes,
  vicidialAdaptive,
  type CalleeParams,
  type DesResult,
  type PacingController,
} from '../../src/sim/des/index.js'

const { values } = parseArgs({
  options: {
    days: { type: 'string', default: '3' },
    seed: { type: 'string', default: '1' },
    agents: { type: 'string', default: '10,20,50,140' },
    'no-reference': { type: 'boolean', default: false },
    'no-save': { type: 'boolean', default: false },
  },
})

const DAY = 86_400_000
const RING_TIMEOUT = 25
const lines: string[] = []
const out = (s = '') => {
  lines.push(s)
  console.log(s)
}
const pct = (x: number, d = 1) => `${(x * 100).toFixed(d)}%`
const int = (x: number) => Math.round(x).toLocaleString('en-US')
const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length))
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s)

const t0 = performance.now()
const seed = Number(values.seed)
const days = Number(values.days)

out(`centralino dialer benchmark — ${new Date().toISOString().slice(0, 16)}Z, ${cpus().length} cores (${cpus()[0]?.model.trim() ?? '?'}), Node ${process.version}`)
out('Discrete-event simulation in virtual time; the same callee model and seed for every controller.')
out()
agentTables()
if (!values['no-reference']) reference()
const total = (performance.now() - t0) / 1000
out(`Run time: ${total.toFixed(1)} s`)
if (!values['no-save']) {
  const dir = path.resolve(import.meta.dirname, '../../bench-results')
  mkdirSync(dir, { recursive: true })
  const file = path.join(dir, `dialer-${new Date().toISOString().slice(0, 10)}.txt`)
  writeFileSync(file, lines.join('\n') + '\n')
  console.log(`saved ${path.relative(process.cwd(), file)}`)
}

function agentTables(): void {
  // A working week from Monday 10 March 2025 (no holiday), the default windows.
  const start = zonedInstant('2025-03-10', 0)
  const campaign: RetryCampaign = {
    windows: DEFAULT_WINDOWS,
    retries: {
      busy: { delayMinutes: 15, maxAttempts: 6 },
      no_answer: { delayMinutes: 120, maxAttempts: 6 },
      machine: { delayMinutes: 240, maxAttempts: 4 },
      failed: { delayMinutes: 60, maxAttempts: 4 },
      abandoned: { delayMinutes: 0, maxAttempts: 6 },
    },
    maxAttempts: 6,
    abandonedCooldownMs: 5 * DAY,
  }
  const c = AGENT_CALLEE
  out(`Agent campaigns: ${days} weekdays from Mon 2025-03-10, 10-12 and 16-18 Europe/Rome, seed ${seed}.`)
  out(
    `Callee model: ${pct(c.invalidShare, 0)} invalid numbers, ${pct(c.deadShare, 0)} never answer, the others answer live with a per-person probability ~ Beta(mean ${c.liveMean}, ` +
      `concentration ${c.liveConcentration}) (about 35% on a first call); of the rest ${pct(c.machineShare, 0)} machines (AMD ${c.amdMachineSec} s), ${pct(c.busyShare, 0)} busy, ` +
      `${pct(c.failedShare, 0)} failed, the others no answer (ring timeout ${RING_TIMEOUT} s). Ring to a live answer lognormal ${c.ringMeanSec} s (cv ${c.ringCv}) + AMD ${c.amdHumanSec} s; ` +
      `talk lognormal ${c.talkMeanSec} s (cv ${c.talkCv}); wrap-up uniform ${c.wrapMinSec}-${c.wrapMaxSec} s. A person who finds no agent within 2 s hears the message: abandoned.`,
  )
  out('Retries (src/dialer/retry.ts): busy 15 min, no answer 2 h, machine 4 h, failed 1 h; abandoned after its 5-day cooldown; at most 6 attempts. Trunk 6 lines per agent, 50 calls/s.')
  out('Occupancy = talk + wrap-up inside the windows / agents x window time. Targets: abandon <= 3% every day; ours >= 85% at 20 agents, >= 90% at 50+.')
  out()
  const header = `${pad('controller', 34)}${lpad('occupancy', 10)}${lpad('abandon', 9)}${lpad('worst day', 10)}${lpad('calls/h', 9)}${lpad('reached/agent-h', 16)}${lpad('sim s', 7)}`
  for (const agents of values.agents.split(',').map(Number)) {
    const ts = performance.now()
    const run = (controller: PacingController) => {
      const r0 = performance.now()
      const r = runDes({
        seed,
        start,
        end: start + (days + (days > 4 ? 2 : 0)) * DAY,
        windows: DEFAULT_WINDOWS,
        mode: 'agents',
        agents,
        contacts: Math.max(20_000, agents * 1_200 * days),
        callee: new Callee(AGENT_CALLEE),
        controller,
        retry: campaignRetry(campaign),
        trunkCapacity: agents * 6,
        maxCallsPerSecond: 50,
        ringTimeoutSec: RING_TIMEOUT,
        graceSec: 2,
      })
      return { r, sec: (performance.now() - r0) / 1000 }
    }
    const ours = run(predictive())
    const baselines = [run(progressive()), run(fixedRatio(2)), run(vicidialAdaptive())]
    out(`${agents} agents`)
    out(header)
    const row = (label: string, x: { r: DesResult; sec: number }) =>
      out(
        `${pad(label, 34)}${lpad(pct(x.r.occupancy), 10)}${lpad(pct(x.r.abandonRate, 2), 9)}${lpad(pct(x.r.worstDayAbandonRate, 2), 10)}` +
          `${lpad(int(x.r.callsPerHour), 9)}${lpad(x.r.reachedPerAgentHour.toFixed(2), 16)}${lpad(x.sec.toFixed(1), 7)}`,
      )
    row(ours.r.controller, ours)
    for (const b of baselines) row(b.r.controller, b)
    // Equal or lower abandon: where a baseline abandons less than ours, or keeps its agents busier,
    // ours again, aimed just under that baseline's rate with its worst day as the ceiling.
    const notes: string[] = []
    for (const b of baselines) {
      if (b.r.abandons === 0) {
        notes.push(`${b.r.controller} abandoned no call`)
        continue
      }
      const lower = b.r.abandonRate < ours.r.abandonRate || b.r.worstDayAbandonRate < ours.r.worstDayAbandonRate
      if (!lower && b.r.occupancy < ours.r.occupancy) continue
      const matched = run(predictive({ governor: { ceiling: b.r.worstDayAbandonRate, aim: b.r.abandonRate * 0.9 } }))
      row(`ours at ${b.r.controller}'s abandon`, matched)
      if (b.r.worstDayAbandonRate > 0.03) notes.push(`ours at ${b.r.controller}'s abandon is above the 3% ceiling: a comparison point only`)
    }
    for (const n of notes) out(`  (${n})`)
    const best = baselines.reduce((m, b) => Math.max(m, b.r.occupancy), 0)
    out(
      `  ours ${pct(ours.r.occupancy)} vs best baseline ${pct(best)}; days (abandon/occupancy): ` +
        ours.r.days.map((d) => `${d.date.slice(5)} ${pct(d.abandonRate, 1)}/${pct(d.occupancy, 0)}`).join(', ') +
        ` — ${((performance.now() - ts) / 1000).toFixed(1)} s`,
    )
    out()
  }
}

function reference(): void {
  const CONTACTS = 550_392
  const TARGET = 466_215 // 84.7%
  const base: CalleeParams = {
    ...AGENT_CALLEE,
    invalidShare: 0.04,
    deadShare: 0.06,
    liveConcentration: 3,
    machineShare: 0.3,
    busyShare: 0.08,
    failedShare: 0.03,
    listenMinSec: 30,
    listenMaxSec: 50,
    transferShare: 0.05,
    operatorMeanSec: 180,
  }
  const callee: CalleeParams = { ...base, liveMean: calibrateLiveMean(base, 0.583, RING_TIMEOUT) }
  const campaign: RetryCampaign = {
    windows: DEFAULT_WINDOWS,
    retries: {
      busy: { delayMinutes: 10, maxAttempts: 8 },
      no_answer: { delayMinutes: 180, maxAttempts: 8 },
      machine: { delayMinutes: 240, maxAttempts: 8 },
      failed: { delayMinutes: 30, maxAttempts: 4 },
    },
    maxAttempts: 8,
    abandonedCooldownMs: 5 * DAY,
  }
  // From Monday 14 April 2025: Easter Monday, 25 April and 1 May fall in the campaign (closed).
  const start = zonedInstant('2025-04-14', 0)
  out('Reference campaign replay: 550,392 contacts, message campaign (the person hears a message flow; 5% ask for an operator),')
  out(
    `first-call success calibrated to 58.3% (4% invalid numbers, 6% never answer, the others ~ Beta(mean ${callee.liveMean.toFixed(3)}, concentration 3)), ` +
      'retries: busy 10 min, no answer 3 h, machine 4 h, failed 30 min, at most 8 attempts; 10-12 and 16-18 weekdays, Italian holidays closed, from Mon 2025-04-14.',
  )
  out('Trunk-paced (calls per second capped; held while transfers wait for an operator): 4 servers of 2,800 calls/h each (the reference: about 2,800 an hour')
  out('per server), 60 channels each, 30 operators, fresh contacts first (every contact called once before retries) or retries first when due;')
  out('and one engine at 28,000 calls/h (400 channels, 60 operators for its transfers), fresh first.')
  out('The Beta concentration (3) sets how much harder the people missed once are to reach; it was chosen so that about 1.85 calls per contact reach 84.7%.')
  out()
  const header = `${pad('', 34)}${lpad('days to 84.7%', 14)}${lpad('calendar', 10)}${lpad('total calls', 13)}${lpad('calls/reached', 14)}${lpad('calls/contact', 14)}${lpad('1st call', 10)}${lpad('calls/h', 9)}${lpad('sim s', 7)}`
  out(header)
  out(`${pad('reference', 34)}${lpad('23', 14)}${lpad('', 10)}${lpad('1,020,816', 13)}${lpad('2.19', 14)}${lpad('1.85', 14)}${lpad('58.3%', 10)}${lpad('~11,100', 9)}`)
  const configs = [
    { label: 'ours, 4 x 2,800/h, fresh first', trunk: 4 * 60, cps: (4 * 2800) / 3600, operators: 30, order: 'fresh-first' as const },
    { label: 'ours, 4 x 2,800/h, retries first', trunk: 4 * 60, cps: (4 * 2800) / 3600, operators: 30, order: 'due-first' as const },
    { label: 'ours, 1 engine x 28,000/h', trunk: 400, cps: 28_000 / 3600, operators: 60, order: 'fresh-first' as const },
  ]
  for (const cfg of configs) {
    const r0 = performance.now()
    const r = runDes({
      seed,
      start,
      end: start + 120 * DAY,
      windows: DEFAULT_WINDOWS,
      mode: 'message',
      agents: 0,
      operators: cfg.operators,
      contacts: CONTACTS,
      callee: new Callee(callee),
      controller: messagePaced(),
      retry: campaignRetry(campaign),
      trunkCapacity: cfg.trunk,
      maxCallsPerSecond: cfg.cps,
      ringTimeoutSec: RING_TIMEOUT,
      stopAtReached: TARGET,
      order: cfg.order,
    })
    const sec = (performance.now() - r0) / 1000
    const calendar = r.targetAt !== undefined ? Math.floor((r.targetAt - start) / DAY) + 1 : undefined
    out(
      `${pad(cfg.label, 34)}${lpad(r.targetDays !== undefined ? String(r.targetDays) : 'not reached', 14)}${lpad(calendar !== undefined ? String(calendar) : '-', 10)}` +
        `${lpad(int(r.attempts), 13)}${lpad((r.attempts / r.reached).toFixed(2), 14)}${lpad((r.attempts / CONTACTS).toFixed(2), 14)}` +
        `${lpad(pct(r.reachedFirstCall / Math.max(1, r.contactsDialed)), 10)}${lpad(int(r.callsPerHour), 9)}${lpad(sec.toFixed(1), 7)}`,
    )
    out(
      `  reached ${int(r.reached)} (${pct(r.reached / CONTACTS)}), transfers to operators ${int(r.transfers)}, most channels in use ${r.maxTrunkInUse}; outcomes: ` +
        Object.entries(r.outcomes)
          .filter(([, n]) => n > 0)
          .map(([k, n]) => `${k} ${int(n)}`)
          .join(', '),
    )
  }
  out()
}
