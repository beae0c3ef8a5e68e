import t from 'tap'
import { DIAL_OUTCOMES, type DialOutcome } from '../../../src/domain/campaign.js'
import type { RetryCampaign } from '../../../src/dialer/retry.js'
import { DEFAULT_WINDOWS } from '../../../src/dialer/windows.js'
import { isOpen, zonedInstant } from '../../../src/ivr/hours.js'
import {
  AGENT_CALLEE,
  Callee,
  campaignRetry,
  fixedRatio,
  messagePaced,
  predictive,
  progressive,
  runDes,
  type CalleeParams,
  type DesConfig,
  type PacingController,
} from '../../../src/sim/des/index.js'

const DAY = 86_400_000
const campaign: RetryCampaign = {
  windows: DEFAULT_WINDOWS,
  retries: { busy: { delayMinutes: 15, maxAttempts: 6 }, no_answer: { delayMinutes: 120, maxAttempts: 6 }, abandoned: { delayMinutes: 0, maxAttempts: 6 } },
  maxAttempts: 6,
  abandonedCooldownMs: 5 * DAY,
}
const MONDAY = zonedInstant('2025-03-10', 0)

function config(over: Partial<DesConfig> = {}): DesConfig {
  return {
    seed: 7,
    start: MONDAY,
    end: MONDAY + DAY,
    windows: DEFAULT_WINDOWS,
    mode: 'agents',
    agents: 8,
    contacts: 5000,
    callee: new Callee(AGENT_CALLEE),
    controller: predictive(),
    retry: campaignRetry(campaign),
    trunkCapacity: 48,
    maxCallsPerSecond: 20,
    ...over,
  }
}

const sum = (o: Record<DialOutcome, number>) => DIAL_OUTCOMES.reduce((s, k) => s + o[k], 0)

t.test('deterministic for a seed, different for another', async (t) => {
  const a = runDes(config())
  const b = runDes(config())
  t.same(b, a, 'same seed, same run')
  t.ok(a.attempts > 500)
  const c = runDes(config({ seed: 8 }))
  t.not(c.attempts, a.attempts, 'another seed, another run')
})

t.test('accounting: attempts = sum of outcomes, per day and in all; every launch gets one outcome', async (t) => {
  const launched = new Map<string, number>()
  const outcomes = new Map<string, DialOutcome>()
  let twice = 0
  const r = runDes(
    config({
      end: MONDAY + 2 * DAY,
      controller: fixedRatio(3),
      onLaunch: (_at, contact, attempt) => launched.set(`${contact}/${attempt}`, 1),
      onOutcome: (_at, contact, attempt, outcome) => {
        if (outcomes.has(`${contact}/${attempt}`)) twice++
        outcomes.set(`${contact}/${attempt}`, outcome)
      },
    }),
  )
  t.equal(twice, 0, 'one outcome per attempt')
  t.equal(r.attempts, sum(r.outcomes))
  t.equal(r.attempts, launched.size)
  t.same([...launched.keys()].sort(), [...outcomes.keys()].sort(), 'calls in progress at the end finish too')
  t.equal(r.days.length, 2)
  for (const d of r.days) t.equal(d.attempts, sum(d.outcomes), `day ${d.date}`)
  t.equal(r.liveAnswers, r.outcomes.reached + r.outcomes.abandoned, 'a live answer is put through or abandoned')
  t.equal(r.abandons, r.outcomes.abandoned)
  t.equal(r.reached, r.outcomes.reached)
})

t.test('nothing is dialed outside the windows: weekends, holidays, nights', async (t) => {
  // Easter Monday 21 April and Liberation Day 25 April 2025 are Italian holidays.
  const start = zonedInstant('2025-04-18', 0)
  const times: number[] = []
  const r = runDes(config({ start, end: start + 8 * DAY, controller: fixedRatio(2), onLaunch: (at) => times.push(at) }))
  t.ok(times.length > 1000)
  t.ok(
    times.every((at) => isOpen(DEFAULT_WINDOWS, at)),
    'every launch inside a window',
  )
  t.same(
    r.days.map((d) => d.date),
    ['2025-04-18', '2025-04-22', '2025-04-23', '2025-04-24'],
    'Friday, then Tuesday to Thursday: no weekend, no Easter Monday, no 25 April',
  )
  const morning = times.filter((at) => at < zonedInstant('2025-04-18', 13 * 60))
  t.ok(morning[0]! >= zonedInstant('2025-04-18', 10 * 60) && morning[morning.length - 1]! < zonedInstant('2025-04-18', 12 * 60))
})

