import t from 'tap'
import { cpsAllowance, decidePacing, forecast, freeProbability, type BusyAgent, type PacingInput } from '../../src/dialer/pacing.js'
import { lognormal, mulberry32 } from '../../src/sim/des/rng.js'

/** A team all busy in mid-call, well measured, under the ceiling: predictive has room to decide. */
function input(over: Partial<PacingInput> = {}): PacingInput {
  return {
    mode: 'predictive',
    readyAgents: 0,
    busyAgents: [],
    inFlight: 0,
    queued: 0,
    answerRate: 0.3,
    samples: 1000,
    meanRingSec: 10,
    ringCv: 0.4,
    maxRingSec: 30,
    meanHandleSec: 165,
    abandonRate: 0.01,
    targetRisk: 0.03,
    trunkInUse: 0,
    trunkCapacity: 1000,
    maxCallsPerSecond: 100,
    sinceLastLaunchMs: 1000,
    graceSec: 2,
    ...over,
  }
}

const wrapping = (n: number, elapsedSec: number): BusyAgent[] => Array.from({ length: n }, () => ({ elapsedSec, meanSec: 15, cv: 0.25 }))
const talking = (n: number, elapsedSec: number): BusyAgent[] =>
  Array.from({ length: n }, () => ({ elapsedSec, meanSec: 150, cv: 0.6, then: { meanSec: 15, cv: 0.25 } }))

t.test('progressive: one line per ready agent, minus the calls ringing and the persons waiting', async (t) => {
  const p = (over: Partial<PacingInput>) => decidePacing(input({ mode: 'progressive', ...over }))
  t.equal(p({ readyAgents: 5 }).launch, 5)
  t.equal(p({ readyAgents: 5, inFlight: 2 }).launch, 3)
  t.equal(p({ readyAgents: 5, inFlight: 2, queued: 1 }).launch, 2)
  t.equal(p({ readyAgents: 2, inFlight: 4 }).launch, 0, 'never negative')
  t.equal(p({ readyAgents: 0, busyAgents: wrapping(10, 14) }).launch, 0, 'busy agents about to free up do not count')
  t.equal(p({ readyAgents: 5 }).reason, 'progressive')
})

t.test('predictive dials ahead for agents about to be free, progressive does not', async (t) => {
  const soon = input({ busyAgents: [...wrapping(4, 12), ...talking(6, 60)] })
  const d = decidePacing(soon)
  t.ok(d.launch > 0, `launches ${d.launch} with nobody ready`)
  t.equal(d.reason, 'predictive')
  t.ok(d.expectedAbandons! >= 0 && d.addedRisk! <= 0.03, 'the added risk is within the target')
  const later = decidePacing(input({ busyAgents: [...wrapping(4, 0), ...talking(6, 5)] }))
  t.ok(later.launch < d.launch, `agents who just started their wrap-up or call: fewer (${later.launch} < ${d.launch})`)
  t.ok(decidePacing({ ...soon, targetRisk: 0.08 }).launch > d.launch, 'a larger allowed risk launches more')
})

t.test('predictive from a count of agents expected free, without their ages', async (t) => {
  const none = decidePacing(input({ busyAgents: undefined, soonFree: 0 }))
  const three = decidePacing(input({ busyAgents: undefined, soonFree: 3 }))
  const six = decidePacing(input({ busyAgents: undefined, soonFree: 6 }))
  t.equal(none.launch, 0)
  t.ok(three.launch > 0 && six.launch > three.launch, `${three.launch} then ${six.launch}`)
})

t.test('predictive launches more when the answer rate falls', async (t) => {
  const team = { busyAgents: [...wrapping(3, 10), ...talking(7, 90)], readyAgents: 2 }
  const launches = [0.6, 0.4, 0.2, 0.1].map((answerRate) => decidePacing(input({ ...team, answerRate })).launch)
  for (let i = 1; i < launches.length; i++) t.ok(launches[i]! > launches[i - 1]!, `answer rate down, launches up: ${launches.join(' < ')}`)
})

