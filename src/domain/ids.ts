/**
 * Client-chosen identifiers for Asterisk objects (channels, bridges, playbacks).
 * Asterisk matches a new channel id against live ones as a case-insensitive *prefix*, so every
 * id the engine makes has the same fixed length (36, UUID-shaped) and is lower-case.
 * deriveId makes a stable id from its parts, so a replayed step asks for the same object.
 */
import { createHash, randomUUID } from 'node:crypto'

export const ID_LENGTH = 36

export function newId(): string {
  return randomUUID()
}

/** A UUID-shaped (version 5 layout) id that depends only on its parts. */
export function deriveId(...parts: Array<string | number>): string {
  const h = createHash('sha1').update(parts.join('\u0000')).digest('hex')
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`
}

export function isEngineId(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)
}
