/**
 * The Redis CampaignStore: campaigns, contacts, their scheduling and the live statistics shared
 * by every engine dialing a campaign. Key layout in campaign-keys.ts (one hash tag with the
 * main store: runs on Redis Cluster), every multi-key change in scripts/campaign-*.lua (one
 * verb a file, KEYS/ARGV/reply in each header), records encoded as in codec.ts (a contact's
 * changing properties are overlays the scripts edit as text; Lua never decodes JSON).
 *
 * Scheduling: the due sorted set (score nextAt, member <seq><id>) gives nextAt then insertion
 * order; claimDue moves contacts from it to the dialing sorted set (score = lock expiry) in one
 * script, so two engines never hold the same contact: whoever runs second finds it gone.
 * complete() checks the lock inside its script. Costs: claimDue one ZRANGE plus O(log n) per
 * contact; addContacts one script per batch doing an HMGET, an HSET, an RPUSH and a ZADD per
 * 1,000 contacts (O(log n) per contact for the sorted set).
 *
 * Replays (ioredis resends a script whose reply was lost when the connection dropped): every
 * script that is not idempotent by itself takes a replay guard {P}:op:<uuid> like the main
 * store's (store.ts), so a claim, a completion, a batch of contacts, an answer or a counter
 * is applied once and the caller sees the first reply.
 *
 * The abandon window's buckets are trimmed by data time (answers older than the retention
 * before the newest one) and the key also gets a real-time PEXPIRE of the retention, so the
 * window of a campaign gone quiet disappears by itself.
 */
