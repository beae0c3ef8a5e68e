import t from 'tap'
import { DEFAULT_WINDOWS } from '../../../src/dialer/windows.js'
import { zonedInstant } from '../../../src/ivr/hours.js'
import { emptyGovernor } from '../../../src/dialer/governor.js'
import { EventQueue, TimeHeap } from '../../../src/sim/des/queue.js'
import { openIntervals, overlap } from '../../../src/sim/des/windows.js'
import { DEFAULT_PRIORS, LiveStats, vicidialAdaptive, type ControllerView } from '../../../src/sim/des/index.js'

const H = 3_600_000

t.test('event queue: time order, ties in insertion order', async (t) => {
  const q = new EventQueue<{ at: number; id: string }>()
  for (const [at, id] of [
    [5, 'a'],
    [1, 'b'],
    [5, 'c'],
    [3, 'd'],
    [1, 'e'],
    [5, 'f'],
  ] as const)
    q.push({ at, id })
  const ids: string[] = []
  for (let e = q.pop(); e; e = q.pop()) ids.push(e.id)
  t.same(ids, ['b', 'e', 'd', 'a', 'c', 'f'])
  const h = new TimeHeap()
  const keys = [9, 2, 7, 2, 5, 1, 8]
  keys.forEach((k, i) => h.push(k, i))
  const out: number[] = []
  for (let v = h.pop(); v !== undefined; v = h.pop()) out.push(keys[v]!)
  t.same(out, [1, 2, 2, 5, 7, 8, 9])
})

t.test('windows: 10-12 and 16-18 Europe/Rome on weekdays, DST-correct, holidays closed', async (t) => {
  const winter = openIntervals(DEFAULT_WINDOWS, zonedInstant('2025-03-07', 0), zonedInstant('2025-03-11', 0))
  t.same(
    winter.map((w) => [w.date, new Date(w.start).toISOString().slice(11, 16), (w.end - w.start) / H]),
    [
      ['2025-03-07', '09:00', 2],
      ['2025-03-07', '15:00', 2],
      ['2025-03-10', '09:00', 2],
      ['2025-03-10', '15:00', 2],
    ],
    'Friday and Monday, not the weekend; 10:00 Rome is 09:00 UTC in winter',
  )
  const summer = openIntervals(DEFAULT_WINDOWS, zonedInstant('2025-04-24', 0), zonedInstant('2025-04-29', 0))
  t.same(
    summer.map((w) => [w.date, new Date(w.start).toISOString().slice(11, 16)]),
    [
      ['2025-04-24', '08:00'],
      ['2025-04-24', '14:00'],
      ['2025-04-28', '08:00'],
      ['2025-04-28', '14:00'],
    ],
    '25 April closed; summer time',
  )
  t.equal(overlap(winter, winter[0]!.start - H, winter[0]!.start + H / 2), H / 2)
  t.equal(overlap(winter, winter[0]!.end, winter[1]!.start), 0)
  t.equal(overlap(winter, winter[0]!.start, winter[3]!.end), 8 * H)
})

t.test('live statistics: measured rates and times, the prior until measured', async (t) => {
  const s = new LiveStats(DEFAULT_PRIORS, 100, 50)
  t.equal(s.snapshot().answerRate, DEFAULT_PRIORS.answerRate)
  t.equal(s.snapshot().samples, 0)
  for (let i = 0; i < 200; i++) s.attempt(i % 4 === 0 ? 'live' : i % 4 === 1 ? 'machine' : 'other', 10)
  const snap = s.snapshot()
  t.equal(snap.samples, 100, 'rolling window of the last 100 attempts')
  t.ok(Math.abs(snap.answerRate - 0.25) < 0.01)
  t.ok(Math.abs(snap.machineRate - 0.25) < 0.01)
  t.ok(Math.abs(snap.meanRingSec - 10) < 0.2)
  for (let i = 0; i < 50; i++) s.handled(i % 2 ? 100 : 200, 10)
  // 50 calls (mean 150, sd 50) blended with the prior (180 s) weighted as 5 calls.
  t.ok(Math.abs(s.snapshot().talkMeanSec - (50 * 150 + 5 * 180) / 55) < 1e-9)
  t.ok(s.snapshot().talkCv > 0.3 && s.snapshot().talkCv < 0.45, `cv ${s.snapshot().talkCv.toFixed(3)}`)
})

