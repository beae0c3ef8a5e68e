/**
 * Queue statistics from the call event log (pure: events in, figures out).
 *
 * A "stay" is a caller's time in one section's queue: it starts with queue.entered and ends
 * with queue.connected (answered), queue.abandoned or call.ended while still queued
 * (abandoned), or another queue.entered of the same call (moved on: neither). Waits are
 * measured from this section's queue.entered, so a caller transferred with its original
 * entry time does not inflate the second section's waits. A stay counts in the interval in
 * which it started (the usual "offered" cohort), whenever it ended, so abandon rate and
 * service level compare the same callers.
 *
 * - offered: stays started in the interval;
 * - answered, abandoned; abandonRate = abandoned / (answered + abandoned);
 * - serviceLevel = answered within the section's target / (answered + abandoned)
 *   (abandoned callers count against it whenever they hung up; target: the section's
 *   serviceLevel.withinSec, else 20 s);
 * - avgWaitMs / longestWaitMs over answered and abandoned stays; avgAnswerMs over answered;
 * - avgHandleMs: talk time from queue.connected to the call's next call.transferred or
 *   call.ended (wrap-up is not in the log); handled = how many talks were measured.
 * Rates are fractions (0..1) rounded to 4 places, null when nothing was answered or abandoned.
 */
import { csvCell } from '../domain/csv.js'
import type { CallEvent } from '../domain/events.js'

export const DEFAULT_TARGET_SEC = 20

export const INTERVALS = { '5m': 300_000, '15m': 900_000, '30m': 1_800_000, '1h': 3_600_000 } as const
export type IntervalName = keyof typeof INTERVALS | 'all'

export interface StatsOptions {
  /** Start of the first interval (ms, inclusive). */
  from: number
  /** End of the range (ms, exclusive). */
  to: number
  /** Interval length in ms, aligned on multiples of it since the epoch; 'all' = one row per section. */
  intervalMs: number | 'all'
  /** Sections to report (default: the known ones plus any found in the events). */
  sections?: string[]
  /** Sections reported even when they had no traffic, in this order. */
  known?: string[]
  /** Service-level target per section, in seconds. */
  targets?: Record<string, number>
  defaultTargetSec?: number
}

export interface StatsRow {
  section: string
  /** Interval start and end (ms). */
  from: number
  to: number
  offered: number
  answered: number
  abandoned: number
  abandonRate: number | null
  targetSec: number
  answeredWithinTarget: number
  serviceLevel: number | null
  avgWaitMs: number | null
  longestWaitMs: number | null
  avgAnswerMs: number | null
  avgHandleMs: number | null
  handled: number
}

export interface QueueStay {
  callId: string
  section: string
  enteredAt: number
  outcome?: 'answered' | 'abandoned' | 'moved'
  endedAt?: number
  connectedAt?: number
  handleMs?: number
}

/** Follows every call through the log and returns its queue stays. */
export function queueStays(events: readonly CallEvent[]): QueueStay[] {
  const ordered = events.map((e, i) => ({ e, i })).sort((a, b) => a.e.at - b.e.at || a.i - b.i)
  const stays: QueueStay[] = []
  const queued = new Map<string, QueueStay>()
  const talking = new Map<string, QueueStay>()
  const endTalk = (callId: string, at: number) => {
    const s = talking.get(callId)
    if (!s) return
    talking.delete(callId)
    s.handleMs = Math.max(0, at - s.connectedAt!)
  }
  for (const { e } of ordered) {
    switch (e.type) {
      case 'queue.entered': {
        const prev = queued.get(e.callId)
        if (prev) close(prev, 'moved', e.at)
        const s: QueueStay = { callId: e.callId, section: e.section, enteredAt: e.at }
        stays.push(s)
        queued.set(e.callId, s)
        break
      }
      case 'queue.connected': {
        const s = queued.get(e.callId)
        if (!s) break
        queued.delete(e.callId)
        close(s, 'answered', e.at)
        s.connectedAt = e.at
        talking.set(e.callId, s)
        break
      }
      case 'queue.abandoned': {
        const s = queued.get(e.callId)
        if (!s) break
        queued.delete(e.callId)
        close(s, 'abandoned', e.at)
        break
      }
      case 'call.transferred':
        endTalk(e.callId, e.at)
        break
      case 'call.ended': {
        endTalk(e.callId, e.at)
        const s = queued.get(e.callId)
        if (s) {
          queued.delete(e.callId)
          close(s, 'abandoned', e.at)
        }
        break
      }
      default:
        break
    }
  }
  return stays
}

function close(s: QueueStay, outcome: NonNullable<QueueStay['outcome']>, at: number): void {
  s.outcome = outcome
  s.endedAt = at
}

