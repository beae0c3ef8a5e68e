/**
 * Retry scheduling (pure): after an attempt, what becomes of the contact.
 *
 * - reached → done.
 * - invalid → failed at once (the number cannot be reached; never retried, whatever the rules).
 * - otherwise the outcome's rule applies: the contact is dialed again after `delayMinutes`,
 *   unless it has had `maxAttempts` attempts in all (the rule of its latest outcome decides,
 *   as RetryRule says: "at most how many attempts in all"), and never beyond the campaign's
 *   `maxAttempts` (a hard cap whatever the outcomes). Exhausted → failed.
 * - a next attempt that would fall outside the calling windows is moved to the next window
 *   start; no window within a year → failed ('no calling window ahead').
 *
 * The abandoned rule (a person answered and no agent was free): the number is not called
 * again for `abandonedCooldownMs` (default 5 days) unless an agent is reserved for it first.
 * This module exposes it as `cooldownUntil` (kept on the contact, Contact.cooldownUntil) and
 * makes `nextAt` honour it, so a dialer that only follows nextAt cannot break the rule; the
 * service may call such a contact earlier only after reserving an agent for it
 * (requiresReservedAgent() says when that is needed). A cooldown outlives later outcomes:
 * a reserved-agent call that gets no answer leaves the contact in cooldown until it ends.
 *
 * `contact.attempts` counts the attempt being classified (it is incremented when the dial
 * starts), and `now` is when that attempt ended.
 */
import type { CampaignConfig, Contact, DialOutcome, RetryRule, RetryRules } from '../domain/campaign.js'
import { dialableAt } from './windows.js'

export type RetryOutcome = Exclude<DialOutcome, 'reached'>

/** busy 10 min ×5, no answer 2 h ×4, machine 4 h ×3, abandoned ×3 (after its cooldown), failed 30 min ×3, invalid never. */
export const DEFAULT_RETRIES: Readonly<Record<RetryOutcome, RetryRule>> = {
  busy: { delayMinutes: 10, maxAttempts: 5 },
  no_answer: { delayMinutes: 120, maxAttempts: 4 },
  machine: { delayMinutes: 240, maxAttempts: 3 },
  abandoned: { delayMinutes: 0, maxAttempts: 3 },
  failed: { delayMinutes: 30, maxAttempts: 3 },
  invalid: { delayMinutes: 0, maxAttempts: 1 },
}

export const DEFAULT_ABANDONED_COOLDOWN_MS = 5 * 24 * 3600_000

export interface RetryDecision {
  status: 'done' | 'pending' | 'failed'
  /** Earliest next attempt (epoch ms) when pending; 0 otherwise. */
  nextAt: number
  /** Why, for the contact's history and the export. */
  reason: string
  /** Until then the contact may be dialed only with an agent reserved first (abandoned rule). */
  cooldownUntil?: number
}

export type RetryCampaign = Pick<CampaignConfig, 'retries' | 'maxAttempts' | 'windows' | 'abandonedCooldownMs'>

/** The rule for an outcome: the campaign's, completed by the defaults. */
export function ruleFor(outcome: RetryOutcome, rules: RetryRules | undefined): RetryRule {
  return { ...DEFAULT_RETRIES[outcome], ...(rules?.[outcome] ?? {}) }
}

/** What becomes of the contact after an attempt that ended with outcome at now. */
export function nextAttempt(contact: Pick<Contact, 'attempts' | 'cooldownUntil'>, outcome: DialOutcome, now: number, campaign: RetryCampaign): RetryDecision {
  let cooldownUntil = contact.cooldownUntil !== undefined && contact.cooldownUntil > now ? contact.cooldownUntil : undefined
  if (outcome === 'abandoned') cooldownUntil = Math.max(cooldownUntil ?? 0, now + campaign.abandonedCooldownMs)
  const decide = (d: RetryDecision): RetryDecision => (cooldownUntil !== undefined && d.status === 'pending' ? { ...d, cooldownUntil } : d)
  if (outcome === 'reached') return { status: 'done', nextAt: 0, reason: 'reached' }
  if (outcome === 'invalid') return { status: 'failed', nextAt: 0, reason: 'invalid number' }
  if (contact.attempts >= campaign.maxAttempts) return { status: 'failed', nextAt: 0, reason: `${outcome}: ${contact.attempts} attempts, the campaign's maximum` }
  const rule = ruleFor(outcome, campaign.retries)
  if (contact.attempts >= rule.maxAttempts) return { status: 'failed', nextAt: 0, reason: `${outcome}: ${contact.attempts} attempts, at most ${rule.maxAttempts} after ${outcome}` }
  const earliest = Math.max(now + rule.delayMinutes * 60_000, cooldownUntil ?? 0)
  const at = dialableAt(campaign.windows, earliest)
  if (at === undefined) return { status: 'failed', nextAt: 0, reason: 'no calling window ahead' }
  return decide({ status: 'pending', nextAt: at, reason: at > earliest ? `${outcome}: retry at the next window` : `${outcome}: retry` })
}

/** An abandoned contact still in its cooldown may be dialed only with an agent reserved for it first. */
export function requiresReservedAgent(contact: Pick<Contact, 'cooldownUntil'>, now: number): boolean {
  return contact.cooldownUntil !== undefined && now < contact.cooldownUntil
}