import { randomUUID } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { Cluster, Redis } from 'ioredis'
import { RealClock, type Clock } from '../../domain/clock.js'
import { AppError } from '../../domain/errors.js'
import { DIAL_OUTCOMES, type CampaignConfig, type CampaignStatus, type ContactStatus } from '../../domain/campaign.js'
import {
  CONTACT_STATUSES,
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
import { decodeRecord } from './codec.js'
import { campaignKeys, type CampaignKeys } from './campaign-keys.js'
import { DEFAULT_PREFIX } from './keys.js'
import { defineScripts, expandIncludes, scriptDirCandidates, type LuaScript, type ScriptName, type Scripts } from './scripts.js'
import type { RedisStore } from './store.js'

export const CAMPAIGN_SCRIPT_NAMES = [
  'campaign-put',
  'campaign-status',
  'campaign-add',
  'campaign-claim',
  'campaign-complete',
  'campaign-release',
  'campaign-renew',
  'campaign-scan',
  'campaign-answer',
  'campaign-window',
  'campaign-bump',
  'campaign-exclude',
] as const satisfies readonly ScriptName[]

export type CampaignScriptName = (typeof CAMPAIGN_SCRIPT_NAMES)[number]

const CAMPAIGN_STATUSES: readonly CampaignStatus[] = ['draft', 'running', 'paused', 'stopped', 'completed']
const CHUNK = 10_000

export interface RedisCampaignStoreOptions {
  /** Key prefix, also the hash tag (default: the given store's, else "centralino"). */
  prefix?: string
  /** How long a mutating script's reply is kept against replays (default 120 s; 0 = no guard). */
  opTtlMs?: number
  /** Abandon-window buckets kept before the newest answer, and the window key's TTL (default 25 h). */
  windowRetentionMs?: number
  /** put()'s default creation time. */
  clock?: Clock
}

/** Reads the campaign scripts (scripts/campaign-<verb>-<keys>.lua) with their includes. */
export function loadCampaignScripts(dirs: string[] = scriptDirCandidates()): Record<CampaignScriptName, LuaScript> {
  const dir = dirs.find((d) => existsSync(d))
  if (!dir) throw new Error(`Redis campaign store: no Lua scripts directory (looked in ${dirs.join(', ')})`)
  const files = readdirSync(dir)
  const out: Partial<Record<CampaignScriptName, LuaScript>> = {}
  for (const name of CAMPAIGN_SCRIPT_NAMES) {
    const found = files.map((f) => new RegExp(`^${name}-(\\d+)\\.lua$`).exec(f)).filter((m) => m !== null)
    if (found.length !== 1) throw new Error(`Redis campaign store: ${found.length === 0 ? 'no' : 'more than one'} script for '${name}' in ${dir}`)
    const file = path.join(dir, found[0]![0])
    out[name] = { name, file, numberOfKeys: Number(found[0]![1]), lua: expandIncludes(readFileSync(file, 'utf8'), dir) }
  }
  return out as Record<CampaignScriptName, LuaScript>
}

const num = (what: string, x: number): string => {
  if (!Number.isFinite(x)) throw new RangeError(`${what} must be a finite number, got ${x}`)
  return JSON.stringify(x)
}

function word<T extends string>(what: string, x: string, allowed: readonly T[]): T {
  if (!allowed.includes(x as T)) throw new RangeError(`unknown ${what} ${JSON.stringify(x)}`)
  return x as T
}

function decodeCampaign(r: string | null | undefined): CampaignRecord | undefined {
  const o = decodeRecord<Record<string, unknown>>(r)
  if (!o) return undefined
  const { status, history, createdAt, ...config } = o
  return { config: config as unknown as CampaignConfig, status: status as CampaignStatus, createdAt: createdAt as number, history: history as CampaignRecord['history'] }
}

function decodeContact(r: string | null | undefined): StoredContact | undefined {
  const o = decodeRecord<Record<string, unknown>>(r)
  if (!o) return undefined
  const { lockedBy, lockedUntil, claims, ...rest } = o
  const c = rest as unknown as StoredContact
  if (lockedBy !== undefined) c.lock = { engineId: lockedBy as string, until: lockedUntil as number, claim: claims as number }
  return c
}

/** A new contact's record, written out directly (the import's hot path): ~j, then the overlays (codec.ts). */
function encodeContact(campaignId: string, c: NewContact): { record: string; status: string; nextAt: string } {
  const status = word('contact status', c.status ?? 'pending', CONTACT_STATUSES)
  if (status === 'dialing') throw new RangeError('a new contact cannot be dialing')
  const nextAt = num('nextAt', c.nextAt ?? 0)
  const base = JSON.stringify({ id: c.id, campaignId, number: c.number, name: c.name, consent: c.consent, fields: c.fields })
  let record = `~j\n${base}\nstatus\n"${status}"\nattempts\n${num('attempts', c.attempts ?? 0)}\nnextAt\n${nextAt}\noutcomes\n${JSON.stringify(c.outcomes ?? [])}\n`
  if (c.lastOutcome !== undefined) record += `lastOutcome\n${JSON.stringify(word('dial outcome', c.lastOutcome, DIAL_OUTCOMES))}\n`
  if (c.reachedAt !== undefined) record += `reachedAt\n${num('reachedAt', c.reachedAt)}\n`
  if (c.cooldownUntil !== undefined) record += `cooldownUntil\n${num('cooldownUntil', c.cooldownUntil)}\n`
  return { record, status, nextAt }
}

function parseStats(h: Record<string, string>): CampaignStats {
  const s: CampaignStats = { byOutcome: {}, byAttempt: {}, byHour: {}, counters: {} }
  for (const [f, v] of Object.entries(h)) {
    const n = Number(v)
    if (f.startsWith('c:')) {
      s.counters[f.slice(2)] = n
      continue
    }
    const last = f.lastIndexOf(':')
    const outcome = f.slice(last + 1) as keyof CampaignStats['byOutcome']
    const middle = f.slice(2, last)
    if (f.startsWith('o:')) s.byOutcome[outcome] = n
    else if (f.startsWith('a:')) (s.byAttempt[Number(middle)] ??= {})[outcome] = n
    else if (f.startsWith('h:')) (s.byHour[middle] ??= {})[outcome] = n
  }
  return s
}

class RedisCampaignStore implements CampaignStore {
  constructor(
    readonly client: Redis | Cluster,
    readonly keys: CampaignKeys,
    private readonly scripts: Scripts,
    private readonly opTtlMs: number,
    private readonly retentionMs: number,
    private readonly clock: Clock,
  ) {}

  private op(): string {
    return this.keys.op(this.opTtlMs > 0 ? randomUUID() : '-')
  }

  // --- campaigns

  async put(config: CampaignConfig, at: number = this.clock.now()): Promise<void> {
    const json = JSON.stringify(config)
    const record = `~j\n${json}\nstatus\n"draft"\nhistory\n${JSON.stringify([{ status: 'draft', at }])}\ncreatedAt\n${num('at', at)}\n`
    await this.scripts.run('campaign-put', [this.keys.campaigns], [config.id, record, json])
  }

  async get(id: string): Promise<CampaignRecord | undefined> {
    return decodeCampaign(await this.client.hget(this.keys.campaigns, id))
  }

  async list(): Promise<CampaignRecord[]> {
    const all = Object.values(await this.client.hgetall(this.keys.campaigns)).map((r) => decodeCampaign(r)!)
    return all.sort((a, b) => a.createdAt - b.createdAt || (a.config.id < b.config.id ? -1 : a.config.id > b.config.id ? 1 : 0))
  }

  async setStatus(id: string, status: CampaignStatus, at: number, from?: CampaignStatus[]): Promise<CampaignRecord | undefined> {
    word('campaign status', status, CAMPAIGN_STATUSES)
    for (const f of from ?? []) word('campaign status', f, CAMPAIGN_STATUSES)
    const guard = from ? [from.length, ...from] : ['-']
    return decodeCampaign(await this.scripts.run('campaign-status', [this.keys.campaigns, this.op()], [this.opTtlMs, id, status, num('at', at), ...guard]))
  }

  // --- contacts

  async addContacts(campaignId: string, contacts: NewContact[]): Promise<AddContactsResult> {
    const k = this.keys
    const args: string[] = []
    for (const c of contacts) {
      const e = encodeContact(campaignId, c)
      args.push(c.id, e.record, JSON.stringify(c.lines), e.status, e.nextAt)
    }
    const r = await this.scripts.run('campaign-add', [k.campaigns, k.contacts(campaignId), k.order(campaignId), k.due(campaignId), k.counts(campaignId), this.op()], [this.opTtlMs, campaignId, ...args])
    if (!r) throw new AppError('NOT_FOUND', `campaign ${campaignId} not found`)
    return { added: Number(r[0]), merged: Number(r[1]) }
  }

  async getContact(campaignId: string, contactId: string): Promise<StoredContact | undefined> {
    return decodeContact(await this.client.hget(this.keys.contacts(campaignId), contactId))
  }

  async scan(campaignId: string, cursor: string, count: number): Promise<ScanPage> {
    const from = Number(cursor)
    if (!/^\d+$/.test(cursor) || !Number.isSafeInteger(from)) throw new RangeError(`bad scan cursor ${JSON.stringify(cursor)}`)
    const n = Math.max(1, Math.floor(count))
    const [length, ...records] = await this.scripts.run('campaign-scan', [this.keys.order(campaignId), this.keys.contacts(campaignId)], [from, n])
    const next = from + records.length
    return { contacts: records.map((r) => decodeContact(r)!), cursor: next >= Number(length) ? '0' : String(next) }
  }

  async counts(campaignId: string): Promise<Record<ContactStatus, number>> {
    const c = emptyCounts()
    for (const [f, v] of Object.entries(await this.client.hgetall(this.keys.counts(campaignId)))) if (f in c) c[f as ContactStatus] = Number(v)
    return c
  }

  // --- scheduling

  async claimDue(campaignId: string, now: number, n: number, engineId: string, leaseMs: number): Promise<StoredContact[]> {
    if (!(leaseMs > 0)) throw new RangeError('leaseMs must be > 0')
    const limit = Math.floor(n)
    if (!(limit > 0)) return []
    const k = this.keys
    const rows = await this.scripts.run(
      'campaign-claim',
      [k.contacts(campaignId), k.due(campaignId), k.dialing(campaignId), k.counts(campaignId), k.engines(campaignId), this.op()],
      [this.opTtlMs, num('now', now), limit, JSON.stringify(engineId), engineId, num('lock expiry', now + leaseMs)],
    )
    return rows.map((r) => decodeContact(r)!)
  }

  async nextDueAt(campaignId: string): Promise<number | undefined> {
    const r = await this.client.zrange(this.keys.due(campaignId), '0', '0', 'WITHSCORES')
    return r.length === 2 ? Number(r[1]) : undefined
  }

  async renewLocks(campaignId: string, engineId: string, contactIds: string[], until: number): Promise<number> {
    if (contactIds.length === 0) return 0
    let n = 0
    for (let i = 0; i < contactIds.length; i += CHUNK) {
      const ids = contactIds.slice(i, i + CHUNK)
      n += await this.scripts.run('campaign-renew', [this.keys.contacts(campaignId), this.keys.dialing(campaignId)], [JSON.stringify(engineId), num('until', until), ...ids])
    }
    return n
  }

  async complete(campaignId: string, contactId: string, engineId: string, r: AttemptResult): Promise<StoredContact | undefined> {
    const status = word('contact status', r.status, CONTACT_STATUSES)
    if (status === 'dialing') throw new RangeError('complete cannot leave a contact dialing')
    const outcome = r.outcome === undefined ? '' : word('dial outcome', r.outcome, DIAL_OUTCOMES)
    if (r.claim !== undefined && !Number.isSafeInteger(r.claim)) throw new RangeError('claim must be an integer')
    const k = this.keys
    const row = await this.scripts.run(
      'campaign-complete',
      [k.contacts(campaignId), k.due(campaignId), k.dialing(campaignId), k.counts(campaignId), k.engines(campaignId), k.stats(campaignId), this.op()],
      [
        this.opTtlMs,
        contactId,
        JSON.stringify(engineId),
        engineId,
        r.claim === undefined ? '' : String(r.claim),
        status,
        r.nextAt === undefined ? '' : num('nextAt', r.nextAt),
        num('at', r.at),
        outcome,
        r.hour ?? '',
        r.cooldownUntil === undefined ? '' : num('cooldownUntil', r.cooldownUntil),
      ],
    )
    return decodeContact(row)
  }

  async excludeContacts(campaignId: string, contactIds: string[]): Promise<number> {
    const k = this.keys
    let n = 0
    for (let i = 0; i < contactIds.length; i += 1000) {
      n += await this.scripts.run('campaign-exclude', [k.contacts(campaignId), k.due(campaignId), k.counts(campaignId)], contactIds.slice(i, i + 1000))
    }
    return n
  }

  async releaseExpired(campaignId: string, now: number, limit = 1000): Promise<string[]> {
    const k = this.keys
    return this.scripts.run(
      'campaign-release',
      [k.contacts(campaignId), k.due(campaignId), k.dialing(campaignId), k.counts(campaignId), k.engines(campaignId)],
      [num('now', now), Math.max(1, Math.floor(limit))],
    )
  }

  async inFlight(campaignId: string): Promise<Record<string, number>> {
    const h = await this.client.hgetall(this.keys.engines(campaignId))
    return Object.fromEntries(Object.entries(h).map(([e, v]) => [e, Number(v)]))
  }

  // --- opt-out register and abandoned numbers

  async addOptOut(numbers: string[]): Promise<number> {
    let n = 0
    for (let i = 0; i < numbers.length; i += CHUNK) n += await this.client.sadd(this.keys.optOut, ...numbers.slice(i, i + CHUNK))
    return n
  }

  async removeOptOut(numbers: string[]): Promise<number> {
    let n = 0
    for (let i = 0; i < numbers.length; i += CHUNK) n += await this.client.srem(this.keys.optOut, ...numbers.slice(i, i + CHUNK))
    return n
  }

  async isOptedOut(numbers: string[]): Promise<Set<string>> {
    const out = new Set<string>()
    for (let i = 0; i < numbers.length; i += CHUNK) {
      const batch = numbers.slice(i, i + CHUNK)
      const found = await this.client.smismember(this.keys.optOut, ...batch)
      found.forEach((f, j) => f === 1 && out.add(batch[j]!))
    }
    return out
  }

  async optOutCount(): Promise<number> {
    return this.client.scard(this.keys.optOut)
  }

  async markAbandoned(number: string, until: number): Promise<void> {
    await this.client.zadd(this.keys.abandoned, 'GT', num('until', until), number)
  }

  async abandonedUntil(number: string): Promise<number | undefined> {
    const s = await this.client.zscore(this.keys.abandoned, number)
    return s === null ? undefined : Number(s)
  }

  async pruneAbandoned(now: number): Promise<number> {
    return this.client.zremrangebyscore(this.keys.abandoned, '-inf', num('now', now))
  }

  // --- statistics

  async stats(campaignId: string): Promise<CampaignStats> {
    return parseStats(await this.client.hgetall(this.keys.stats(campaignId)))
  }

  async bump(campaignId: string, counters: Record<string, number>): Promise<void> {
    const args: string[] = []
    for (const [name, v] of Object.entries(counters)) {
      if (!Number.isSafeInteger(v)) throw new RangeError(`counter ${name}: not an integer`)
      args.push(name, String(v))
    }
    if (args.length > 0) await this.scripts.run('campaign-bump', [this.keys.stats(campaignId), this.op()], [this.opTtlMs, ...args])
  }

  async recordAnswer(campaignId: string, at: number, abandoned: boolean): Promise<void> {
    num('at', at)
    await this.scripts.run(
      'campaign-answer',
      [this.keys.window(campaignId), this.op()],
      [this.opTtlMs, minuteOf(at), abandoned ? '1' : '0', minuteOf(at - this.retentionMs), this.retentionMs],
    )
  }

  async abandonWindow(campaignId: string, now: number, windowMs: number): Promise<AbandonWindow> {
    num('now', now)
    const [answers, abandons] = await this.scripts.run('campaign-window', [this.keys.window(campaignId)], [windowStartMinute(now, windowMs)])
    return { answers: Number(answers), abandons: Number(abandons) }
  }
}

function isRedisStore(x: Redis | Cluster | RedisStore): x is RedisStore {
  return 'queues' in x && 'client' in x
}

/**
 * The campaign store on a Redis client (a Redis or a Cluster, left open: the caller owns it) or
 * on the client of a RedisStore (then with its prefix unless `prefix` says otherwise).
 */
export function createRedisCampaignStore(redis: Redis | Cluster | RedisStore, o: RedisCampaignStoreOptions = {}): CampaignStore & { readonly keys: CampaignKeys } {
  const client = isRedisStore(redis) ? redis.client : redis
  if ((client.options as { keyPrefix?: string }).keyPrefix) throw new RangeError('Redis campaign store: use `prefix`, not the client keyPrefix option')
  const keys = campaignKeys(o.prefix ?? (isRedisStore(redis) ? redis.keys.prefix : DEFAULT_PREFIX))
  const scripts = defineScripts(client, loadCampaignScripts() as unknown as Record<ScriptName, LuaScript>)
  return new RedisCampaignStore(client, keys, scripts, o.opTtlMs ?? 120_000, o.windowRetentionMs ?? 25 * 3600_000, o.clock ?? new RealClock())
}
