/**
 * The in-memory CampaignStore: one engine's dialer state (the demo, tests, the simulator).
 * Same contract as the Redis store; single-threaded JavaScript makes every method atomic, as
 * none awaits in the middle. Due contacts sit in a binary heap ordered by (nextAt, seq) with
 * lazy deletion (an entry is stale once its contact's due version moved on), so claimDue is
 * O(log n) per contact like the Redis sorted set.
 */
import { RealClock, type Clock } from '../../domain/clock.js'
import { AppError } from '../../domain/errors.js'
import { DIAL_OUTCOMES, type CampaignConfig, type CampaignStatus, type ContactStatus } from '../../domain/campaign.js'
import {
  emptyCounts,
  minuteOf,
  windowStartMinute,
  type AbandonWindow,
  type AddContactsResult,
  type AttemptResult,
  type CampaignRecord,
  type CampaignStats,
  type CampaignStore,
  type NewContact,
  type ScanPage,
  type StoredContact,
} from '../../domain/campaign-store.js'

export interface MemoryCampaignStoreOptions {
  /** Minute buckets of the abandon window older than this before the newest answer are dropped (default 25 h). */
  windowRetentionMs?: number
}

interface DueItem {
  nextAt: number
  seq: number
  id: string
  version: number
}

const before = (a: DueItem, b: DueItem) => a.nextAt < b.nextAt || (a.nextAt === b.nextAt && a.seq < b.seq)

/** A binary min-heap of due items. */
class DueHeap {
  private readonly a: DueItem[] = []

  push(x: DueItem): void {
    const a = this.a
    a.push(x)
    let i = a.length - 1
    while (i > 0) {
      const p = (i - 1) >> 1
      if (!before(a[i]!, a[p]!)) break
      ;[a[i], a[p]] = [a[p]!, a[i]!]
      i = p
    }
  }

  peek(): DueItem | undefined {
    return this.a[0]
  }

  pop(): DueItem | undefined {
    const a = this.a
    const top = a[0]
    const last = a.pop()
    if (a.length > 0 && last) {
      a[0] = last
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < a.length && before(a[l]!, a[m]!)) m = l
        if (r < a.length && before(a[r]!, a[m]!)) m = r
        if (m === i) break
        ;[a[i], a[m]] = [a[m]!, a[i]!]
        i = m
      }
    }
    return top
  }
}

interface CampaignState {
  record: CampaignRecord
  contacts: Map<string, StoredContact>
  order: string[]
  due: DueHeap
  /** Contact id -> the version of its live heap entry (absent: not due). */
  dueVersion: Map<string, number>
  versions: number
  dialing: Map<string, number>
  counts: Record<ContactStatus, number>
  engines: Map<string, number>
  stats: CampaignStats
  window: Map<number, AbandonWindow>
}

const copyContact = (c: StoredContact): StoredContact => structuredClone(c)

function checkOutcome(o: string | undefined): void {
  if (o !== undefined && !DIAL_OUTCOMES.includes(o as never)) throw new RangeError(`unknown dial outcome ${JSON.stringify(o)}`)
}

class MemoryCampaignStore implements CampaignStore {
  private readonly campaigns = new Map<string, CampaignState>()
  private readonly optOut = new Set<string>()
  private readonly abandoned = new Map<string, number>()
  private readonly retentionMs: number
  /** Claims so far per contact, kept after the lock is dropped (the next claim's number). */
  private readonly claims = new WeakMap<StoredContact, number>()

  constructor(
    private readonly clock: Clock,
    o: MemoryCampaignStoreOptions,
  ) {
    this.retentionMs = o.windowRetentionMs ?? 25 * 3600_000
  }

  // --- campaigns

  async put(config: CampaignConfig, at: number = this.clock.now()): Promise<void> {
    const s = this.campaigns.get(config.id)
    if (s) {
      s.record.config = structuredClone(config)
      return
    }
    this.campaigns.set(config.id, {
      record: { config: structuredClone(config), status: 'draft', createdAt: at, history: [{ status: 'draft', at }] },
      contacts: new Map(),
      order: [],
      due: new DueHeap(),
      dueVersion: new Map(),
      versions: 0,
      dialing: new Map(),
      counts: emptyCounts(),
      engines: new Map(),
      stats: { byOutcome: {}, byAttempt: {}, byHour: {}, counters: {} },
      window: new Map(),
    })
  }

