/**
 * How records become Redis values and back, and how queue entries are ordered.
 *
 * Records (queue entries, agents) are hashes with one field per top-level property, its value
 * JSON-encoded by JavaScript. Lua only compares and replaces whole field values and never
 * decodes a record, so fields it does not know (skills, callbacks, preferred agent...) travel
 * through untouched and numbers keep every digit (Redis's cjson would print 14 significant
 * digits and turn [] into {}). Fields whose name starts with "~" are the store's own.
 *
 * Queue order: priority (high first), then enteredAt, then seq, exactly, for any finite
 * numbers: the sorted-set score is -priority (a double, exact), and members with an equal
 * score sort bytewise, so the member starts with enteredAt as 16 hex digits of its IEEE-754
 * bits made order-preserving, then seq as 16 zero-padded decimal digits, then the call id.
 */

export type Fields = Record<string, string>

/** Object -> [field, JSON, field, JSON, ...]; undefined properties are left out. */
export function encodeFields(o: object, skip: readonly string[] = []): string[] {
  const out: string[] = []
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || skip.includes(k)) continue
    if (k.startsWith('~')) throw new RangeError(`record field names may not start with "~": ${k}`)
    out.push(k, JSON.stringify(v))
  }
  return out
}

/** A hash (object from HGETALL, or a flat [field, value, ...] array from a script) -> the record. */
export function decodeFields<T>(h: Fields | readonly string[]): T | undefined {
  const pairs: [string, string][] = []
  if (Array.isArray(h)) {
    for (let i = 0; i + 1 < h.length; i += 2) pairs.push([h[i]!, h[i + 1]!])
  } else {
    pairs.push(...Object.entries(h as Fields))
  }
  if (pairs.length === 0) return undefined
  const o: Record<string, unknown> = {}
  for (const [k, v] of pairs) if (!k.startsWith('~')) o[k] = JSON.parse(v)
  return o as T
}

/** enteredAt -> 16 hex digits whose bytewise order is the numeric order (also for negatives). */
export function orderPrefix(n: number): string {
  if (Number.isNaN(n)) throw new RangeError('enteredAt must be a number')
  const b = Buffer.alloc(8)
  b.writeDoubleBE(n === 0 ? 0 : n) // -0 sorts as 0
  if (b[0]! & 0x80) for (let i = 0; i < 8; i++) b[i] = ~b[i]! & 0xff
  else b[0] = b[0]! | 0x80
  return b.toString('hex')
}

/** Sorted-set score of an entry: -priority, as Redis parses it. */
export function queueScore(priority: number): string {
  if (!Number.isFinite(priority)) throw new RangeError('priority must be a finite number')
  return String(priority === 0 ? 0 : -priority)
}

/** A caller-supplied seq as the decimal string the enqueue script pads to 16 digits. */
export function seqArg(seq: number | undefined): string {
  if (seq === undefined) return ''
  if (!Number.isSafeInteger(seq) || seq < 0) throw new RangeError(`seq must be a non-negative safe integer, got ${seq}`)
  return String(seq)
}
