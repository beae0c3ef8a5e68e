/** The demo's simulated start time: now if it is a working morning or afternoon in Rome, else the next working day at 10:00. */
import { italianHolidays, localTime, zonedInstant } from '../ivr/hours.js'

export function officeMorning(now: number): number {
  const open = (t: number) => {
    const lt = localTime(t)
    const minutes = lt.minutes
    return lt.weekday !== 'sat' && lt.weekday !== 'sun' && !italianHolidays(Number(lt.date.slice(0, 4))).includes(lt.date) && minutes >= 8 * 60 + 30 && minutes < 16 * 60
  }
  if (open(now)) return now
  for (let d = 0; d < 14; d++) {
    const t = now + d * 86_400_000
    const date = localTime(t).date
    const candidate = zonedInstant(date, 10 * 60)
    if (candidate > now && open(candidate)) return candidate
  }
  return now
}
