/**
 * How records become Redis values and back, and how queue entries are ordered.
 *
 * A record (queue entry, agent) is one string of "field\nvalue\n" pairs. Field ~j holds the
 * record as JSON (encoded by JavaScript, as given) minus the properties the store changes
 * later: the status and offeredTo of an entry (and its seq, written by the enqueue script),
 * the state fields of an agent. Those are fields of their own ("overlays") holding JSON, or
 * the empty string for "absent". A record read back is the ~j object with the overlays
 * applied. JSON, decimal numbers and field names never contain a raw newline, so Lua finds and
 * replaces an overlay with a string match (scripts/include/record.lua) and never decodes ~j:
 * properties it does not know (skills, callbacks, preferred agent...) travel through
 * untouched and numbers keep every digit (Redis's cjson would print 14 significant digits and
 * turn [] into {}). One string per record also keeps a 10,000-entry queue cheap to read.
 *
 * Queue order: priority (high first), then enteredAt, then seq, exactly, for any finite
 * numbers: the sorted-set score is -priority (a double, exact), and members with an equal
 * score sort bytewise, so the member starts with enteredAt as 16 hex digits of its IEEE-754
 * bits made order-preserving, then seq as 16 zero-padded decimal digits, then the call id.
 */

/** The value of an overlay that removes the property. */
export const ABSENT = ''

/** Checks a field name can live in a record string. */
export function checkFieldName(k: string): void {
  if (k === '' || k.startsWith('~') || k.includes('\n')) throw new RangeError(`record property names must be non-empty, not start with "~" and hold no newline: ${JSON.stringify(k)}`)
}

/**
 * Record -> its string: ~j (the record without the overlay and `drop` properties), then the
 * overlays that are defined.
 */
export function encodeRecord(o: object, overlay: readonly string[], drop: readonly string[] = []): string {
  const base: Record<string, unknown> = {}
  let over = ''
  for (const [k, v] of Object.entries(o)) {
    checkFieldName(k)
    if (drop.includes(k)) continue
    if (overlay.includes(k)) {
      if (v !== undefined) over += `${k}\n${JSON.stringify(v)}\n`
    } else base[k] = v
  }
  return `~j\n${JSON.stringify(base)}\n${over}`
}

/** A record string -> the record (undefined for a missing one). */
export function decodeRecord<T>(r: string | null | undefined): T | undefined {
  if (r == null) return undefined
  const lines = r.split('\n')
  let o: Record<string, unknown> | undefined
  for (let i = 0; i + 1 < lines.length; i += 2) if (lines[i] === '~j') o = JSON.parse(lines[i + 1]!) as Record<string, unknown>
  if (!o) throw new Error('Redis store: record without ~j')
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const k = lines[i]!
    const v = lines[i + 1]!
    if (k.startsWith('~')) continue
    if (v === ABSENT) delete o[k]
    else o[k] = JSON.parse(v)
  }
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