  async get(id: string): Promise<CampaignRecord | undefined> {
    const s = this.campaigns.get(id)
    return s && structuredClone(s.record)
  }

  async list(): Promise<CampaignRecord[]> {
    return [...this.campaigns.values()]
      .map((s) => structuredClone(s.record))
      .sort((a, b) => a.createdAt - b.createdAt || (a.config.id < b.config.id ? -1 : a.config.id > b.config.id ? 1 : 0))
  }

  async setStatus(id: string, status: CampaignStatus, at: number, from?: CampaignStatus[]): Promise<CampaignRecord | undefined> {
    const s = this.campaigns.get(id)
    if (!s || (from && !from.includes(s.record.status))) return undefined
    if (s.record.status !== status) {
      s.record.status = status
      s.record.history.push({ status, at })
    }
    return structuredClone(s.record)
  }

  // --- contacts

  async addContacts(campaignId: string, contacts: NewContact[]): Promise<AddContactsResult> {
    const s = this.campaigns.get(campaignId)
    if (!s) throw new AppError('NOT_FOUND', `campaign ${campaignId} not found`)
    for (const c of contacts) if (c.status === 'dialing') throw new RangeError('a new contact cannot be dialing')
    let added = 0
    let merged = 0
    for (const c of contacts) {
      const old = s.contacts.get(c.id)
      if (old) {
        old.lines.push(...c.lines)
        merged++
        continue
      }
      const stored: StoredContact = {
        id: c.id,
        campaignId,
        number: c.number,
        ...(c.name !== undefined ? { name: c.name } : {}),
        ...(c.consent !== undefined ? { consent: c.consent } : {}),
        fields: { ...c.fields },
        lines: [...c.lines],
        status: c.status ?? 'pending',
        attempts: c.attempts ?? 0,
        nextAt: c.nextAt ?? 0,
        outcomes: [...(c.outcomes ?? [])],
        ...(c.lastOutcome !== undefined ? { lastOutcome: c.lastOutcome } : {}),
        ...(c.reachedAt !== undefined ? { reachedAt: c.reachedAt } : {}),
        ...(c.cooldownUntil !== undefined ? { cooldownUntil: c.cooldownUntil } : {}),
        seq: s.order.length + 1,
      }
      s.contacts.set(c.id, stored)
      s.order.push(c.id)
      s.counts[stored.status]++
      if (stored.status === 'pending') this.schedule(s, stored)
      added++
    }
    return { added, merged }
  }

  async excludeContacts(campaignId: string, contactIds: string[]): Promise<number> {
    const s = this.campaigns.get(campaignId)
    if (!s) return 0
    let changed = 0
    for (const id of contactIds) {
      const c = s.contacts.get(id)
      if (!c) continue
      const was = c.consent
      c.consent = false
      if (c.status === 'pending') {
        s.dueVersion.delete(id)
        c.status = 'excluded'
        s.counts.pending--
        s.counts.excluded++
        changed++
      } else if (was !== false) changed++
    }
    return changed
  }

  async getContact(campaignId: string, contactId: string): Promise<StoredContact | undefined> {
    const c = this.campaigns.get(campaignId)?.contacts.get(contactId)
    return c && copyContact(c)
  }

  async scan(campaignId: string, cursor: string, count: number): Promise<ScanPage> {
    const s = this.campaigns.get(campaignId)
    const from = Number(cursor)
    if (!Number.isSafeInteger(from) || from < 0) throw new RangeError(`bad scan cursor ${JSON.stringify(cursor)}`)
    if (!s) return { contacts: [], cursor: '0' }
    const ids = s.order.slice(from, from + Math.max(1, count))
    const next = from + ids.length
    return { contacts: ids.map((id) => copyContact(s.contacts.get(id)!)), cursor: next >= s.order.length ? '0' : String(next) }
  }