t.test('over the abandon ceiling: progressive only, no call ahead of the agents', async (t) => {
  const ahead = input({ busyAgents: wrapping(5, 13), abandonRate: 0.02 })
  t.ok(decidePacing(ahead).launch > 0, 'under the ceiling it dials for the agents about to free up')
  const over = decidePacing({ ...ahead, abandonRate: 0.03, targetRisk: undefined })
  t.equal(over.launch, 0)
  t.equal(over.reason, 'over-ceiling')
  t.equal(decidePacing({ ...ahead, readyAgents: 3, inFlight: 1, abandonRate: 0.05 }).launch, 2, 'ready agents still get one line each')
  t.equal(decidePacing({ ...ahead, abandonRate: 0.029, targetRisk: undefined }).launch <= decidePacing({ ...ahead, abandonRate: 0.01, targetRisk: undefined }).launch, true, 'nearer the ceiling, fewer')
})

t.test('cold start: few samples, progressive', async (t) => {
  const d = decidePacing(input({ samples: 10, readyAgents: 3, busyAgents: wrapping(5, 13) }))
  t.equal(d.launch, 3)
  t.equal(d.reason, 'cold-start')
  t.equal(decidePacing(input({ samples: 10, readyAgents: 3, busyAgents: wrapping(5, 13), minSamples: 5 })).reason, 'predictive')
})

t.test('trunk channels, calls per second and lines per agent cap every mode', async (t) => {
  const many = input({ readyAgents: 40, busyAgents: wrapping(10, 13) })
  const free = decidePacing(many).launch
  t.ok(free > 40)
  const trunk = decidePacing({ ...many, trunkCapacity: 30, trunkInUse: 12 })
  t.equal(trunk.launch, 18)
  t.equal(trunk.reason, 'trunk-full')
  const cps = decidePacing({ ...many, maxCallsPerSecond: 5, sinceLastLaunchMs: 400 })
  t.equal(cps.launch, 2)
  t.equal(cps.reason, 'cps-cap')
  t.equal(decidePacing({ ...many, mode: 'progressive', maxCallsPerSecond: 5 }).launch, 5, 'progressive too')
  const lines = decidePacing({ ...many, answerRate: 0.01, maxLinesPerAgent: 2 })
  t.equal(lines.launch, 100, '2 lines for each of 50 agents')
  t.equal(lines.reason, 'line-cap')
  t.equal(decidePacing({ ...many, trunkInUse: 1000 }).launch, 0)
})

t.test('calls per second: fractional rates are kept on average, bursts bounded', async (t) => {
  t.equal(cpsAllowance(0.78, 1000), 0)
  t.equal(cpsAllowance(0.78, 1300), 1)
  t.equal(cpsAllowance(0.78, 60_000), 1, 'an idle minute is not a burst')
  t.equal(cpsAllowance(3.11, 1000), 3)
  t.equal(cpsAllowance(3.11, 1300), 4, 'the fraction carried over is used')
  t.equal(cpsAllowance(10, 250), 2)
  t.equal(cpsAllowance(0, 5000), 0)
})

t.test('message campaigns: the trunk and calls per second, held while transfers queue', async (t) => {
  const m = input({ mode: 'message', readyAgents: 0, trunkCapacity: 60, trunkInUse: 50, maxCallsPerSecond: 20 })
  t.same(decidePacing(m).launch, 10)
  t.equal(decidePacing({ ...m, transfers: { waiting: 0, operatorsFree: 0 } }).launch, 10)
  const held = decidePacing({ ...m, transfers: { waiting: 3, operatorsFree: 0 } })
  t.equal(held.launch, 0)
  t.equal(held.reason, 'section-load')
})

