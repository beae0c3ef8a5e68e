/**
 * Calling windows of a campaign (pure), on top of the calendar arithmetic of src/ivr/hours.ts:
 * weekly ranges in a time zone (Europe/Rome by default, DST-correct), Italian public holidays
 * closed by default, extra closed dates.
 *
 * What a window governs is the *launching* of calls: nothing is dialed outside a window. A
 * call in progress when its window closes is not the window's business: the service stops
 * launching at windowEnd() and lets the calls already up (ringing, talking, in the message
 * flow, with an agent) finish normally; nothing here hangs anything up. Retries that would
 * fall outside the windows are moved to the next window start (src/dialer/retry.ts).
 *
 * Ranges that touch or overlap ('10:00-12:00' and '12:00-13:00', or '20:00-24:00' and a next
 * day's '00:00-02:00') are one window: windowEnd() gives the end of the whole stretch.
 */
import { DEFAULT_TIMEZONE, isOpen, localTime, nextOpen, parseRange, zonedInstant, type Schedule } from '../ivr/hours.js'

/** 10-12 and 16-18, Monday to Friday, Europe/Rome, closed on Italian public holidays. */
export const DEFAULT_WINDOWS: Schedule = {
  days: {
    mon: ['10:00-12:00', '16:00-18:00'],
    tue: ['10:00-12:00', '16:00-18:00'],
    wed: ['10:00-12:00', '16:00-18:00'],
    thu: ['10:00-12:00', '16:00-18:00'],
    fri: ['10:00-12:00', '16:00-18:00'],
  },
  holidays: 'italy',
  timezone: DEFAULT_TIMEZONE,
}

/** How far ahead the next window is looked for (a campaign with no window for a year has none). */
export const WINDOW_HORIZON_DAYS = 366

/** Whether calls may be launched at t. */
export function inWindow(schedule: Schedule, t: number): boolean {
  return isOpen(schedule, t)
}

/** The end of the range open at t, as an instant; undefined when t is not in a window. */
function rangeEnd(schedule: Schedule, t: number): number | undefined {
  if (!isOpen(schedule, t)) return undefined
  const tz = schedule.timezone ?? DEFAULT_TIMEZONE
  const lt = localTime(t, tz)
  let to = -1
  for (const r of schedule.days[lt.weekday] ?? []) {
    const p = parseRange(r)
    if (p && lt.minutes >= p.from && lt.minutes < p.to && p.to > to) to = p.to
  }
  if (to < 0) return undefined
  // '24:00' is the next day's midnight: zonedInstant rolls the minutes over.
  return zonedInstant(lt.date, to, tz)
}

/**
 * When the window open at t closes (the first instant after t at which no call may be
 * launched); undefined when t is outside every window.
 */
export function windowEnd(schedule: Schedule, t: number): number | undefined {
  let end = rangeEnd(schedule, t)
  if (end === undefined) return undefined
  // Touching ranges continue the window, for a week at most (a window open round the clock
  // every day "closes" a week on: the caller only needs to know it is open well beyond now).
  const horizon = t + 7 * 86_400_000
  while (end < horizon) {
    const more = rangeEnd(schedule, end)
    if (more === undefined || more <= end) break
    end = more
  }
  return end
}

/**
 * The next instant a window opens, strictly after the window t is in (or after t when t is
 * outside every window); undefined when none opens within WINDOW_HORIZON_DAYS.
 */
export function nextWindowStart(schedule: Schedule, t: number, horizonDays = WINDOW_HORIZON_DAYS): number | undefined {
  const from = windowEnd(schedule, t) ?? t
  return nextOpen(schedule, from, horizonDays)
}

/**
 * The earliest instant at or after t when a call may be launched: t itself inside a window,
 * otherwise the next window start; undefined when no window opens within the horizon.
 */
export function dialableAt(schedule: Schedule, t: number, horizonDays = WINDOW_HORIZON_DAYS): number | undefined {
  return nextOpen(schedule, t, horizonDays)
}
