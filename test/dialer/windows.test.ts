import t from 'tap'
import type { Schedule } from '../../src/ivr/hours.js'
import { DEFAULT_WINDOWS, dialableAt, inWindow, nextWindowStart, windowEnd } from '../../src/dialer/windows.js'

const utc = (y: number, m: number, d: number, h: number, min = 0) => Date.UTC(y, m - 1, d, h, min)
const W = DEFAULT_WINDOWS

t.test('default windows: 10-12 and 16-18 Monday to Friday, Europe/Rome (CET in November)', async (t) => {
  // Monday 23 Nov 2026; Rome = UTC+1.
  t.notOk(inWindow(W, utc(2026, 11, 23, 8, 59)), '09:59 closed')
  t.ok(inWindow(W, utc(2026, 11, 23, 9, 0)), '10:00 open')
  t.ok(inWindow(W, utc(2026, 11, 23, 10, 59)), '11:59 open')
  t.notOk(inWindow(W, utc(2026, 11, 23, 11, 0)), '12:00 closed')
  t.ok(inWindow(W, utc(2026, 11, 23, 15, 0)), '16:00 open')
  t.notOk(inWindow(W, utc(2026, 11, 23, 17, 0)), '18:00 closed')
  t.notOk(inWindow(W, utc(2026, 11, 28, 10, 0)), 'Saturday closed')
  t.notOk(inWindow(W, utc(2026, 11, 29, 10, 0)), 'Sunday closed')
})

t.test('windowEnd: when the current window closes (the service stops launching then)', async (t) => {
  t.equal(windowEnd(W, utc(2026, 11, 23, 9, 30)), utc(2026, 11, 23, 11, 0), '10:30 → 12:00')
  t.equal(windowEnd(W, utc(2026, 11, 23, 16, 59)), utc(2026, 11, 23, 17, 0), '17:59 → 18:00')
  t.equal(windowEnd(W, utc(2026, 11, 23, 12, 0)), undefined, 'outside a window')
  const touching: Schedule = { days: { mon: ['10:00-12:00', '12:00-13:00', '11:00-11:30'], tue: ['00:00-01:00'] } }
  t.equal(windowEnd(touching, utc(2026, 11, 23, 9, 15)), utc(2026, 11, 23, 12, 0), 'touching ranges are one window (13:00 Rome)')
  const overnight: Schedule = { days: { mon: ['22:00-24:00'], tue: ['00:00-01:00'] } }
  t.equal(windowEnd(overnight, utc(2026, 11, 23, 21, 30)), utc(2026, 11, 24, 0, 0), 'across midnight: Tuesday 01:00 Rome')
  const always = { timezone: 'Europe/Rome', days: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, ['00:00-24:00']])) }
  const t0 = utc(2026, 11, 23, 9, 30)
  const end = windowEnd(always as typeof W, t0)!
  t.ok(end >= t0 + 7 * 86_400_000 && end <= t0 + 8 * 86_400_000, 'open round the clock: the window reaches a week on, not a year')
})

t.test('nextWindowStart and dialableAt', async (t) => {
  t.equal(nextWindowStart(W, utc(2026, 11, 23, 7, 0)), utc(2026, 11, 23, 9, 0), '08:00 → 10:00 the same day')
  t.equal(nextWindowStart(W, utc(2026, 11, 23, 9, 30)), utc(2026, 11, 23, 15, 0), 'inside the morning window → the afternoon one')
  t.equal(nextWindowStart(W, utc(2026, 11, 23, 12, 0)), utc(2026, 11, 23, 15, 0), '13:00 → 16:00')
  t.equal(nextWindowStart(W, utc(2026, 11, 27, 17, 0)), utc(2026, 11, 30, 9, 0), 'Friday 18:00 → Monday 10:00')
  t.equal(dialableAt(W, utc(2026, 11, 23, 9, 30)), utc(2026, 11, 23, 9, 30), 'inside a window: now')
  t.equal(dialableAt(W, utc(2026, 11, 23, 12, 0)), utc(2026, 11, 23, 15, 0), 'outside: the next start')
  t.equal(nextWindowStart({ days: {} }, utc(2026, 11, 23, 9, 0)), undefined, 'no window at all')
})