t.test('a person who answers with no agent free is abandoned', async (t) => {
  // Everyone answers live after about 8 s; one agent; three calls at the first tick, none after.
  const everyone: CalleeParams = { ...AGENT_CALLEE, invalidShare: 0, deadShare: 0, liveMean: 0.999, liveConcentration: 1e6, ringCv: 0.05, talkMeanSec: 300, talkCv: 0.05 }
  let fired = false
  const burst: PacingController = {
    name: 'burst',
    decide: () => (fired ? 0 : ((fired = true), 3)),
  }
  const r = runDes(config({ agents: 1, callee: new Callee(everyone), controller: burst }))
  t.equal(r.attempts, 3)
  t.equal(r.outcomes.reached, 1, 'the first to answer gets the agent')
  t.equal(r.outcomes.abandoned, 2, 'the others find nobody within the grace')
  t.equal(r.liveAnswers, 3)
  t.equal(r.worstDayAbandonRate, 2 / 3)
  // With a grace longer than the agent's call, the same callers wait and are put through.
  const quick: CalleeParams = { ...everyone, talkMeanSec: 1, wrapMinSec: 0.1, wrapMaxSec: 0.2 }
  fired = false
  const patient = runDes(config({ agents: 1, callee: new Callee(quick), controller: burst, graceSec: 10 }))
  t.equal(patient.outcomes.reached, 3)
  t.equal(patient.outcomes.abandoned, 0)
})

t.test('an abandoned number is not called again for 5 days (src/dialer/retry.ts)', async (t) => {
  const abandonedAt = new Map<number, number>()
  const gaps: number[] = []
  const r = runDes(
    config({
      end: MONDAY + 12 * DAY,
      contacts: 2500,
      controller: fixedRatio(4),
      onOutcome: (at, contact, _attempt, outcome) => {
        if (outcome === 'abandoned') abandonedAt.set(contact, at)
      },
      onLaunch: (at, contact) => {
        const was = abandonedAt.get(contact)
        if (was !== undefined) {
          gaps.push(at - was)
          abandonedAt.delete(contact)
        }
      },
    }),
  )
  t.ok(r.abandons > 20, `${r.abandons} abandoned`)
  t.ok(gaps.length > 0, `${gaps.length} called again`)
  t.ok(
    gaps.every((g) => g >= 5 * DAY),
    'never within 5 days',
  )
})

t.test('progressive never abandons; predictive keeps its agents busier within the ceiling', async (t) => {
  const base = config({ agents: 20, contacts: 30_000, trunkCapacity: 120 })
  const prog = runDes({ ...base, controller: progressive() })
  const pred = runDes({ ...base, controller: predictive() })
  t.equal(prog.abandons, 0)
  t.ok(pred.occupancy > prog.occupancy + 0.05, `occupancy ${pred.occupancy.toFixed(3)} vs ${prog.occupancy.toFixed(3)}`)
  t.ok(pred.worstDayAbandonRate <= 0.03, `worst day ${pred.worstDayAbandonRate.toFixed(4)}`)
  t.ok(pred.occupancy > 0 && pred.occupancy < 1)
})

t.test('message campaigns: trunk-paced, calls per second kept, held by the operators\' load, stop at the target', async (t) => {
  const perSecond = new Map<number, number>()
  const message = (operators: number, over: Partial<DesConfig> = {}) =>
    runDes(
      config({
        mode: 'message',
        agents: 0,
        operators,
        contacts: 3000,
        controller: messagePaced(),
        trunkCapacity: 200,
        maxCallsPerSecond: 2.5,
        stopAtReached: 1200,
        callee: new Callee({ ...AGENT_CALLEE, liveMean: 0.6, transferShare: 0.1 }),
        ...over,
      }),
    )
  const r = message(40, { onLaunch: (at) => perSecond.set(Math.floor(at / 1000), (perSecond.get(Math.floor(at / 1000)) ?? 0) + 1) })
  t.ok(r.reached >= 1200 && r.reached < 1300, `stopped at ${r.reached}`)
  t.ok(r.targetAt !== undefined && r.targetDays === 1)
  t.ok(r.transfers > 50)
  t.equal(r.abandons, 0, 'no agent per call, nothing to abandon')
  t.ok(Math.max(...perSecond.values()) <= 3, 'at most ceil(2.5) calls in any second')
  // Over the first ten minutes of the morning window: 2.5 calls/s on average, not 2.
  const open = Math.floor(zonedInstant('2025-03-10', 600) / 1000)
  let first10 = 0
  for (const [sec, n] of perSecond) if (sec >= open && sec < open + 600) first10 += n
  t.ok(first10 >= 1490 && first10 <= 1503, `${first10} calls in 600 s`)
  t.ok(Math.abs(r.callsPerHour - 9000) < 300, `${Math.round(r.callsPerHour)} calls/h until the target`)
  const narrow = message(40, { trunkCapacity: 20 })
  t.ok(narrow.maxTrunkInUse <= 20 && narrow.maxTrunkInUse >= 18, `20 channels: at most ${narrow.maxTrunkInUse} in use`)
  t.ok(narrow.callsPerHour < r.callsPerHour / 2, `20 channels: ${Math.round(narrow.callsPerHour)} calls/h`)
  const fewOperators = message(2)
  t.ok(fewOperators.callsPerHour < r.callsPerHour / 2, `2 operators for the transfers: ${Math.round(fewOperators.callsPerHour)} calls/h, not ${Math.round(r.callsPerHour)}`)
})
