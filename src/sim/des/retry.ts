/**
 * Retries in the simulator are the campaign's own (src/dialer/retry.ts): per-outcome delay and
 * attempts, the campaign's hard cap, invalid numbers never again, the abandoned number's 5-day
 * cooldown, and next attempts moved to the next window start.
 *
 * nextAttempt does calendar arithmetic (Intl) on every call; a replay makes a million of them.
 * Decisions are therefore computed once per virtual minute for each (outcome, attempts) and
 * shifted by the offset inside the minute when the retry was not moved to a window start;
 * contacts in a cooldown (abandoned) are always decided afresh. The simulator only dials inside
 * windows, so a retry that the shift leaves just outside one waits for the next window, as
 * nextAttempt would have said.
 */
import type { DialOutcome } from '../../domain/campaign.js'
import { nextAttempt, ruleFor, type RetryCampaign } from '../../dialer/retry.js'
import type { RetryFn, RetryResult } from './types.js'

export function campaignRetry(campaign: RetryCampaign): RetryFn {
  const cache = new Map<string, RetryResult>()
  let minute = Number.NaN
  return (contact, outcome, now) => {
    if (contact.cooldownUntil !== undefined || outcome === 'abandoned' || outcome === 'reached') return nextAttempt(contact, outcome, now, campaign)
    const t = Math.floor(now / 60_000) * 60_000
    if (t !== minute) {
      cache.clear()
      minute = t
    }
    const key = `${outcome}:${contact.attempts}`
    let d = cache.get(key)
    if (!d) {
      d = nextAttempt({ attempts: contact.attempts }, outcome, t, campaign)
      cache.set(key, d)
    }
    if (d.status !== 'pending') return d
    const delayMs = ruleFor(outcome as Exclude<DialOutcome, 'reached'>, campaign.retries).delayMinutes * 60_000
    return d.nextAt === t + delayMs ? { ...d, nextAt: now + delayMs } : d
  }
}