t.test('Italian public holidays are closed', async (t) => {
  // Tuesday 8 Dec 2026 (Immacolata) is closed: Monday 7 at 18:00 → Wednesday 9 at 10:00.
  t.notOk(inWindow(W, utc(2026, 12, 8, 9, 30)))
  t.equal(nextWindowStart(W, utc(2026, 12, 7, 17, 0)), utc(2026, 12, 9, 9, 0))
  // Easter Monday 2027 (29 March, CEST): Friday 26 18:00 → Tuesday 30 10:00 (08:00 UTC).
  t.equal(nextWindowStart(W, utc(2027, 3, 26, 17, 0)), utc(2027, 3, 30, 8, 0))
  // Christmas and St Stephen on Friday/Saturday 2026: Thursday 24 18:00 → Monday 28.
  t.equal(nextWindowStart(W, utc(2026, 12, 24, 17, 0)), utc(2026, 12, 28, 9, 0))
  t.ok(inWindow({ ...W, holidays: 'none' }, utc(2026, 12, 8, 9, 30)), "holidays: 'none' opens them")
  t.notOk(inWindow({ ...W, closedOn: ['2026-11-23'] }, utc(2026, 11, 23, 9, 30)), 'an extra closed date')
})

t.test('DST days', async (t) => {
  // Summer time starts Sunday 29 March 2026: Friday 27 10:00 is 09:00 UTC, Monday 30 10:00 is 08:00 UTC.
  t.equal(nextWindowStart(W, utc(2026, 3, 27, 17, 0)), utc(2026, 3, 30, 8, 0), 'Friday (CET) → Monday (CEST)')
  t.equal(windowEnd(W, utc(2026, 3, 30, 8, 0)), utc(2026, 3, 30, 10, 0), 'Monday 10-12 CEST is 08-10 UTC')
  // Winter time: Sunday 25 October 2026; Monday 26 10:00 is 09:00 UTC again.
  t.equal(nextWindowStart(W, utc(2026, 10, 23, 15, 0)), utc(2026, 10, 26, 9, 0), 'Friday (CEST) → Monday (CET)')
  // A window over the change itself: 00:30-04:00 on the Sunday lasts 2.5 h in March, 4.5 h in October.
  const night: Schedule = { days: { sun: ['00:30-04:00'] } }
  const startMar = nextWindowStart(night, utc(2026, 3, 28, 12, 0))!
  t.equal(startMar, utc(2026, 3, 28, 23, 30), '00:30 CET')
  t.equal(windowEnd(night, startMar), utc(2026, 3, 29, 2, 0), '04:00 CEST: two and a half hours later')
  t.ok(inWindow(night, utc(2026, 3, 29, 1, 30)), '03:30 CEST, just after the jump, is inside')
  t.notOk(inWindow(night, utc(2026, 3, 29, 2, 0)))
  const startOct = nextWindowStart(night, utc(2026, 10, 24, 12, 0))!
  t.equal(startOct, utc(2026, 10, 24, 22, 30), '00:30 CEST')
  t.equal(windowEnd(night, startOct), utc(2026, 10, 25, 3, 0), '04:00 CET: four and a half hours later')
  t.ok(inWindow(night, utc(2026, 10, 25, 0, 30)), 'the first 02:30 is inside')
  t.ok(inWindow(night, utc(2026, 10, 25, 1, 30)), 'the repeated 02:30 is inside')
  t.equal(
    nextWindowStart({ days: { sun: ['01:00-04:00'] } }, utc(2026, 10, 24, 12, 0)),
    utc(2026, 10, 24, 23, 0),
    '01:00 CEST on the fall-back day',
  )
})
