/**
 * The Redis Store: the queues, agents, event log, caller history, call records and leases
 * shared by every engine of the national number. See keys.ts for the key layout, codec.ts
 * for the record encoding and queue order, scripts/*.lua for every multi-key change (one verb
 * a file, KEYS, ARGV and reply in each header).
 *
 * Records are one string each in a few hashes (codec.ts); listing a queue of 10,000 is one
 * script doing a ZRANGE and a handful of HMGETs.
 *
 * Atomicity: every change that reads before it writes, or writes more than one key, is one
 * Lua script, so it is atomic across engines: AgentStore.transition is a compare-and-set (an
 * agent is claimed by at most one call); markOffered succeeds for one caller only.
 *
 * Event log mapping: the stream {P}:ev gets explicit entry ids "<n>-0", n = 1, 2, 3... from
 * the counter {P}:ev:n, incremented in the same script as the XADD and the seen-id hash
 * (idempotent append). The index of EventLog.read(from, limit) is n - 1, so read(from, limit)
 * is XRANGE {P}:ev <from+1>-0 + COUNT <limit>: the same semantics as the memory log, without
 * scanning. The `at` of each event is in its JSON; stream readers (XREAD) work as usual.
 *
 * Redis going away (ioredis options, REDIS_CLIENT_DEFAULTS below):
 * - enableOfflineQueue: true. A command issued while disconnected waits in memory and is sent
 *   once the connection is back; queue operations wait instead of failing.
 * - retryStrategy: reconnect after 200 ms, 400 ms, ... then every second, for ever.
 * - maxRetriesPerRequest: 45. A waiting command fails (MaxRetriesPerRequestError) after 45
 *   failed reconnections, about 45 s: an outage of up to 30 s is ridden out, a longer one
 *   surfaces as errors instead of calls hanging for ever.
 * - autoResendUnfulfilledCommands: true (ioredis's default). A command already written when the
 *   connection dropped is written again after reconnecting, and Redis may have run it the
 *   first time. So every mutating script that is not idempotent by itself takes a replay guard
 *   key {P}:op:<random id per call>: the first run stores its reply there (TTL opTtlMs, longer
 *   than the 45 s budget); a rerun returns that reply and changes nothing. Nothing is applied
 *   twice and the caller sees the first outcome (a claimed agent stays claimed by that call).
 *   The event append, the caller history and the leases are idempotent by themselves (event
 *   id; latest time wins; same owner and time) and take no guard.
 * - commandTimeout: none. A timed-out command may still run on the server; the caller would
 *   see a failure for a change that happened.
 * A call that does fail (outage longer than the budget) may or may not have been applied:
 * callers that retry it issue a new operation.
 */
import { randomUUID } from 'node:crypto'
import { Redis, type Cluster, type RedisOptions } from 'ioredis'
import type { AgentRecord, AgentState, CallbackInfo, QueueEntry } from '../../domain/acd.js'
import type { CallEvent } from '../../domain/events.js'
import type { Logger } from '../../domain/log.js'
import type { AgentStore, CallerHistory, CallRecord, CallStore, EventLog, LeaseStore, QueueStore, Store } from '../../domain/store.js'
import { ABSENT, checkFieldName, decodeRecord, encodeRecord, orderPrefix, queueScore, seqArg } from './codec.js'
import { DEFAULT_PREFIX, redisKeys, type RedisKeys } from './keys.js'
import { defineScripts, type Scripts } from './scripts.js'

export const REDIS_CLIENT_DEFAULTS: RedisOptions = {
  enableOfflineQueue: true,
  maxRetriesPerRequest: 45,
  retryStrategy: (times: number) => Math.min(times * 200, 1000),
  autoResendUnfulfilledCommands: true,
  connectionName: 'centralino',
}

