import t from 'tap'
import { adviseGovernor, allowedRisk, emptyGovernor, recordOutcomes, windowTotals, type GovernorState } from '../../src/dialer/governor.js'

const H = 3_600_000
const T0 = Date.UTC(2025, 2, 10, 9, 0)

/** Answers (and abandons) spread over a few minutes from `at`. */
function record(state: GovernorState, at: number, answers: number, abandons: number, expected = 0): GovernorState {
  return recordOutcomes(state, at, { answers, abandons, expected })
}

t.test('the rate is computed over the rolling window only', async (t) => {
  let g = emptyGovernor()
  g = record(g, T0, 100, 10) // a bad morning
  g = record(g, T0 + 20 * H, 1000, 10)
  t.same(windowTotals(g, T0 + 20 * H), { answers: 1100, abandons: 20, expected: 0 })
  t.equal(adviseGovernor(g, T0 + 20 * H).rate, 20 / 1100)
  // 25 h later the bad morning has left the 24 h window.
  const later = T0 + 25 * H
  t.same(windowTotals(g, later), { answers: 1000, abandons: 10, expected: 0 })
  t.equal(adviseGovernor(g, later).rate, 0.01)
  t.same(windowTotals(g, later, 2 * H), { answers: 0, abandons: 0, expected: 0 }, 'a shorter window')
})

t.test('old buckets expire from the state, minutes are bucketed, late reports land in their minute', async (t) => {
  let g = emptyGovernor()
  g = record(g, T0, 5, 1)
  g = record(g, T0 + 30_000, 5, 0)
  t.equal(g.buckets.length, 1, 'same minute, one bucket')
  g = record(g, T0 + 2 * 60_000, 1, 0)
  g = record(g, T0 + 60_000, 2, 1) // reported late, for the minute before
  t.same(
    g.buckets.map((b) => [b.start - T0, b.answers, b.abandons]),
    [
      [0, 10, 1],
      [60_000, 2, 1],
      [120_000, 1, 0],
    ],
  )
  g = record(g, T0 + 30 * H, 1, 0)
  t.equal(g.buckets.length, 1, 'recording a day later drops what left the window')
  t.same(JSON.parse(JSON.stringify(g)), g, 'plain data')
  const before = JSON.stringify(g)
  record(g, T0 + 30 * H, 50, 50)
  t.equal(JSON.stringify(g), before, 'recording returns a new state, the old one is unchanged')
})

t.test('at or over the ceiling: fallback, no risk allowed', async (t) => {
  const at = T0 + H
  const under = adviseGovernor(record(emptyGovernor(), T0, 1000, 29), at)
  t.equal(under.fallback, false)
  t.ok(under.targetRisk > 0)
  const ceiling = adviseGovernor(record(emptyGovernor(), T0, 1000, 30), at)
  t.equal(ceiling.fallback, true)
  t.equal(ceiling.targetRisk, 0)
  t.equal(adviseGovernor(record(emptyGovernor(), T0, 1000, 45), at).fallback, true)
  t.equal(adviseGovernor(record(emptyGovernor(), T0, 1000, 12), at, { ceiling: 0.01 }).fallback, true, 'the campaign ceiling')
})

t.test('the allowed risk shrinks as the rate approaches the ceiling', async (t) => {
  const risks = [0, 5, 10, 15, 20, 25, 29].map((abandons) => adviseGovernor(record(emptyGovernor(), T0, 1000, abandons), T0 + H).targetRisk)
  for (let i = 1; i < risks.length; i++) t.ok(risks[i]! < risks[i - 1]!, `risk falls: ${risks.map((r) => r.toFixed(4)).join(' > ')}`)
  t.equal(allowedRisk(0.02, 0.03, 0.02), 0.02, 'at the aim, the aim')
  t.equal(allowedRisk(0.03, 0.03, 0.02), 0)
  t.ok(Math.abs(allowedRisk(0, 0.03, 0.02) - 0.06) < 1e-12, 'a clean record: three times the aim')
})

t.test('few answers: the rate is smoothed toward the aim; enough answers: the raw rate when higher', async (t) => {
  const at = T0 + 60_000
  const fresh = adviseGovernor(emptyGovernor(), T0)
  t.equal(fresh.level, fresh.aim, 'nothing measured: the aim')
  t.equal(fresh.fallback, false)
  t.equal(fresh.targetRisk, fresh.aim)
  const clean10 = adviseGovernor(record(emptyGovernor(), T0, 10, 0), at)
  const clean1000 = adviseGovernor(record(emptyGovernor(), T0, 1000, 0), at)
  t.ok(clean10.level > 0.01 && clean10.targetRisk < clean1000.targetRisk, 'ten clean answers do not open the throttle wide')
  t.ok(Math.abs(clean1000.targetRisk - 3 * clean1000.aim) < 0.001)
  t.ok(adviseGovernor(record(emptyGovernor(), T0, 10, 1), at).fallback, 'one abandon in ten: over the ceiling')
  const forty = adviseGovernor(record(emptyGovernor(), T0, 40, 1), at)
  t.equal(forty.level, 0.025, 'forty answers: the raw rate, higher than the smoothed one')
  t.equal(forty.fallback, false)
})

t.test('calibration: the risk is corrected by abandons observed / abandons the pacing expected', async (t) => {
  const at = T0 + H
  const even = adviseGovernor(record(emptyGovernor(), T0, 2000, 40, 40), at)
  t.equal(even.calibration, 1)
  const cautious = adviseGovernor(record(emptyGovernor(), T0, 2000, 40, 140), at)
  t.equal(cautious.calibration, 50 / 150)
  t.ok(Math.abs(cautious.targetRisk - even.targetRisk * 3) < 1e-12, 'a model that expected three times too many is allowed three times the risk')
  const optimistic = adviseGovernor(record(emptyGovernor(), T0, 2000, 40, 5), at)
  t.ok(optimistic.targetRisk < even.targetRisk, 'one that expected too few is reined in')
  t.equal(adviseGovernor(record(emptyGovernor(), T0, 2000, 40, 10_000), at).calibration, 0.25, 'bounded')
  t.equal(adviseGovernor(record(emptyGovernor(), T0, 2000, 40, 0), at).calibration, 1, 'no expectations recorded: no correction')
})