/** Statistics per section and interval, sections in the order known, then found; intervals ascending. */
export function computeStats(events: readonly CallEvent[], o: StatsOptions): StatsRow[] {
  const stays = queueStays(events).filter((s) => s.enteredAt >= o.from && s.enteredAt < o.to)
  const sections = o.sections ?? [...new Set([...(o.known ?? []), ...stays.map((s) => s.section).sort()])]
  const wanted = new Set(sections)
  const starts = intervalStarts(o.from, o.to, o.intervalMs)
  const cells = new Map<string, QueueStay[]>()
  for (const s of stays) {
    if (!wanted.has(s.section)) continue
    const k = `${s.section}\u0000${bucketOf(s.enteredAt, o.from, o.intervalMs)}`
    let l = cells.get(k)
    if (!l) cells.set(k, (l = []))
    l.push(s)
  }
  const rows: StatsRow[] = []
  for (const section of sections) {
    const targetSec = o.targets?.[section] ?? o.defaultTargetSec ?? DEFAULT_TARGET_SEC
    for (let i = 0; i < starts.length; i++) {
      const from = starts[i]!
      const to = i + 1 < starts.length ? starts[i + 1]! : o.to
      rows.push(summarise(section, from, to, targetSec, cells.get(`${section}\u0000${from}`) ?? []))
    }
  }
  return rows
}

/** One row per section over the whole range (the totals of computeStats' rows). */
export function computeTotals(events: readonly CallEvent[], o: Omit<StatsOptions, 'intervalMs'>): StatsRow[] {
  return computeStats(events, { ...o, intervalMs: 'all' })
}

export function summarise(section: string, from: number, to: number, targetSec: number, stays: readonly QueueStay[]): StatsRow {
  const answered = stays.filter((s) => s.outcome === 'answered')
  const abandoned = stays.filter((s) => s.outcome === 'abandoned')
  const resolved = [...answered, ...abandoned]
  const wait = (s: QueueStay) => s.endedAt! - s.enteredAt
  const withinTarget = answered.filter((s) => wait(s) <= targetSec * 1000).length
  const handled = answered.filter((s) => s.handleMs !== undefined)
  return {
    section,
    from,
    to,
    offered: stays.length,
    answered: answered.length,
    abandoned: abandoned.length,
    abandonRate: ratio(abandoned.length, resolved.length),
    targetSec,
    answeredWithinTarget: withinTarget,
    serviceLevel: ratio(withinTarget, resolved.length),
    avgWaitMs: mean(resolved.map(wait)),
    longestWaitMs: resolved.length ? Math.max(...resolved.map(wait)) : null,
    avgAnswerMs: mean(answered.map(wait)),
    avgHandleMs: mean(handled.map((s) => s.handleMs!)),
    handled: handled.length,
  }
}

function ratio(n: number, d: number): number | null {
  return d === 0 ? null : Math.round((n / d) * 10_000) / 10_000
}

function mean(xs: number[]): number | null {
  return xs.length === 0 ? null : Math.round(xs.reduce((a, b) => a + b, 0) / xs.length)
}

function bucketOf(at: number, from: number, intervalMs: number | 'all'): number {
  if (intervalMs === 'all') return from
  return Math.max(from, Math.floor(at / intervalMs) * intervalMs)
}

/** Interval starts covering [from, to): the first is `from`, the next ones on multiples of intervalMs. */
export function intervalStarts(from: number, to: number, intervalMs: number | 'all'): number[] {
  if (to <= from) return []
  if (intervalMs === 'all') return [from]
  const out = [from]
  for (let t = (Math.floor(from / intervalMs) + 1) * intervalMs; t < to; t += intervalMs) out.push(t)
  return out
}

export const CSV_COLUMNS: ReadonlyArray<keyof StatsRow> = [
  'section',
  'from',
  'to',
  'offered',
  'answered',
  'abandoned',
  'abandonRate',
  'targetSec',
  'answeredWithinTarget',
  'serviceLevel',
  'avgWaitMs',
  'longestWaitMs',
  'avgAnswerMs',
  'avgHandleMs',
  'handled',
]

/** One CSV cell (src/domain/csv.ts); CRLF line ends. */
export const csvField = csvCell

/** CSV with a header row; times as ISO 8601 (UTC). */
export function statsCsv(rows: readonly StatsRow[]): string {
  const lines = [CSV_COLUMNS.join(',')]
  for (const r of rows) {
    lines.push(CSV_COLUMNS.map((c) => csvField(c === 'from' || c === 'to' ? new Date(r[c]).toISOString() : r[c])).join(','))
  }
  return `${lines.join('\r\n')}\r\n`
}
