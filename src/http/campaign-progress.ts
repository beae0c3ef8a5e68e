/** The progress figures of a campaign (GET /api/campaigns/:id/progress), read from its store. */
import type { CampaignRecord, CampaignStore } from '../domain/campaign-store.js'
import { CONTACT_STATUSES } from '../domain/campaign-store.js'
import { nextWindowStart, windowEnd } from '../dialer/windows.js'
import { iso } from './schemas.js'

/** The progress figures of a campaign from the store. */
export async function progressOf(store: CampaignStore, r: CampaignRecord, now: number) {
  const id = r.config.id
  const [counts, stats, window, inFlight] = await Promise.all([store.counts(id), store.stats(id), store.abandonWindow(id, now, r.config.abandonWindowMs), store.inFlight(id)])
  const n = (v: number | undefined) => v ?? 0
  const by = stats.byOutcome
  const attempts = Object.values(by).reduce((a, b) => a + n(b), 0)
  const total = CONTACT_STATUSES.reduce((a, s) => a + counts[s], 0)
  const reached = n(by.reached)
  const c = stats.counters
  const strip = (x: Record<string, number | undefined>) => Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined)) as Record<string, number>
  return {
    campaignId: id,
    status: r.status,
    at: iso(now),
    contacts: { total, ...counts },
    attempts,
    byOutcome: strip(by),
    byAttempt: Object.fromEntries(Object.entries(stats.byAttempt).map(([k, v]) => [k, strip(v)])),
    byHour: Object.fromEntries(Object.entries(stats.byHour).map(([k, v]) => [k, strip(v)])),
    answered: reached + n(by.abandoned) + n(by.machine),
    human: c.human ?? reached + n(by.abandoned),
    machine: c.machine ?? n(by.machine),
    putThrough: n(c.put_through),
    transfers: n(c.transfers),
    abandon: { windowMs: r.config.abandonWindowMs, answers: window.answers, abandons: window.abandons, rate: window.answers > 0 ? window.abandons / window.answers : null, ceiling: r.config.abandonCeiling },
    reached,
    reachedRate: total > 0 ? reached / total : null,
    reachedFirstAttempt: n(stats.byAttempt[1]?.reached),
    inFlight,
    window: windowAt(r.config.windows, now),
    counters: c,
  }
}

/** The calling windows at `now`: open or not, when the open one closes, when the next one opens. */
function windowAt(windows: CampaignRecord['config']['windows'], now: number) {
  const closes = windowEnd(windows, now)
  const next = nextWindowStart(windows, now)
  return { open: closes !== undefined, closesAt: closes !== undefined ? iso(closes) : null, nextOpensAt: next !== undefined ? iso(next) : null }
}
