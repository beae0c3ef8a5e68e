import t from 'tap'
import type { DialOutcome } from '../../src/domain/campaign.js'
import { DEFAULT_RETRIES, nextAttempt, requiresReservedAgent, ruleFor, type RetryCampaign } from '../../src/dialer/retry.js'
import { DEFAULT_WINDOWS } from '../../src/dialer/windows.js'

const utc = (y: number, m: number, d: number, h: number, min = 0) => Date.UTC(y, m - 1, d, h, min)
const MIN = 60_000
const DAY = 86_400_000
const campaign: RetryCampaign = { retries: {}, maxAttempts: 10, windows: DEFAULT_WINDOWS, abandonedCooldownMs: 5 * DAY }
// Monday 23 Nov 2026 10:15 Rome (09:15 UTC): inside the morning window.
const MON_1015 = utc(2026, 11, 23, 9, 15)

t.test('defaults per outcome: busy 10 min ×5, no answer 2 h ×4, machine 4 h ×3, failed 30 min ×3', async (t) => {
  t.same(DEFAULT_RETRIES.busy, { delayMinutes: 10, maxAttempts: 5 })
  t.same(DEFAULT_RETRIES.no_answer, { delayMinutes: 120, maxAttempts: 4 })
  t.same(DEFAULT_RETRIES.machine, { delayMinutes: 240, maxAttempts: 3 })
  t.same(DEFAULT_RETRIES.failed, { delayMinutes: 30, maxAttempts: 3 })
  t.same(nextAttempt({ attempts: 1 }, 'busy', MON_1015, campaign), { status: 'pending', nextAt: MON_1015 + 10 * MIN, reason: 'busy: retry' })
  t.same(nextAttempt({ attempts: 1 }, 'failed', MON_1015, campaign), { status: 'pending', nextAt: MON_1015 + 30 * MIN, reason: 'failed: retry' })
  // 10:15 + 2 h = 12:15: outside → the afternoon window at 16:00 (15:00 UTC).
  t.same(nextAttempt({ attempts: 1 }, 'no_answer', MON_1015, campaign), { status: 'pending', nextAt: utc(2026, 11, 23, 15, 0), reason: 'no_answer: retry at the next window' })
  // 16:30 + 4 h = 20:30 → Tuesday 10:00.
  t.equal(nextAttempt({ attempts: 1 }, 'machine', utc(2026, 11, 23, 15, 30), campaign).nextAt, utc(2026, 11, 24, 9, 0))
  // 11:55 + 10 min → 16:00.
  t.equal(nextAttempt({ attempts: 2 }, 'busy', utc(2026, 11, 23, 10, 55), campaign).nextAt, utc(2026, 11, 23, 15, 0))
  // Friday 17:50 + 30 min → Monday 10:00.
  t.equal(nextAttempt({ attempts: 1 }, 'failed', utc(2026, 11, 27, 16, 50), campaign).nextAt, utc(2026, 11, 30, 9, 0))
})

t.test('reached is done; invalid is never retried', async (t) => {
  t.same(nextAttempt({ attempts: 1 }, 'reached', MON_1015, campaign), { status: 'done', nextAt: 0, reason: 'reached' })
  t.same(nextAttempt({ attempts: 1 }, 'invalid', MON_1015, campaign), { status: 'failed', nextAt: 0, reason: 'invalid number' })
  t.equal(nextAttempt({ attempts: 1 }, 'invalid', MON_1015, { ...campaign, retries: { invalid: { delayMinutes: 1, maxAttempts: 9 } } }).status, 'failed', 'whatever the rules say')
})

