/**
 * The Redis EscalationStore: tickets and appointments shared by every engine, with the webhook
 * outbox in the same Redis so that whichever engine is alive delivers the changes, in order per
 * escalation, once (see keys.ts for the layout: {P}:x, {P}:x:i, {P}:xo, {P}:xd, {P}:xa).
 *
 * Same layout as the in-memory store: a record per escalation, the pending changes of each
 * escalation (head first) as a JSON array in one hash, one "due" sorted set of escalations by
 * when their head is due (hidden until a lease expires while claimed) and a list of changes set
 * aside. Every change is one Lua script (scripts/escalation-*.lua, outbox-*.lua) with the replay
 * guard of the main store, so an outage that makes ioredis resend a script applies it once.
 *
 * transition() is a compare-and-set: the caller's new record is written only if the stored one
 * still has change.from and version change.seq - 1 (checked inside the script).
 */
import type {
  Escalation,
  EscalationChange,
  EscalationFilter,
  EscalationOutbox,
  EscalationStore,
  OutboxItem,
} from '../../domain/escalations.js'
import { storeContext, type Ctx, type RedisStore } from './store.js'

const LIST_CHUNK = 200

const itemOf = (escalationId: string, c: EscalationChange): OutboxItem => ({ escalationId, changeId: c.changeId, seq: c.seq, attempts: 0, nextAt: c.at })

function parseItem(raw: string): OutboxItem {
  const o = JSON.parse(raw) as OutboxItem
  const item: OutboxItem = { escalationId: o.escalationId, changeId: o.changeId, seq: o.seq, attempts: o.attempts, nextAt: o.nextAt }
  if (o.lastError !== undefined) item.lastError = o.lastError
  return item
}

class RedisOutbox implements EscalationOutbox {
  constructor(private readonly s: Ctx) {}

  async claimDue(now: number, limit: number, leaseMs: number): Promise<OutboxItem[]> {
    const k = this.s.keys
    const raw = await this.s.scripts.run('outbox-claim', [k.outboxDue, k.outbox, this.s.op()], [this.s.opTtlMs, now, limit, leaseMs])
    return raw.map(parseItem)
  }

  async delivered(escalationId: string, changeId: string, now: number): Promise<void> {
    await this.drop(escalationId, changeId, now, '')
  }

  async failed(escalationId: string, changeId: string, attempts: number, nextAt: number, error: string): Promise<void> {
    const k = this.s.keys
    await this.s.scripts.run('outbox-failed', [k.outboxDue, k.outbox], [escalationId, changeId, attempts, nextAt, error])
  }

  async setAside(escalationId: string, changeId: string, now: number, error: string): Promise<void> {
    // An empty error would read as "delivered" in the script.
    await this.drop(escalationId, changeId, now, error === '' ? 'set aside' : error)
  }

  async listSetAside(): Promise<OutboxItem[]> {
    return (await this.s.client.lrange(this.s.keys.outboxAside, 0, -1)).map(parseItem)
  }

  async requeue(changeId: string, now: number): Promise<boolean> {
    const k = this.s.keys
    return (await this.s.scripts.run('outbox-requeue', [k.outboxAside, k.outbox, k.outboxDue, this.s.op()], [this.s.opTtlMs, changeId, now])) === 1
  }

  async pendingCount(): Promise<number> {
    let n = 0
    for (const raw of await this.s.client.hvals(this.s.keys.outbox)) n += (JSON.parse(raw) as unknown[]).length
    return n
  }

  private async drop(escalationId: string, changeId: string, now: number, asideError: string): Promise<void> {
    const k = this.s.keys
    await this.s.scripts.run('outbox-drop', [k.outboxDue, k.outbox, k.outboxAside, this.s.op()], [this.s.opTtlMs, escalationId, changeId, now, asideError])
  }
}

class RedisEscalations implements EscalationStore {
  readonly outbox: RedisOutbox

  constructor(private readonly s: Ctx) {
    this.outbox = new RedisOutbox(s)
  }

  async create(e: Escalation): Promise<void> {
    const k = this.s.keys
    const items = e.history.map((c) => itemOf(e.id, c))
    const first = items[0]
    if (!first) throw new Error(`escalation ${e.id} has no history`)
    const created = await this.s.scripts.run(
      'escalation-create',
      [k.escalations, k.escalationIndex, k.outbox, k.outboxDue, this.s.op()],
      [this.s.opTtlMs, e.id, JSON.stringify(e), e.createdAt, JSON.stringify(items), first.nextAt],
    )
    if (created !== 1) throw new Error(`escalation ${e.id} exists`)
  }

  async get(id: string): Promise<Escalation | undefined> {
    const raw = await this.s.client.hget(this.s.keys.escalations, id)
    return raw === null ? undefined : (JSON.parse(raw) as Escalation)
  }

  async list(f: EscalationFilter = {}): Promise<Escalation[]> {
    const limit = f.limit ?? 100
    const out: Escalation[] = []
    const k = this.s.keys
    // Newest first by createdAt (ties: id descending in Redis, ascending in memory: re-sorted below).
    for (let start = 0; out.length < limit; start += LIST_CHUNK) {
      const ids = await this.s.client.zrevrange(k.escalationIndex, start, start + LIST_CHUNK - 1)
      if (ids.length === 0) break
      const raws = await this.s.client.hmget(k.escalations, ...ids)
      for (const raw of raws) {
        if (raw === null) continue
        const e = JSON.parse(raw) as Escalation
        if (f.status && e.status !== f.status) continue
        if (f.kind && e.kind !== f.kind) continue
        if (f.section && e.section !== f.section) continue
        if (f.createdBy && e.createdBy !== f.createdBy) continue
        out.push(e)
      }
      if (ids.length < LIST_CHUNK) break
    }
    out.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1))
    return out.slice(0, limit)
  }

  async transition(id: string, change: EscalationChange): Promise<Escalation | undefined> {
    const cur = await this.get(id)
    if (!cur || cur.status !== change.from || cur.version !== change.seq - 1) return undefined
    const next: Escalation = { ...cur, status: change.to, version: change.seq, updatedAt: change.at, history: [...cur.history, change] }
    const k = this.s.keys
    const item = itemOf(id, change)
    const applied = await this.s.scripts.run(
      'escalation-transition',
      [k.escalations, k.outbox, k.outboxDue, this.s.op()],
      [this.s.opTtlMs, id, change.from, change.seq - 1, JSON.stringify(next), JSON.stringify(item), item.nextAt],
    )
    return applied === 1 ? next : undefined
  }
}

/** Escalations in the Redis of `store` (same client, prefix, scripts and replay guard). */
export function createRedisEscalationStore(store: RedisStore): EscalationStore {
  return new RedisEscalations(storeContext(store))
}