export interface RedisStoreOptions {
  /** redis://[user:pass@]host:port[/db], rediss://..., or a Unix socket path (/run/redis.sock). */
  url?: string
  /** An existing client (a Redis or a Cluster), used as is: close() leaves it open. */
  client?: Redis | Cluster
  /** Key prefix, also the hash tag: keys are {prefix}:... (default "centralino"). */
  prefix?: string
  /** Overrides of REDIS_CLIENT_DEFAULTS for the client built from `url`. */
  redisOptions?: RedisOptions
  /** How long a caller's "served by" record lives (default 30 days). */
  historyTtlMs?: number
  /** How long the reply of a mutating script is kept against replays (default 120 s; 0 = no guard). */
  opTtlMs?: number
  /** Connection problems are logged here (once per outage). */
  log?: Logger
}

export interface RedisStore extends Store {
  readonly client: Redis | Cluster
  readonly keys: RedisKeys
  readonly scripts: Scripts
  /** Resolves once Redis answers (a PING). */
  ready(): Promise<void>
}

const DAY_MS = 24 * 3600 * 1000

/** Entry properties the scripts change after enqueue (seq is written by the enqueue script). */
const ENTRY_OVERLAY = ['status', 'offeredTo']
/** Agent properties a transition changes. */
const AGENT_OVERLAY = ['state', 'since', 'idleSince', 'pauseReason', 'callId']

type Patch = Partial<Pick<AgentRecord, 'pauseReason' | 'callId' | 'idleSince'>>

class RedisQueues implements QueueStore {
  constructor(private readonly s: Ctx) {}

  async enqueue(e: Omit<QueueEntry, 'seq'> & { seq?: number }): Promise<QueueEntry> {
    const seq = await this.s.scripts.run('enqueue', this.s.enqueueKeys(e.section, this.s.op()), this.s.enqueueArgs(e))
    return { ...e, seq: Number(seq) }
  }

  async remove(callId: string): Promise<QueueEntry | undefined> {
    const k = this.s.keys
    return decodeRecord<QueueEntry>(await this.s.scripts.run('remove', [k.entries, k.entryQueues, k.entryMembers, this.s.op()], [this.s.opTtlMs, callId]))
  }

  async get(callId: string): Promise<QueueEntry | undefined> {
    return decodeRecord<QueueEntry>(await this.s.client.hget(this.s.keys.entries, callId))
  }

  async list(section: string, limit?: number): Promise<QueueEntry[]> {
    if (limit !== undefined && limit < 1) return []
    const stop = limit === undefined ? -1 : Math.floor(limit) - 1
    const rows = await this.s.scripts.run('queue-list', [this.s.keys.queue(section), this.s.keys.entries], [stop])
    return rows.map((r) => decodeRecord<QueueEntry>(r)!)
  }

  async markOffered(callId: string, agentId: string): Promise<boolean> {
    return (await this.s.scripts.run('mark-offered', [this.s.keys.entries, this.s.op()], [this.s.opTtlMs, callId, JSON.stringify(agentId)])) === 1
  }

  async markWaiting(callId: string): Promise<boolean> {
    return (await this.s.scripts.run('mark-waiting', [this.s.keys.entries, this.s.op()], [this.s.opTtlMs, callId])) === 1
  }

  async enqueueCallback(callId: string, cb: CallbackInfo): Promise<'ok' | 'duplicate' | 'not_waiting'> {
    const k = this.s.keys
    return this.s.scripts.run('enqueue-callback', [k.entries, k.callbacks, this.s.op()], [this.s.opTtlMs, callId, cb.number, JSON.stringify(cb)])
  }
}

class RedisAgents implements AgentStore {
  constructor(private readonly s: Ctx) {}

  async upsert(agent: AgentRecord): Promise<void> {
    await this.s.scripts.run('agent-upsert', this.s.upsertKeys(this.s.op()), this.s.upsertArgs(agent))
  }

  async get(id: string): Promise<AgentRecord | undefined> {
    return decodeRecord<AgentRecord>(await this.s.client.hget(this.s.keys.agents, id))
  }

  async list(): Promise<AgentRecord[]> {
    const rows = await this.s.scripts.run('agent-list', [this.s.keys.agentOrder, this.s.keys.agents], [])
    return rows.map((r) => decodeRecord<AgentRecord>(r)!)
  }