function view(over: Partial<ControllerView>): ControllerView {
  return {
    now: 0,
    agents: 10,
    ready: 0,
    talking: 10,
    wrapping: 0,
    inFlight: 0,
    queued: 0,
    trunkInUse: 0,
    trunkCapacity: 100,
    maxCallsPerSecond: 10,
    sinceLastLaunchMs: 1000,
    windowEnd: 2 * H,
    graceSec: 2,
    ringTimeoutSec: 25,
    stats: { samples: 0, answerRate: 0.3, machineRate: 0.1, meanRingSec: 10, ringCv: 0.4, talkMeanSec: 150, talkCv: 0.6, wrapMeanSec: 15, wrapCv: 0.3 },
    governor: emptyGovernor(),
    today: { attempts: 0, liveAnswers: 0, abandons: 0 },
    lastMinute: { attempts: 0, liveAnswers: 0, abandons: 0 },
    transfers: { waiting: 0, operatorsFree: 0 },
    busyAgents: () => [],
    ringing: () => [],
    ...over,
  }
}

t.test('VICIdial-style adaptive: level from agents waiting minus calls waiting every 15 s, halved over the day limit', async (t) => {
  const launches = (c: ReturnType<typeof vicidialAdaptive>, v: (s: number) => Partial<ControllerView>, seconds: number) => {
    let last = 0
    for (let s = 0; s < seconds; s++) {
      const d = c.decide(view({ now: s * 1000, ...v(s) }))
      // (v may set its own now to continue a clock)
      last = typeof d === 'number' ? d : d.launch
    }
    return last
  }
  // Level 1: lines = agents in call or ready; 10 in call, nothing ringing: nothing to launch.
  t.equal(launches(vicidialAdaptive(), () => ({}), 1), 0)
  // Agents waiting (4 ready of 10, no call waiting) for 15 s: the level rises by 4/10 to 1.4.
  const c = vicidialAdaptive()
  t.equal(launches(c, () => ({ ready: 4, talking: 6 }), 15), Math.floor(1.4 * 10) - 6)
  // Calls waiting for agents: the level falls back (floored at 1).
  t.equal(launches(c, (s) => ({ now: (15 + s) * 1000, ready: 0, talking: 10, queued: 3 }), 15), 0)
  // Over the day's drop limit after 50 calls: halved (ADAPT_AVERAGE), hard-limited to 1 (HARD_LIMIT).
  const over = { ready: 4, talking: 6, today: { attempts: 200, liveAnswers: 60, abandons: 3 } }
  const avg = vicidialAdaptive({ initialLevel: 3 })
  t.equal(launches(avg, () => over, 15), Math.floor((3 / 2) * 10) - 6, 'ADAPT_AVERAGE: capped at the maximum 3.0, then halved')
  const hard = vicidialAdaptive({ initialLevel: 3, method: 'ADAPT_HARD_LIMIT' })
  t.equal(launches(hard, () => over, 15), 10 - 6, 'HARD_LIMIT: level 1.0')
  // Agents in wrap-up still count as in call (the dead call until disposition), unless told otherwise.
  t.equal(vicidialAdaptive().decide(view({ ready: 2, talking: 5, wrapping: 3 })), 3 + 2 - 0)
  t.equal(vicidialAdaptive({ wrapUpAs: 'paused' }).decide(view({ ready: 2, talking: 5, wrapping: 3 })), 2)
})
