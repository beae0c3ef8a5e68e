import t from 'tap'
import { easter, isOpen, isValidDate, italianHolidays, localTime, nextOpen, parseRange, zonedInstant, type Schedule } from '../../src/ivr/hours.js'

const OFFICE: Schedule = {
  days: { mon: ['08:00-13:00', '14:00-18:00'], tue: ['08:00-18:00'], wed: ['08:00-18:00'], thu: ['08:00-18:00'], fri: ['08:00-18:00'], sat: ['08:00-13:00'] },
  holidays: 'italy',
}
const utc = (y: number, m: number, d: number, h: number, min = 0) => Date.UTC(y, m - 1, d, h, min)

t.test('easter and the Italian public holidays', async (t) => {
  t.equal(easter(2024), '2024-03-31')
  t.equal(easter(2025), '2025-04-20')
  t.equal(easter(2026), '2026-04-05')
  t.equal(easter(2027), '2027-03-28')
  t.equal(easter(2038), '2038-04-25')
  t.equal(italianHolidays(2038).filter((d) => d === '2038-04-25').length, 1, 'Easter on Liberation Day is listed once')
  const h = italianHolidays(2027)
  t.same(h, ['2027-01-01', '2027-01-06', '2027-03-28', '2027-03-29', '2027-04-25', '2027-05-01', '2027-06-02', '2027-08-15', '2027-11-01', '2027-12-08', '2027-12-25', '2027-12-26'])
})

t.test('weekdays, lunch break and weekends', async (t) => {
  // Monday 23 Nov 2026, CET (UTC+1)
  t.notOk(isOpen(OFFICE, utc(2026, 11, 23, 6, 59)), '07:59 closed')
  t.ok(isOpen(OFFICE, utc(2026, 11, 23, 7, 0)), '08:00 open')
  t.ok(isOpen(OFFICE, utc(2026, 11, 23, 11, 59)), '12:59 open')
  t.notOk(isOpen(OFFICE, utc(2026, 11, 23, 12, 30)), '13:30 lunch')
  t.ok(isOpen(OFFICE, utc(2026, 11, 23, 13, 0)), '14:00 open')
  t.notOk(isOpen(OFFICE, utc(2026, 11, 23, 17, 0)), '18:00 closed (end exclusive)')
  t.ok(isOpen(OFFICE, utc(2026, 11, 28, 11, 0)), 'Saturday 12:00 open')
  t.notOk(isOpen(OFFICE, utc(2026, 11, 28, 12, 0)), 'Saturday 13:00 closed')
  t.notOk(isOpen(OFFICE, utc(2026, 11, 29, 10, 0)), 'Sunday closed')
})

t.test('holidays and extra closed dates', async (t) => {
  t.notOk(isOpen(OFFICE, utc(2027, 3, 29, 9, 0)), 'Easter Monday 2027 closed')
  t.ok(isOpen(OFFICE, utc(2027, 3, 30, 9, 0)), 'the Tuesday after is open')
  t.notOk(isOpen(OFFICE, utc(2026, 12, 8, 9, 0)), '8 December closed')
  t.notOk(isOpen(OFFICE, utc(2026, 6, 2, 9, 0)), '2 June closed')
  t.ok(isOpen({ ...OFFICE, holidays: 'none' }, utc(2026, 12, 8, 9, 0)), 'holidays: none opens on 8 December (a Tuesday)')
  t.notOk(isOpen({ ...OFFICE, closedOn: ['2026-12-24'] }, utc(2026, 12, 24, 9, 0)), 'closedOn')
})

t.test('DST change days use the local wall clock', async (t) => {
  const sunday: Schedule = { days: { sun: ['08:00-12:00'] } }
  // 29 Mar 2026: clocks go from 02:00 CET to 03:00 CEST. 08:00 local = 06:00 UTC.
  t.same(localTime(utc(2026, 3, 29, 0, 30)), { date: '2026-03-29', weekday: 'sun', minutes: 90 })
  t.same(localTime(utc(2026, 3, 29, 1, 30)).minutes, 210, '01:30 UTC is 03:30 CEST')
  t.notOk(isOpen(sunday, utc(2026, 3, 29, 5, 59)), '07:59 CEST closed (a naive +1h would say open)')
  t.ok(isOpen(sunday, utc(2026, 3, 29, 6, 0)), '08:00 CEST open')
  t.notOk(isOpen(sunday, utc(2026, 3, 29, 10, 0)), '12:00 CEST closed')
  // 25 Oct 2026: 03:00 CEST back to 02:00 CET. 08:00 local = 07:00 UTC.
  t.notOk(isOpen(sunday, utc(2026, 10, 25, 6, 59)), '07:59 CET closed')
  t.ok(isOpen(sunday, utc(2026, 10, 25, 7, 0)), '08:00 CET open')
  t.ok(isOpen(sunday, utc(2026, 10, 25, 10, 59)), '11:59 CET open (a naive +2h would say closed)')
  t.equal(zonedInstant('2026-10-25', 8 * 60), utc(2026, 10, 25, 7, 0))
  t.equal(zonedInstant('2026-03-29', 8 * 60), utc(2026, 3, 29, 6, 0))
})

t.test('other time zones', async (t) => {
  const ny: Schedule = { days: { mon: ['09:00-17:00'] }, timezone: 'America/New_York' }
  t.ok(isOpen(ny, utc(2026, 11, 23, 14, 0)), '09:00 in New York')
  t.notOk(isOpen(ny, utc(2026, 11, 23, 13, 59)))
})

t.test('nextOpen finds the next opening, skipping holidays', async (t) => {
  t.equal(nextOpen(OFFICE, utc(2026, 11, 23, 9, 0)), utc(2026, 11, 23, 9, 0), 'already open')
  t.equal(nextOpen(OFFICE, utc(2026, 11, 23, 12, 30)), utc(2026, 11, 23, 13, 0), 'after lunch')
  t.equal(nextOpen(OFFICE, utc(2027, 3, 27, 13, 0)), utc(2027, 3, 30, 6, 0), 'Saturday afternoon before Easter -> Tuesday 08:00 CEST')
  t.equal(nextOpen({ days: {} }, utc(2026, 1, 1, 0)), undefined)
})

t.test('ranges and dates', async (t) => {
  t.same(parseRange('08:00-18:00'), { from: 480, to: 1080 })
  t.same(parseRange('20:00-24:00'), { from: 1200, to: 1440 })
  t.equal(parseRange('18:00-08:00'), undefined)
  t.equal(parseRange('8-18'), undefined)
  t.ok(isValidDate('2028-02-29'))
  t.notOk(isValidDate('2027-02-29'))
  t.notOk(isValidDate('2027-13-01'))
})