  async counts(campaignId: string): Promise<Record<ContactStatus, number>> {
    return { ...(this.campaigns.get(campaignId)?.counts ?? emptyCounts()) }
  }

  // --- scheduling

  async claimDue(campaignId: string, now: number, n: number, engineId: string, leaseMs: number): Promise<StoredContact[]> {
    if (!(leaseMs > 0)) throw new RangeError('leaseMs must be > 0')
    const s = this.campaigns.get(campaignId)
    const out: StoredContact[] = []
    if (!s) return out
    const until = now + leaseMs
    const limit = Math.floor(n)
    while (out.length < limit) {
      const top = this.liveTop(s)
      if (!top || top.nextAt > now) break
      s.due.pop()
      s.dueVersion.delete(top.id)
      const c = s.contacts.get(top.id)!
      c.status = 'dialing'
      const claim = (this.claims.get(c) ?? 0) + 1
      this.claims.set(c, claim)
      c.lock = { engineId, until, claim }
      s.dialing.set(c.id, until)
      s.counts.pending--
      s.counts.dialing++
      s.engines.set(engineId, (s.engines.get(engineId) ?? 0) + 1)
      out.push(copyContact(c))
    }
    return out
  }

  async nextDueAt(campaignId: string): Promise<number | undefined> {
    const s = this.campaigns.get(campaignId)
    return s && this.liveTop(s)?.nextAt
  }

  async renewLocks(campaignId: string, engineId: string, contactIds: string[], until: number): Promise<number> {
    const s = this.campaigns.get(campaignId)
    if (!s) return 0
    let n = 0
    for (const id of contactIds) {
      const c = s.contacts.get(id)
      if (!c || c.status !== 'dialing' || c.lock?.engineId !== engineId) continue
      c.lock.until = until
      s.dialing.set(id, until)
      n++
    }
    return n
  }

  async complete(campaignId: string, contactId: string, engineId: string, r: AttemptResult): Promise<StoredContact | undefined> {
    checkOutcome(r.outcome)
    if ((r.status as ContactStatus) === 'dialing') throw new RangeError('complete cannot leave a contact dialing')
    const s = this.campaigns.get(campaignId)
    const c = s?.contacts.get(contactId)
    if (!s || !c || c.status !== 'dialing' || c.lock?.engineId !== engineId || (r.claim !== undefined && c.lock.claim !== r.claim)) return undefined
    this.unlock(s, c, engineId)
    if (r.outcome !== undefined) {
      c.attempts++
      c.outcomes.push(r.outcome)
      c.lastOutcome = r.outcome
      if (r.outcome === 'reached') c.reachedAt = r.at
      const st = s.stats
      st.byOutcome[r.outcome] = (st.byOutcome[r.outcome] ?? 0) + 1
      const byA = (st.byAttempt[c.attempts] ??= {})
      byA[r.outcome] = (byA[r.outcome] ?? 0) + 1
      if (r.hour !== undefined) {
        const byH = (st.byHour[r.hour] ??= {})
        byH[r.outcome] = (byH[r.outcome] ?? 0) + 1
      }
    }
    c.status = r.status
    if (r.nextAt !== undefined) c.nextAt = r.nextAt
    if (r.cooldownUntil !== undefined) c.cooldownUntil = r.cooldownUntil
    s.counts.dialing--
    s.counts[c.status]++
    if (c.status === 'pending') this.schedule(s, c)
    return copyContact(c)
  }

  async releaseExpired(campaignId: string, now: number, limit = 1000): Promise<string[]> {
    const s = this.campaigns.get(campaignId)
    if (!s) return []
    const expired = [...s.dialing].filter(([, until]) => until <= now).sort((a, b) => a[1] - b[1]).slice(0, Math.max(1, Math.floor(limit)))
    for (const [id] of expired) {
      const c = s.contacts.get(id)!
      this.unlock(s, c, c.lock!.engineId)
      c.status = 'pending'
      c.releases = (c.releases ?? 0) + 1
      s.counts.dialing--
      s.counts.pending++
      this.schedule(s, c)
    }
    return expired.map(([id]) => id)
  }

