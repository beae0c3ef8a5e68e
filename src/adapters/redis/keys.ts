/**
 * Every Redis key the store uses, built here and nowhere else. Each key starts with the hash
 * tag `{<prefix>}:` so that all of them hash to one slot: the multi-key Lua scripts run
 * unchanged on Redis Cluster (the whole national state lives on one shard, the price of
 * atomic multi-key changes). The parts after the tag (section, call id, agent id, caller,
 * server id) may contain any character: Redis reads only the first {...} as the tag.
 *
 * Layout (P = prefix, default "centralino"):
 *   {P}:q:<section>     sorted set, the section's queue in service order (see codec.ts)
 *   {P}:e               hash, callId -> queue entry record (codec.ts)
 *   {P}:eq, {P}:em      hashes, callId -> the key of the queue holding it, its member there
 *   {P}:seq             counter, the queue entries' tie-breaking seq (INCR)
 *   {P}:cb              hash, number -> callId of its pending callback entry (one per number)
 *   {P}:a               hash, agent id -> agent record (codec.ts)
 *   {P}:agents          sorted set, agent ids in first-upsert order
 *   {P}:agents:n        counter for that order
 *   {P}:ev              stream, the call event log (entry id <index + 1>-0)
 *   {P}:ev:ids          hash, event id -> index + 1 (idempotent append)
 *   {P}:ev:n            counter, events appended so far
 *   {P}:h:<caller>      hash {agentId, at} with a TTL, who served a caller last
 *   {P}:c               hash, callId -> call record JSON
 *   {P}:cs              hash, callId -> the key of its server's set
 *   {P}:calls:<server>  set of call ids with a record, per Asterisk server
 *   {P}:lease:<name>    hash {owner, until}: who drives an Asterisk server (engines' clocks)
 *   {P}:op:<opId>       string with a TTL, the reply of an applied mutating script (replay guard)
 *   {P}:x               hash, escalation id -> escalation JSON (with its history)
 *   {P}:x:i             sorted set, escalation ids by createdAt (listing newest first)
 *   {P}:xo              hash, escalation id -> JSON array of its changes waiting for the webhook, head first
 *   {P}:xd              sorted set, escalation id -> when its outbox head is due (or hidden until, claimed)
 *   {P}:xa              list, outbox items set aside after their attempts (JSON, oldest first)
 *   {P}:audit           stream, the audit log of configuration changes (capped, adapters/redis/audit.ts)
 *
 * Records live in a few hashes rather than a key each, so that listing a queue of 10,000 is a
 * handful of HMGETs inside one script instead of 10,000 calls. Every key a script touches is
 * passed in KEYS, except the queue (or server set) an existing entry (or call record) is in,
 * which the script reads from {P}:eq ({P}:cs): a key name built here and stored, same tag.
 */

export interface RedisKeys {
  readonly prefix: string
  /** The hash tag every key starts with, e.g. "{centralino}". */
  readonly tag: string
  queue(section: string): string
  readonly entries: string
  readonly entryQueues: string
  readonly entryMembers: string
  readonly seq: string
  readonly callbacks: string
  readonly agents: string
  readonly agentOrder: string
  readonly agentOrderCounter: string
  readonly events: string
  readonly eventIds: string
  readonly eventCount: string
  history(caller: string): string
  readonly calls: string
  readonly callServers: string
  callsOf(serverId: string): string
  lease(name: string): string
  op(opId: string): string
  readonly escalations: string
  readonly escalationIndex: string
  readonly outbox: string
  readonly outboxDue: string
  readonly outboxAside: string
  readonly audit: string
  /** A login session, by the digest of its token. */
  session(digest: string): string
  /** Failed logins of a user or a client address. */
  loginFailures(key: string): string
  /** A configuration posted for every engine (kind: 'sections'). */
  config(kind: string): string
}

export const DEFAULT_PREFIX = 'centralino'

export function redisKeys(prefix: string = DEFAULT_PREFIX): RedisKeys {
  if (prefix === '' || /[{}]/.test(prefix)) throw new RangeError(`Redis key prefix must be non-empty and free of braces, got ${JSON.stringify(prefix)}`)
  const tag = `{${prefix}}`
  const k = (...parts: string[]) => [tag, ...parts].join(':')
  return {
    prefix,
    tag,
    queue: (section) => k('q', section),
    entries: k('e'),
    entryQueues: k('eq'),
    entryMembers: k('em'),
    seq: k('seq'),
    callbacks: k('cb'),
    agents: k('a'),
    agentOrder: k('agents'),
    agentOrderCounter: k('agents', 'n'),
    events: k('ev'),
    eventIds: k('ev', 'ids'),
    eventCount: k('ev', 'n'),
    history: (caller) => k('h', caller),
    calls: k('c'),
    callServers: k('cs'),
    callsOf: (serverId) => k('calls', serverId),
    lease: (name) => k('lease', name),
    op: (opId) => k('op', opId),
    escalations: k('x'),
    escalationIndex: k('x', 'i'),
    outbox: k('xo'),
    outboxDue: k('xd'),
    outboxAside: k('xa'),
    audit: k('audit'),
    session: (digest) => k('sess', digest),
    loginFailures: (key) => k('lf', key),
    config: (kind) => k('cfg', kind),
  }
}