  async transition(id: string, from: AgentState[], to: AgentState, at: number, patch: Patch = {}): Promise<AgentRecord | undefined> {
    // Every patched property becomes an overlay; undefined ones are written absent
    // (idleSince: undefined leaves it as it is, like the memory store).
    const pairs: string[] = []
    for (const [f, v] of Object.entries(patch)) {
      if (f === 'state' || f === 'since') throw new RangeError(`transition patch may not set ${f}`)
      checkFieldName(f)
      if (v === undefined && f === 'idleSince') continue
      pairs.push(f, v === undefined ? ABSENT : JSON.stringify(v))
    }
    const args = [this.s.opTtlMs, id, JSON.stringify(to), JSON.stringify(at), from.length, ...from.map((f) => JSON.stringify(f)), ...pairs]
    return decodeRecord<AgentRecord>(await this.s.scripts.run('agent-transition', [this.s.keys.agents, this.s.op()], args))
  }
}

class RedisEventLog implements EventLog {
  constructor(private readonly s: Ctx) {}

  async append(e: CallEvent): Promise<void> {
    const k = this.s.keys
    await this.s.scripts.run('event-append', [k.events, k.eventIds, k.eventCount], [e.id, JSON.stringify(e)])
  }

  async read(from = 0, limit = Number.POSITIVE_INFINITY): Promise<CallEvent[]> {
    if (!(limit > 0)) return []
    const start = `${Math.max(0, Math.floor(from)) + 1}-0`
    const rows = Number.isFinite(limit)
      ? await this.s.client.xrange(this.s.keys.events, start, '+', 'COUNT', Math.floor(limit))
      : await this.s.client.xrange(this.s.keys.events, start, '+')
    return rows.map(([, fields]) => {
      const i = fields.indexOf('e')
      return JSON.parse(fields[i + 1]!) as CallEvent
    })
  }
}

class RedisHistory implements CallerHistory {
  constructor(private readonly s: Ctx) {}

  async recordServed(caller: string, agentId: string, at: number): Promise<void> {
    await this.s.scripts.run('history-record', [this.s.keys.history(caller)], [agentId, String(at), this.s.historyTtlMs])
  }

  async lastServed(caller: string, now: number, withinMs: number): Promise<{ agentId: string; at: number } | undefined> {
    const [agentId, at] = await this.s.client.hmget(this.s.keys.history(caller), 'agentId', 'at')
    if (agentId == null || at == null) return undefined
    const t = Number(at)
    return now - t <= withinMs ? { agentId, at: t } : undefined
  }
}

class RedisCalls implements CallStore {
  constructor(private readonly s: Ctx) {}

  async put(r: CallRecord): Promise<void> {
    const k = this.s.keys
    await this.s.scripts.run('call-put', [k.calls, k.callServers, k.callsOf(r.serverId), this.s.op()], [this.s.opTtlMs, r.callId, JSON.stringify(r)])
  }

  async get(callId: string): Promise<CallRecord | undefined> {
    const j = await this.s.client.hget(this.s.keys.calls, callId)
    return j == null ? undefined : (JSON.parse(j) as CallRecord)
  }

  async delete(callId: string): Promise<void> {
    await this.s.scripts.run('call-delete', [this.s.keys.calls, this.s.keys.callServers, this.s.op()], [this.s.opTtlMs, callId])
  }

  async list(serverId: string): Promise<CallRecord[]> {
    const rows = await this.s.scripts.run('call-list', [this.s.keys.callsOf(serverId), this.s.keys.calls], [])
    return rows.map((j) => JSON.parse(j) as CallRecord).sort((a, b) => a.startedAt - b.startedAt || (a.callId < b.callId ? -1 : a.callId > b.callId ? 1 : 0))
  }
}

class RedisLeases implements LeaseStore {
  constructor(private readonly s: Ctx) {}

  async acquire(name: string, owner: string, ttlMs: number, now: number): Promise<boolean> {
    return (await this.s.scripts.run('lease-acquire', [this.s.keys.lease(name)], [owner, String(now), String(now + ttlMs)])) === 1
  }

  async renew(name: string, owner: string, ttlMs: number, now: number): Promise<boolean> {
    return (await this.s.scripts.run('lease-renew', [this.s.keys.lease(name)], [owner, String(now), String(now + ttlMs)])) === 1
  }

