/**
 * Calendar arithmetic for opening hours and calling windows (pure): weekly time ranges in a
 * time zone (Europe/Rome by default, DST-correct through Intl), Italian public holidays
 * (Easter computed), extra closed dates. Used by the flow hours node and by the dialer.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
export type Weekday = (typeof WEEKDAYS)[number]

/** Per weekday, ranges such as '08:00-18:00' (start inclusive, end exclusive; '24:00' allowed as end). */
export type WeekSchedule = Partial<Record<Weekday, readonly string[]>>

export interface Schedule {
  days: WeekSchedule
  /** 'italy' closes on Italian public holidays; default 'none'. */
  holidays?: 'italy' | 'none'
  /** Extra closed dates, 'YYYY-MM-DD' (local). */
  closedOn?: readonly string[]
  /** IANA zone; default Europe/Rome. */
  timezone?: string
}

export const DEFAULT_TIMEZONE = 'Europe/Rome'

export const RANGE_PATTERN = '^([01][0-9]|2[0-3]):[0-5][0-9]-(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$'
export const DATE_PATTERN = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'

const pad = (n: number) => String(n).padStart(2, '0')
const ymd = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`

/** Easter Sunday (Gregorian calendar, anonymous algorithm), as 'YYYY-MM-DD'. */
export function easter(year: number): string {
  const a = year % 19
  const b = Math.floor(year / 100)
  const c = year % 100
  const d = Math.floor(b / 4)
  const e = b % 4
  const f = Math.floor((b + 8) / 25)
  const g = Math.floor((b - f + 1) / 3)
  const h = (19 * a + b - d - g + 15) % 30
  const i = Math.floor(c / 4)
  const k = c % 4
  const l = (32 + 2 * e + 2 * i - h - k) % 7
  const m = Math.floor((a + 11 * h + 22 * l) / 451)
  const month = Math.floor((h + l - 7 * m + 114) / 31)
  const day = ((h + l - 7 * m + 114) % 31) + 1
  return ymd(year, month, day)
}

function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const t = new Date(Date.UTC(y, m - 1, d + n))
  return ymd(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate())
}

/**
 * Italian national public holidays of a year, sorted 'YYYY-MM-DD': 1 Jan, 6 Jan, Easter Sunday
 * and Monday, 25 Apr, 1 May, 2 Jun, 15 Aug, 1 Nov, 8 Dec, 25 and 26 Dec.
 */
export function italianHolidays(year: number): string[] {
  const e = easter(year)
  const fixed = ['01-01', '01-06', '04-25', '05-01', '06-02', '08-15', '11-01', '12-08', '12-25', '12-26'].map((md) => `${year}-${md}`)
  return [...new Set([...fixed, e, addDays(e, 1)])].sort()
}

export interface LocalTime {
  /** 'YYYY-MM-DD' in the zone. */
  date: string
  weekday: Weekday
  /** Minutes since local midnight. */
  minutes: number
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
    })
    formatters.set(tz, f)
  }
  return f
}

/** True when tz is a time zone this runtime knows. */
export function isValidTimezone(tz: string): boolean {
  try {
    formatter(tz)
    return true
  } catch {
    return false
  }
}

/** Wall-clock date, weekday and time in tz at the instant t (ms or Date). */
export function localTime(t: number | Date, tz: string = DEFAULT_TIMEZONE): LocalTime {
  const parts: Record<string, string> = {}
  for (const p of formatter(tz).formatToParts(typeof t === 'number' ? new Date(t) : t)) parts[p.type] = p.value
  const weekday = parts.weekday!.toLowerCase().slice(0, 3) as Weekday
  return { date: `${parts.year}-${parts.month}-${parts.day}`, weekday, minutes: Number(parts.hour) * 60 + Number(parts.minute) }
}

/** Parses '08:00-18:00' into minutes [from, to); undefined when malformed or empty. */
export function parseRange(range: string): { from: number; to: number } | undefined {
  if (!new RegExp(RANGE_PATTERN).test(range)) return undefined
  const [a, b] = range.split('-') as [string, string]
  const mins = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5))
  const from = mins(a)
  const to = mins(b)
  return from < to ? { from, to } : undefined
}

/** True when 'YYYY-MM-DD' is a real calendar date. */
export function isValidDate(date: string): boolean {
  if (!new RegExp(DATE_PATTERN).test(date)) return false
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const t = new Date(Date.UTC(y, m - 1, d))
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d
}

function closedDay(s: Schedule, date: string): boolean {
  if (s.closedOn?.includes(date)) return true
  return s.holidays === 'italy' && italianHolidays(Number(date.slice(0, 4))).includes(date)
}

/** Whether the schedule is open at instant t. */
export function isOpen(schedule: Schedule, t: number | Date): boolean {
  const lt = localTime(t, schedule.timezone ?? DEFAULT_TIMEZONE)
  if (closedDay(schedule, lt.date)) return false
  for (const r of schedule.days[lt.weekday] ?? []) {
    const p = parseRange(r)
    if (p && lt.minutes >= p.from && lt.minutes < p.to) return true
  }
  return false
}

/** Offset of tz from UTC at instant t, in ms (local = utc + offset). */
function offsetAt(t: number, tz: string): number {
  const parts: Record<string, string> = {}
  for (const p of formatter(tz).formatToParts(new Date(t))) parts[p.type] = p.value
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute))
  return asUtc - Math.floor(t / 60_000) * 60_000
}

/** The instant of local date + minutes in tz (a time skipped by DST maps to just after the jump). */
export function zonedInstant(date: string, minutes: number, tz: string = DEFAULT_TIMEZONE): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const guess = Date.UTC(y, m - 1, d, 0, minutes)
  // The zone's offsets half a day either side cover any change that day: the instant is the
  // guess shifted by one of them. A wall time that happens twice (the repeated hour in autumn)
  // is its later instant; one that does not happen (the skipped hour in spring) maps past the
  // jump, as a clock would read it.
  const candidates = [...new Set([offsetAt(guess - 12 * 3600_000, tz), offsetAt(guess + 12 * 3600_000, tz)])].map((o) => guess - o)
  const wanted = localTime(guess, 'UTC')
  const real = candidates.filter((c) => {
    const l = localTime(c, tz)
    return l.date === wanted.date && l.minutes === wanted.minutes
  })
  return Math.max(...(real.length > 0 ? real : candidates))
}

/** The first instant at or after t when the schedule is open, searching horizonDays ahead; undefined if none. */
export function nextOpen(schedule: Schedule, t: number, horizonDays = 30): number | undefined {
  if (isOpen(schedule, t)) return t
  const tz = schedule.timezone ?? DEFAULT_TIMEZONE
  const today = localTime(t, tz).date
  for (let i = 0; i <= horizonDays; i++) {
    const date = addDays(today, i)
    if (closedDay(schedule, date)) continue
    const [y, m, d] = date.split('-').map(Number) as [number, number, number]
    const weekday = WEEKDAYS[(new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7]!
    const starts = (schedule.days[weekday] ?? [])
      .map(parseRange)
      .filter((r): r is { from: number; to: number } => r !== undefined)
      .map((r) => zonedInstant(date, r.from, tz))
      .filter((at) => at > t)
      .sort((a, b) => a - b)
    for (const at of starts) if (isOpen(schedule, at)) return at
  }
  return undefined
}
