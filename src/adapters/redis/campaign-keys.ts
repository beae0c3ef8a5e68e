/**
 * Every Redis key of the campaign store, built here and nowhere else. They carry the same hash
 * tag as the main store's keys (keys.ts): `{<prefix>}:`, one slot, so the campaign scripts run
 * unchanged on Redis Cluster and share the replay guard keys {P}:op:<opId>.
 *
 * Layout (P = prefix, default "centralino"; <id> a campaign id, any characters: the part after
 * it has no colon, so two campaigns' keys never meet):
 *   {P}:cmp                 hash, campaign id -> campaign record (codec.ts: ~j the config,
 *                           overlays status, history, createdAt)
 *   {P}:cmp:<id>:c          hash, contact id -> contact record (~j id, campaignId, number,
 *                           name, consent, fields; overlays lines, status, attempts, nextAt,
 *                           lastOutcome, outcomes, reachedAt, seq, lockedBy, lockedUntil,
 *                           claims, releases)
 *   {P}:cmp:<id>:order      list, contact ids in insertion order (seq = position + 1; the
 *                           export's cursor is a position)
 *   {P}:cmp:<id>:due        sorted set of the pending contacts, score nextAt, member
 *                           <seq as 16 zero-padded digits><contact id>: equal nextAt sort by seq
 *   {P}:cmp:<id>:dialing    sorted set of the dialing contacts, score lock expiry, member the id
 *   {P}:cmp:<id>:n          hash, contact status -> count
 *   {P}:cmp:<id>:eng        hash, engine id -> contacts it is dialing
 *   {P}:cmp:<id>:stats      hash of counters: o:<outcome>, a:<attempt>:<outcome>,
 *                           h:<hour bucket>:<outcome>, c:<named counter>
 *   {P}:cmp:<id>:aw         hash, the abandon window: n:<minute> answers, x:<minute> abandons,
 *                           ~trim the last minute trimmed (a PEXPIRE drops a quiet campaign's)
 *   {P}:optout              set, the national opt-out register (E.164 numbers)
 *   {P}:abandoned           sorted set, number -> not to be called before (ms)
 */
import { DEFAULT_PREFIX, redisKeys } from './keys.js'

export interface CampaignKeys {
  readonly prefix: string
  readonly tag: string
  readonly campaigns: string
  contacts(id: string): string
  order(id: string): string
  due(id: string): string
  dialing(id: string): string
  counts(id: string): string
  engines(id: string): string
  stats(id: string): string
  window(id: string): string
  readonly optOut: string
  readonly abandoned: string
  op(opId: string): string
}

export function campaignKeys(prefix: string = DEFAULT_PREFIX): CampaignKeys {
  const base = redisKeys(prefix)
  const k = (...parts: string[]) => [base.tag, ...parts].join(':')
  return {
    prefix,
    tag: base.tag,
    campaigns: k('cmp'),
    contacts: (id) => k('cmp', id, 'c'),
    order: (id) => k('cmp', id, 'order'),
    due: (id) => k('cmp', id, 'due'),
    dialing: (id) => k('cmp', id, 'dialing'),
    counts: (id) => k('cmp', id, 'n'),
    engines: (id) => k('cmp', id, 'eng'),
    stats: (id) => k('cmp', id, 'stats'),
    window: (id) => k('cmp', id, 'aw'),
    optOut: k('optout'),
    abandoned: k('abandoned'),
    op: base.op,
  }
}