t.test('a busy agent frees up given how long it has been busy and what follows', async (t) => {
  t.ok(freeProbability(14, 15, 0.25, 5) > 0.5, 'near the end of its wrap-up')
  t.ok(freeProbability(0, 15, 0.25, 5) < 0.01, 'at the start of it')
  t.ok(freeProbability(140, 150, 0.6, 10, { meanSec: 15, cv: 0.25 }) < 0.05, 'mid-call: the wrap-up is still to come')
  t.ok(freeProbability(140, 150, 0.6, 30, { meanSec: 15, cv: 0.25 }) > freeProbability(140, 150, 0.6, 10, { meanSec: 15, cv: 0.25 }))
  const past = freeProbability(5000, 150, 0.6, 30)
  t.ok(past > 0 && past < 1, `far past the tail: memoryless, ${past.toFixed(3)}`)
})

/** Expected answers lost when everything is drawn from the distributions the forecast assumes. */
function simulateLost(busy: BusyAgent[], ready: number, ringing: number[], p: number, n: number, runs: number): number {
  const r = mulberry32(11)
  const after = (e: number, mean: number, cv: number) => {
    for (;;) {
      const x = lognormal(r, mean, cv)
      if (x > e) return x - e
    }
  }
  let lost = 0
  for (let i = 0; i < runs; i++) {
    const ev: [number, number][] = []
    for (let k = 0; k < ready; k++) ev.push([-1, -1])
    // An agent is available from its free time minus the grace (2 s) a person waits.
    for (const a of busy) ev.push([after(a.elapsedSec, a.meanSec, a.cv!) + (a.then ? lognormal(r, a.then.meanSec, a.then.cv!) : 0) - 2, -1])
    for (const e of ringing) {
      for (;;) {
        if (r() >= p) break
        const x = lognormal(r, 10, 0.4)
        if (x <= e) continue
        ev.push([x - e, 1])
        break
      }
    }
    for (let k = 0; k < n; k++) if (r() < p) ev.push([lognormal(r, 10, 0.4), 1])
    ev.sort((a, b) => a[0] - b[0] || a[1] - b[1])
    let free = 0
    for (const [, kind] of ev) {
      if (kind < 0) free++
      else if (free > 0) free--
      else lost++
    }
  }
  return lost / runs
}

t.test('the forecast of abandons agrees with a simulation of its own assumptions', async (t) => {
  // Agents each unlikely to free within the horizon: the per-slot counts are near exact.
  const busy = [...talking(6, 40), ...talking(6, 160), ...wrapping(2, 0)]
  const ringing = [1, 4, 7, 12]
  const f = forecast(input({ readyAgents: 1, busyAgents: busy, ringing, inFlight: ringing.length, answerRate: 0.35, meanRingSec: 10, ringCv: 0.4 }))
  for (const n of [0, 3, 8]) {
    const mc = simulateLost(busy, 1, ringing, 0.35, n, 6000)
    t.ok(Math.abs(f.abandons(n) - mc) <= 0.15 * mc + 0.02, `n=${n}: forecast ${f.abandons(n).toFixed(3)}, simulated ${mc.toFixed(3)}`)
  }
  t.ok(f.abandons(8) > f.abandons(3) && f.abandons(3) > f.abandons(0), 'more calls, more abandons')
})

t.test('with agents about to free up, the forecast errs on the side of more abandons', async (t) => {
  // Each agent's frees in different slots are taken as independent: more spread than one free
  // per agent, so more abandons for agents likely to free within the horizon (the governor's
  // calibration corrects the level; never an optimistic forecast).
  const busy = [...wrapping(4, 8), ...talking(4, 100)]
  const ringing = [2, 6]
  const f = forecast(input({ readyAgents: 0, busyAgents: busy, ringing, inFlight: ringing.length, answerRate: 0.35, meanRingSec: 10, ringCv: 0.4 }))
  for (const n of [2, 6]) {
    const mc = simulateLost(busy, 0, ringing, 0.35, n, 6000)
    t.ok(f.abandons(n) >= mc * 0.95 && f.abandons(n) <= mc * 1.8 + 0.02, `n=${n}: forecast ${f.abandons(n).toFixed(3)}, simulated ${mc.toFixed(3)}`)
  }
})