  async release(name: string, owner: string): Promise<void> {
    await this.s.scripts.run('lease-release', [this.s.keys.lease(name)], [owner])
  }

  async holder(name: string, now: number): Promise<string | undefined> {
    const [owner, until] = await this.s.client.hmget(this.s.keys.lease(name), 'owner', 'until')
    return owner != null && until != null && Number(until) > now ? owner : undefined
  }
}

/** What the parts share: the client, keys, scripts and the argument builders (also used by seed.ts). */
export class Ctx {
  constructor(
    readonly client: Redis | Cluster,
    readonly keys: RedisKeys,
    readonly scripts: Scripts,
    readonly opTtlMs: number,
    readonly historyTtlMs: number,
  ) {}

  /** A fresh replay-guard key: one per call of a mutating script. */
  op(): string {
    return this.keys.op(this.opTtlMs > 0 ? randomUUID() : '-')
  }

  enqueueKeys(section: string, op: string): [string, string, string, string, string, string] {
    const k = this.keys
    return [k.entries, k.entryQueues, k.entryMembers, k.queue(section), k.seq, op]
  }

  upsertKeys(op: string): [string, string, string, string] {
    return [this.keys.agents, this.keys.agentOrder, this.keys.agentOrderCounter, op]
  }

  enqueueArgs(e: Omit<QueueEntry, 'seq'> & { seq?: number }, opTtlMs = this.opTtlMs): (string | number)[] {
    return [opTtlMs, queueScore(e.priority), orderPrefix(e.enteredAt), e.callId, seqArg(e.seq), encodeRecord(e, ENTRY_OVERLAY, ['seq'])]
  }

  upsertArgs(a: AgentRecord, opTtlMs = this.opTtlMs): (string | number)[] {
    return [opTtlMs, a.id, encodeRecord(a, AGENT_OVERLAY)]
  }
}

export function createRedisStore(o: RedisStoreOptions = {}): RedisStore {
  const keys = redisKeys(o.prefix ?? DEFAULT_PREFIX)
  const owned = !o.client
  const client = o.client ?? new Redis(o.url ?? 'redis://127.0.0.1:6379', { ...REDIS_CLIENT_DEFAULTS, ...o.redisOptions })
  if ((client.options as { keyPrefix?: string }).keyPrefix) throw new RangeError('Redis store: use `prefix`, not the client keyPrefix option (key names are stored inside records)')
  if (owned) watchConnection(client, o.log)
  const scripts = defineScripts(client)
  const ctx = new Ctx(client, keys, scripts, o.opTtlMs ?? 120_000, o.historyTtlMs ?? 30 * DAY_MS)
  const store: RedisStore = {
    client,
    keys,
    scripts,
    queues: new RedisQueues(ctx),
    agents: new RedisAgents(ctx),
    events: new RedisEventLog(ctx),
    history: new RedisHistory(ctx),
    calls: new RedisCalls(ctx),
    leases: new RedisLeases(ctx),
    async ready() {
      await client.ping()
    },
    async close() {
      if (!owned) return
      try {
        await client.quit()
      } catch {
        client.disconnect()
      }
    },
  }
  contexts.set(store, ctx)
  return store
}

const contexts = new WeakMap<RedisStore, Ctx>()

/** Whether `s` is a store built by createRedisStore (the escalations then go to the same Redis). */
export function isRedisStore(s: Store): s is RedisStore {
  return contexts.has(s as RedisStore)
}

/** Internal: the context of a store built by createRedisStore (for seed.ts). */
export function storeContext(s: RedisStore): Ctx {
  const ctx = contexts.get(s)
  if (!ctx) throw new Error('not a store built by createRedisStore')
  return ctx
}

function watchConnection(client: Redis | Cluster, log: Logger | undefined): void {
  let down = false
  // Without an 'error' listener ioredis prints every failed reconnection to the console.
  client.on('error', (err: Error) => {
    if (down) return
    down = true
    log?.warn({ err: { message: err.message } }, 'redis connection lost; commands wait and are retried')
  })
  client.on('ready', () => {
    if (!down) return
    down = false
    log?.info('redis connection back')
  })
}
