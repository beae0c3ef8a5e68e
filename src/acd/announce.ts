/**
 * Queue announcements (pure): what a waiting caller hears about their position, and when.
 */
import type { SectionDef } from '../domain/acd.js'
import { prompt, type MediaItem } from '../domain/media.js'

/** "You are next" / "There is one caller ahead" / "There are N callers ahead of you". */
export function positionItems(ahead: number): MediaItem[] {
  if (ahead <= 0) return [prompt('queue_next')]
  if (ahead === 1) return [prompt('queue_ahead_one')]
  return [prompt('queue_ahead_prefix'), { kind: 'number', value: String(ahead) }, prompt('queue_ahead_suffix')]
}

/**
 * Time of the next periodic announcement, or undefined when the section announces only on
 * entry (or not at all). Periods count from the last announcement, or from entry.
 */
export function nextAnnouncementAt(policy: SectionDef['announce'], enteredAt: number, lastAt?: number): number | undefined {
  if (!policy.position || policy.everySec <= 0) return undefined
  return (lastAt ?? enteredAt) + policy.everySec * 1000
}
