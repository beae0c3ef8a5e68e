/**
 * Estimated-wait benchmark: a discrete-event simulation in virtual time (no Asterisk, no
 * timers; pure code and a seeded RNG) of one section with c agents, Poisson arrivals,
 * exponential or lognormal handle times and impatient callers who abandon. Routing, callers
 * ahead, handle-time windows and the estimate are the engine's own (src/acd). Every caller
 * hears an announcement on entry and every 60 s; at each one the simulation notes
 *  - ours: estimateWait(callers ahead, eligible agents with their measured handle times, the
 *    section's recent abandon share);
 *  - app_queue: Asterisk's formula, holdtime + 30 - own wait so far (absolute value, as
 *    say_position() does), where holdtime is the queue's hold time (the wait of connected
 *    callers) smoothed (3 * old + new) / 4 at each connection, starting from 0;
 * and, once the caller is answered, its actual remaining wait. Callers who abandon have no
 * actual wait: their announcements are left out (censored). The first 10 % of calls warm up.
 *
 * Prints mean absolute error and p90 of the absolute error, ours beside app_queue's, per load.
 * Usage: npx tsx scripts/bench/ewt.ts [--calls 20000] [--seed 1]
 */
import { DEFAULT_HANDLE_SEC, estimateWait, HandleTimes, QueueOutcomes } from '../../src/acd/ewt.js'
import { callersAhead, planAssignments, servingAgents } from '../../src/acd/routing.js'
import type { AgentRecord, QueueEntry, SectionDef } from '../../src/domain/acd.js'
import { mulberry32 } from '../../src/sim/des/rng.js'

type Dist = 'exponential' | 'lognormal'

interface Scenario {
  agents: number
  rho: number
  dist: Dist
}

interface Result {
  scenario: Scenario
  samples: number
  served: number
  abandoned: number
  meanWait: number
  ours: { mae: number; p90: number; bias: number }
  appQueue: { mae: number; p90: number; bias: number }
}

const HANDLE_MEAN = 240 // seconds; the engine's prior is DEFAULT_HANDLE_SEC (180): a wrong guess to recover from
const PATIENCE_MEAN = 900 // seconds (exponential): some callers give up
const ANNOUNCE_EVERY = 60

function exp(r: () => number, mean: number): number {
  return -Math.log(1 - r()) * mean
}

function normal(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r())
}

/** Lognormal with the given mean and sigma 0.8 (a long tail, as real calls have). */
function lognormal(r: () => number, mean: number): number {
  const sigma = 0.8
  const mu = Math.log(mean) - (sigma * sigma) / 2
  return Math.exp(mu + sigma * normal(r))
}

interface Ev {
  at: number
  seq: number
  kind: 'arrive' | 'end' | 'abandon' | 'announce'
  id: string
}

class Heap {
  private xs: Ev[] = []
  get size(): number {
    return this.xs.length
  }
  push(e: Ev): void {
    const xs = this.xs
    xs.push(e)
    let i = xs.length - 1
    while (i > 0) {
      const p = (i - 1) >> 1
      if (less(xs[p]!, xs[i]!)) break
      ;[xs[p], xs[i]] = [xs[i]!, xs[p]!]
      i = p
    }
  }
  pop(): Ev | undefined {
    const xs = this.xs
    const top = xs[0]
    const last = xs.pop()
    if (xs.length > 0 && last) {
      xs[0] = last
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < xs.length && less(xs[l]!, xs[m]!)) m = l
        if (r < xs.length && less(xs[r]!, xs[m]!)) m = r
        if (m === i) break
        ;[xs[m], xs[i]] = [xs[i]!, xs[m]!]
        i = m
      }
    }
    return top
  }
}

function less(a: Ev, b: Ev): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq)
}

function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return Number.NaN
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!
}