  async inFlight(campaignId: string): Promise<Record<string, number>> {
    return Object.fromEntries(this.campaigns.get(campaignId)?.engines ?? [])
  }

  // --- opt-out and abandoned numbers

  async addOptOut(numbers: string[]): Promise<number> {
    let n = 0
    for (const x of numbers) {
      if (this.optOut.has(x)) continue
      this.optOut.add(x)
      n++
    }
    return n
  }

  async removeOptOut(numbers: string[]): Promise<number> {
    let n = 0
    for (const x of numbers) if (this.optOut.delete(x)) n++
    return n
  }

  async isOptedOut(numbers: string[]): Promise<Set<string>> {
    return new Set(numbers.filter((x) => this.optOut.has(x)))
  }

  async optOutCount(): Promise<number> {
    return this.optOut.size
  }

  async markAbandoned(number: string, until: number): Promise<void> {
    const old = this.abandoned.get(number)
    if (old === undefined || until > old) this.abandoned.set(number, until)
  }

  async abandonedUntil(number: string): Promise<number | undefined> {
    return this.abandoned.get(number)
  }

  async pruneAbandoned(now: number): Promise<number> {
    let n = 0
    for (const [k, until] of this.abandoned) {
      if (until > now) continue
      this.abandoned.delete(k)
      n++
    }
    return n
  }

  // --- statistics

  async stats(campaignId: string): Promise<CampaignStats> {
    const s = this.campaigns.get(campaignId)
    return s ? structuredClone(s.stats) : { byOutcome: {}, byAttempt: {}, byHour: {}, counters: {} }
  }

  async bump(campaignId: string, counters: Record<string, number>): Promise<void> {
    const s = this.campaigns.get(campaignId)
    if (!s) return
    for (const [k, v] of Object.entries(counters)) {
      if (!Number.isSafeInteger(v)) throw new RangeError(`counter ${k}: not an integer`)
      s.stats.counters[k] = (s.stats.counters[k] ?? 0) + v
    }
  }

  async recordAnswer(campaignId: string, at: number, abandoned: boolean): Promise<void> {
    const s = this.campaigns.get(campaignId)
    if (!s) return
    const m = minuteOf(at)
    const b = s.window.get(m) ?? { answers: 0, abandons: 0 }
    b.answers++
    if (abandoned) b.abandons++
    s.window.set(m, b)
    const oldest = minuteOf(at - this.retentionMs)
    for (const k of s.window.keys()) if (k < oldest) s.window.delete(k)
  }

  async abandonWindow(campaignId: string, now: number, windowMs: number): Promise<AbandonWindow> {
    const out = { answers: 0, abandons: 0 }
    const s = this.campaigns.get(campaignId)
    if (!s) return out
    const lo = windowStartMinute(now, windowMs)
    for (const [m, b] of s.window) {
      if (m < lo) continue
      out.answers += b.answers
      out.abandons += b.abandons
    }
    return out
  }

  // --- internals


  private schedule(s: CampaignState, c: StoredContact): void {
    const version = ++s.versions
    s.dueVersion.set(c.id, version)
    s.due.push({ nextAt: c.nextAt, seq: c.seq, id: c.id, version })
  }

  /** The heap's first live item, dropping stale ones. */
  private liveTop(s: CampaignState): DueItem | undefined {
    for (;;) {
      const top = s.due.peek()
      if (!top || s.dueVersion.get(top.id) === top.version) return top
      s.due.pop()
    }
  }

  private unlock(s: CampaignState, c: StoredContact, engineId: string): void {
    delete c.lock
    s.dialing.delete(c.id)
    const n = (s.engines.get(engineId) ?? 0) - 1
    if (n > 0) s.engines.set(engineId, n)
    else s.engines.delete(engineId)
  }
}

/** The in-memory campaign store; `clock` gives put()'s default creation time. */
export function createMemoryCampaignStore(clock: Clock = new RealClock(), o: MemoryCampaignStoreOptions = {}): CampaignStore {
  return new MemoryCampaignStore(clock, o)
}