t.test('maximum attempts: per outcome (attempts in all) and the campaign cap', async (t) => {
  const seq = (outcome: DialOutcome) => {
    const out: string[] = []
    for (let attempts = 1; attempts <= 6; attempts++) out.push(nextAttempt({ attempts }, outcome, MON_1015, campaign).status)
    return out
  }
  t.same(seq('busy'), ['pending', 'pending', 'pending', 'pending', 'failed', 'failed'], 'busy: the 5th attempt is the last')
  t.same(seq('no_answer'), ['pending', 'pending', 'pending', 'failed', 'failed', 'failed'])
  t.same(seq('machine'), ['pending', 'pending', 'failed', 'failed', 'failed', 'failed'])
  t.same(seq('failed'), ['pending', 'pending', 'failed', 'failed', 'failed', 'failed'])
  t.match(nextAttempt({ attempts: 4 }, 'no_answer', MON_1015, campaign).reason, /no_answer: 4 attempts, at most 4 after no_answer/)
  const capped = { ...campaign, maxAttempts: 2 }
  t.same(nextAttempt({ attempts: 2 }, 'busy', MON_1015, capped), { status: 'failed', nextAt: 0, reason: "busy: 2 attempts, the campaign's maximum" })
  t.equal(nextAttempt({ attempts: 1 }, 'busy', MON_1015, capped).status, 'pending')
  const custom = { ...campaign, retries: { busy: { delayMinutes: 5, maxAttempts: 2 } } }
  t.same(ruleFor('busy', custom.retries), { delayMinutes: 5, maxAttempts: 2 })
  t.same(ruleFor('no_answer', custom.retries), DEFAULT_RETRIES.no_answer, 'the other rules keep their defaults')
  t.equal(nextAttempt({ attempts: 1 }, 'busy', MON_1015, custom).nextAt, MON_1015 + 5 * MIN)
  t.equal(nextAttempt({ attempts: 2 }, 'busy', MON_1015, custom).status, 'failed')
})

t.test('abandoned: not called again for 5 days unless an agent is reserved first', async (t) => {
  const d = nextAttempt({ attempts: 1 }, 'abandoned', MON_1015, campaign)
  t.equal(d.status, 'pending')
  t.equal(d.cooldownUntil, MON_1015 + 5 * DAY, 'cooldownUntil: five days after the abandoned call')
  // Saturday 28 Nov 10:15 is the end of the cooldown: the next window is Monday 30 at 10:00.
  t.equal(d.nextAt, utc(2026, 11, 30, 9, 0), 'nextAt honours the cooldown and the windows')
  t.ok(d.nextAt >= d.cooldownUntil!)
  const contact = { cooldownUntil: d.cooldownUntil }
  t.ok(requiresReservedAgent(contact, MON_1015 + DAY), 'a day later: only with a reserved agent')
  t.notOk(requiresReservedAgent(contact, MON_1015 + 5 * DAY), 'after five days: normal dialing')
  t.notOk(requiresReservedAgent({}, MON_1015))
  // A reserved-agent call during the cooldown that gets no answer: the cooldown stays.
  const later = nextAttempt({ attempts: 2, cooldownUntil: d.cooldownUntil }, 'no_answer', MON_1015 + DAY, campaign)
  t.equal(later.cooldownUntil, d.cooldownUntil)
  t.ok(later.nextAt >= d.cooldownUntil!, 'and the next ordinary attempt waits for its end')
  // Reached by the reserved agent: done.
  t.same(nextAttempt({ attempts: 2, cooldownUntil: d.cooldownUntil }, 'reached', MON_1015 + DAY, campaign), { status: 'done', nextAt: 0, reason: 'reached' })
  // An expired cooldown is not carried.
  t.equal(nextAttempt({ attempts: 2, cooldownUntil: MON_1015 - 1 }, 'busy', MON_1015, campaign).cooldownUntil, undefined)
  // The campaign's own cooldown.
  t.equal(nextAttempt({ attempts: 1 }, 'abandoned', MON_1015, { ...campaign, abandonedCooldownMs: 0 }).nextAt, MON_1015)
  t.equal(nextAttempt({ attempts: 3 }, 'abandoned', MON_1015, campaign).status, 'failed', 'abandoned ×3')
})

t.test('no calling window ahead', async (t) => {
  const none = { ...campaign, windows: { days: {} } }
  t.same(nextAttempt({ attempts: 1 }, 'busy', MON_1015, none), { status: 'failed', nextAt: 0, reason: 'no calling window ahead' })
})