function simulate(sc: Scenario, calls: number, seed: number): Result {
  const r = mulberry32(seed)
  const section: SectionDef = {
    id: 'pens',
    name: 'Pensioni',
    operator: false,
    ringTimeoutSec: 15,
    mohClass: 'default',
    wrapUpSec: 0,
    noAnswerPauseSec: 0,
    announce: { onEntry: true, everySec: ANNOUNCE_EVERY, position: true, wait: true },
    expectedHandleSec: DEFAULT_HANDLE_SEC,
  }
  const sections = [section]
  const agents: AgentRecord[] = Array.from({ length: sc.agents }, (_, i) => ({
    id: `a${i}`,
    name: `a${i}`,
    endpoint: `PJSIP/a${i}`,
    sections: ['pens'],
    state: 'ready',
    since: 0,
    idleSince: 0,
  }))
  const byAgent = new Map(agents.map((a) => [a.id, a]))
  const handles = new HandleTimes()
  const outcomes = new QueueOutcomes()
  const waiting = new Map<string, QueueEntry>()
  const startedAt = new Map<string, number>() // agent -> call start
  const pending = new Map<string, Array<{ at: number; ours: number | undefined; aq: number }>>()
  const errOurs: number[] = []
  const errAq: number[] = []
  let biasOurs = 0
  let biasAq = 0
  let holdtime = 0
  let served = 0
  let abandoned = 0
  let waitSum = 0
  const events = new Heap()
  let seq = 0
  const push = (at: number, kind: Ev['kind'], id: string) => events.push({ at, seq: seq++, kind, id })
  const lambda = (sc.rho * sc.agents) / HANDLE_MEAN
  const warm = Math.floor(calls * 0.1)
  let arrived = 0
  push(exp(r, 1 / lambda), 'arrive', 'c0')
  const handle = () => (sc.dist === 'exponential' ? exp(r, HANDLE_MEAN) : lognormal(r, HANDLE_MEAN))

  const dispatch = (now: number) => {
    if (waiting.size === 0) return
    const plan = planAssignments([...waiting.values()], agents, { sections, now: now * 1000 })
    for (const p of plan) {
      const e = waiting.get(p.callId)!
      waiting.delete(p.callId)
      const a = byAgent.get(p.agentId)!
      a.state = 'on_call'
      startedAt.set(a.id, now)
      push(now + handle(), 'end', a.id)
      const w = now - e.enteredAt / 1000
      holdtime = (3 * holdtime + w) / 4
      served++
      outcomes.record('pens', false)
      if (e.seq > warm) waitSum += w
      for (const ann of pending.get(e.callId) ?? []) {
        const actual = now - ann.at
        if (e.seq <= warm) continue
        if (ann.ours !== undefined) {
          errOurs.push(Math.abs(ann.ours - actual))
          biasOurs += ann.ours - actual
        }
        errAq.push(Math.abs(ann.aq - actual))
        biasAq += ann.aq - actual
      }
      pending.delete(e.callId)
    }
  }

  while (events.size > 0) {
    const ev = events.pop()!
    const now = ev.at
    switch (ev.kind) {
      case 'arrive': {
        arrived++
        const e: QueueEntry = { callId: ev.id, section: 'pens', priority: 0, enteredAt: now * 1000, seq: arrived, lang: 'it', status: 'waiting' }
        waiting.set(e.callId, e)
        pending.set(e.callId, [])
        push(now + exp(r, PATIENCE_MEAN), 'abandon', e.callId)
        push(now, 'announce', e.callId)
        if (arrived < calls) push(now + exp(r, 1 / lambda), 'arrive', `c${arrived}`)
        dispatch(now)
        break
      }
      case 'end': {
        const a = byAgent.get(ev.id)!
        handles.record('pens', a.id, now - startedAt.get(a.id)!)
        a.state = 'ready'
        a.idleSince = now * 1000
        dispatch(now)
        break
      }
      case 'abandon':
        if (waiting.delete(ev.id)) {
          abandoned++
          outcomes.record('pens', true)
          pending.delete(ev.id)
        }
        break
      case 'announce': {
        const e = waiting.get(ev.id)
        if (!e) break
        const entries = [...waiting.values()]
        const ctx = { sections, now: now * 1000, agents }
        const ahead = callersAhead(entries, e.callId, ctx) ?? 0
        const serving = servingAgents(e, agents, ctx).map((a) => ({ state: a.state, handleSec: handles.agent('pens', a.id, DEFAULT_HANDLE_SEC) }))
        const ours = estimateWait({ ahead, agents: serving, abandonShare: outcomes.abandonShare('pens') })
        const aq = Math.abs(holdtime + 30 - (now - e.enteredAt / 1000))
        pending.get(e.callId)!.push({ at: now, ours, aq })
        push(now + ANNOUNCE_EVERY, 'announce', e.callId)
        break
      }
    }
  }
  const stats = (errs: number[], bias: number) => ({ mae: errs.reduce((a, b) => a + b, 0) / errs.length, p90: quantile(errs, 0.9), bias: bias / errs.length })
  const counted = served - Math.min(served, warm)
  return {
    scenario: sc,
    samples: errAq.length,
    served,
    abandoned,
    meanWait: counted > 0 ? waitSum / counted : 0,
    ours: stats(errOurs, biasOurs),
    appQueue: stats(errAq, biasAq),
  }
}

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`)
  const v = i >= 0 ? Number(process.argv[i + 1]) : Number.NaN
  return Number.isFinite(v) ? v : dflt
}

function main(): void {
  const calls = arg('calls', 20_000)
  const seed = arg('seed', 1)
  const rows: Result[] = []
  const t0 = performance.now()
  for (const dist of ['exponential', 'lognormal'] as const) {
    for (const agents of [5, 20, 50]) {
      for (const rho of [0.7, 0.85, 0.95, 1.05]) rows.push(simulate({ agents, rho, dist }, calls, seed))
    }
  }
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(0).padStart(6) : '     -')
  console.log(`Estimated wait vs actual wait: ${calls} calls per row, handle mean ${HANDLE_MEAN} s, patience mean ${PATIENCE_MEAN} s, announcements every ${ANNOUNCE_EVERY} s, seed ${seed}`)
  console.log('errors in seconds (MAE = mean absolute error; bias = mean of announced - actual)')
  console.log('')
  console.log('handle       agents   rho  abandon  mean wait  samples |   ours MAE    p90   bias | app_queue MAE    p90   bias')
  for (const x of rows) {
    const s = x.scenario
    const ab = `${((100 * x.abandoned) / (x.served + x.abandoned)).toFixed(1)}%`
    console.log(
      `${s.dist.padEnd(12)} ${String(s.agents).padStart(6)} ${s.rho.toFixed(2).padStart(5)} ${ab.padStart(8)} ${f(x.meanWait).padStart(10)} ${String(x.samples).padStart(8)} | ${f(x.ours.mae).padStart(10)} ${f(x.ours.p90)} ${f(x.ours.bias)} | ${f(x.appQueue.mae).padStart(13)} ${f(x.appQueue.p90)} ${f(x.appQueue.bias)}`,
    )
  }
  console.log('')
  console.log(`simulated in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
}

main()
