/**
 * Calling windows as a list of open intervals in virtual time, computed once from a campaign's
 * Schedule through src/ivr/hours.ts (zone, weekdays, Italian holidays, closed dates), so the
 * simulator never asks the calendar per event.
 */
import { DEFAULT_TIMEZONE, localTime, nextOpen, parseRange, zonedInstant, type Schedule } from '../../ivr/hours.js'

export interface OpenInterval {
  start: number
  end: number
  /** Local date of the window, 'YYYY-MM-DD' (the day its statistics belong to). */
  date: string
}

/** Every open interval that starts in [from, to), in order (ranges that touch, 10-12 and 12-14, stay two). */
export function openIntervals(schedule: Schedule, from: number, to: number): OpenInterval[] {
  const tz = schedule.timezone ?? DEFAULT_TIMEZONE
  const out: OpenInterval[] = []
  let t = from
  while (t < to) {
    const start = nextOpen(schedule, t, 60)
    if (start === undefined || start >= to) break
    const lt = localTime(start, tz)
    let end: number | undefined
    for (const r of schedule.days[lt.weekday] ?? []) {
      const p = parseRange(r)
      if (p && lt.minutes >= p.from && lt.minutes < p.to) {
        const e = zonedInstant(lt.date, p.to, tz)
        end = end === undefined ? e : Math.max(end, e)
      }
    }
    if (end === undefined || end <= start) end = start + 60_000
    out.push({ start, end, date: lt.date })
    t = end
  }
  return out
}

/** Total time inside the intervals that overlaps [a, b). */
export function overlap(intervals: readonly OpenInterval[], a: number, b: number): number {
  if (b <= a) return 0
  let lo = 0
  let hi = intervals.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (intervals[mid]!.end <= a) lo = mid + 1
    else hi = mid
  }
  let sum = 0
  for (let i = lo; i < intervals.length && intervals[i]!.start < b; i++) {
    const w = intervals[i]!
    sum += Math.max(0, Math.min(b, w.end) - Math.max(a, w.start))
  }
  return sum
}
