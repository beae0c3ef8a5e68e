/**
 * Every Redis key the store uses, built here and nowhere else. Each key starts with the hash
 * tag `{<prefix>}:` so that all of them hash to one slot: the multi-key Lua scripts run
 * unchanged on Redis Cluster (the whole national state lives on one shard, the price of
 * atomic multi-key changes). The parts after the tag (section, call id, agent id, caller,
 * server id) may contain any character: Redis reads only the first {...} as the tag.
 *
 * Layout (P = prefix, default "centralino"):
 *   {P}:q:<section>     sorted set, the section's queue in service order (see codec.ts)
 *   {P}:e:<callId>      hash, one queue entry: each top-level field as JSON, plus ~q/~m
 *   {P}:seq             counter, the queue entries' tie-breaking seq (INCR)
 *   {P}:a:<agentId>     hash, one agent record: each top-level field as JSON
 *   {P}:agents          sorted set, agent ids in first-upsert order
 *   {P}:agents:n        counter for that order
 *   {P}:ev              stream, the call event log (entry id <index + 1>-0)
 *   {P}:ev:ids          hash, event id -> index + 1 (idempotent append)
 *   {P}:ev:n            counter, events appended so far
 *   {P}:h:<caller>      hash {agentId, at} with a TTL, who served a caller last
 *   {P}:c:<callId>      hash {j: call record JSON, ~s: its server's set key}
 *   {P}:calls:<server>  set of call ids with a record, per Asterisk server
 *   {P}:op:<opId>       string with a TTL, the reply of an applied mutating script (replay guard)
 *
 * Scripts that must touch a key they can only learn from stored data (the old section of a
 * re-enqueued or removed entry, a queue's entries when listing) read key names that were
 * built here and stored (~q, ~s), or prefixes passed from here: same hash tag, same slot.
 */

export interface RedisKeys {
  readonly prefix: string
  /** The hash tag every key starts with, e.g. "{centralino}". */
  readonly tag: string
  queue(section: string): string
  entry(callId: string): string
  /** entry(callId) === entryPrefix + callId (for scripts that list a queue). */
  readonly entryPrefix: string
  readonly seq: string
  agent(id: string): string
  readonly agentPrefix: string
  readonly agents: string
  readonly agentOrder: string
  readonly events: string
  readonly eventIds: string
  readonly eventCount: string
  history(caller: string): string
  call(callId: string): string
  readonly callPrefix: string
  callsOf(serverId: string): string
  op(opId: string): string
}

export const DEFAULT_PREFIX = 'centralino'

export function redisKeys(prefix: string = DEFAULT_PREFIX): RedisKeys {
  if (prefix === '' || /[{}]/.test(prefix)) throw new RangeError(`Redis key prefix must be non-empty and free of braces, got ${JSON.stringify(prefix)}`)
  const tag = `{${prefix}}`
  const k = (...parts: string[]) => [tag, ...parts].join(':')
  const entryPrefix = k('e', '')
  const agentPrefix = k('a', '')
  const callPrefix = k('c', '')
  return {
    prefix,
    tag,
    queue: (section) => k('q', section),
    entry: (callId) => entryPrefix + callId,
    entryPrefix,
    seq: k('seq'),
    agent: (id) => agentPrefix + id,
    agentPrefix,
    agents: k('agents'),
    agentOrder: k('agents', 'n'),
    events: k('ev'),
    eventIds: k('ev', 'ids'),
    eventCount: k('ev', 'n'),
    history: (caller) => k('h', caller),
    call: (callId) => callPrefix + callId,
    callPrefix,
    callsOf: (serverId) => k('calls', serverId),
    op: (opId) => k('op', opId),
  }
}
