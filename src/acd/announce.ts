/**
 * Queue announcements (pure): what a waiting caller hears about their position and wait, and
 * when.
 *
 * Schedule (per section, SectionDef.announce): one announcement on entry (onEntry), then one
 * every `everySec` counted from the start of the previous one, but never less than
 * `minGapSec` of music after the end of the previous one (a long announcement with a short
 * period would otherwise leave the caller no music at all). A section that announces neither
 * position nor wait announces nothing.
 *
 * Callers ahead never grow between two announcements of the same queue stay: the number can
 * rise for reasons that do not put the caller further back in line — an earlier caller whose
 * agent did not answer goes back to waiting, agents log out or pause so that pools which did
 * not overlap now do, relaxation widens other callers' pools — and hearing "5 ahead" after
 * "3 ahead" reads as being overtaken. So the announced value is the smaller of the last one
 * and the real count; only a change of the caller's own priority (re-prioritised: the
 * service order itself changed) starts again from the real count. A transfer is a new queue
 * stay, announced afresh.
 *
 * Wait rounding: under a minute, "less than a minute"; up to 90 s "about one minute"; then
 * whole minutes up to 10, steps of 5 minutes above; beyond the cap "more than <cap> minutes".
 */
import type { AnnouncePolicy } from '../domain/acd.js'
import { prompt, type MediaItem } from '../domain/media.js'

/** "You are next" / "There is one caller ahead" / "There are N callers ahead of you". */
export function positionItems(ahead: number): MediaItem[] {
  if (ahead <= 0) return [prompt('queue_next')]
  if (ahead === 1) return [prompt('queue_ahead_one')]
  return [prompt('queue_ahead_prefix'), { kind: 'number', value: String(ahead) }, prompt('queue_ahead_suffix')]
}

export type WaitPhrase = { kind: 'under_minute' } | { kind: 'one_minute' } | { kind: 'about'; minutes: number } | { kind: 'over'; minutes: number }

export const DEFAULT_WAIT_CAP_MIN = 20

/** Rounds an estimate (seconds) to what is said. */
export function waitPhrase(sec: number, capMin = DEFAULT_WAIT_CAP_MIN): WaitPhrase {
  if (sec < 60) return { kind: 'under_minute' }
  const min = sec / 60
  if (min > capMin) return { kind: 'over', minutes: capMin }
  if (sec < 90) return { kind: 'one_minute' }
  if (min < 10) return { kind: 'about', minutes: Math.round(min) }
  return { kind: 'about', minutes: Math.min(capMin, Math.max(10, Math.round(min / 5) * 5)) }
}

export function waitItems(p: WaitPhrase): MediaItem[] {
  switch (p.kind) {
    case 'under_minute':
      return [prompt('queue_wait_under_minute')]
    case 'one_minute':
      return [prompt('queue_wait_one_minute')]
    case 'about':
      return [prompt('queue_wait_about'), { kind: 'number', value: String(p.minutes) }, prompt('queue_wait_minutes')]
    case 'over':
      return [prompt('queue_wait_over'), { kind: 'number', value: String(p.minutes) }, prompt('queue_wait_minutes')]
  }
}

/** What the caller last heard about its position, and at which priority. */
export interface LastAhead {
  ahead: number
  priority: number
}

/** The number to announce: never more than last time unless the caller's priority changed. */
export function announcedAhead(last: LastAhead | undefined, ahead: number, priority: number): number {
  if (!last || last.priority !== priority) return ahead
  return Math.min(last.ahead, ahead)
}

/** The media of one announcement under the section's policy (position and/or wait). */
export function announcementItems(policy: AnnouncePolicy, ahead: number | undefined, waitSec: number | undefined): MediaItem[] {
  const out: MediaItem[] = []
  if (policy.position && ahead !== undefined) out.push(...positionItems(ahead))
  if (policy.wait && waitSec !== undefined) out.push(...waitItems(waitPhrase(waitSec, policy.waitCapMin ?? DEFAULT_WAIT_CAP_MIN)))
  return out
}

export interface AnnounceTimes {
  enteredAt: number
  /** Start and end of the last announcement, if any. */
  lastStartAt?: number
  lastEndAt?: number
}

function announces(p: AnnouncePolicy): boolean {
  return p.position || p.wait === true
}

/** Whether to announce on entry. */
export function announceOnEntry(p: AnnouncePolicy): boolean {
  return p.onEntry && announces(p)
}

/** Time of the next periodic announcement, or undefined when there is none. */
export function nextAnnouncementAt(p: AnnouncePolicy, t: AnnounceTimes): number | undefined {
  if (!announces(p) || p.everySec <= 0) return undefined
  const byPeriod = (t.lastStartAt ?? t.enteredAt) + p.everySec * 1000
  if (t.lastEndAt === undefined) return byPeriod
  return Math.max(byPeriod, t.lastEndAt + (p.minGapSec ?? 0) * 1000)
}
