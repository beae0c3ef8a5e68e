/**
 * Live channels, indexed by id, by name and by every lower-cased prefix of their ids, so
 * Asterisk's "an id that is a case-insensitive prefix of a live id already exists" check is
 * O(length of the id) whatever the number of channels. Also owns the name counters: one for
 * unreal channels (Local and Announcer share it, as in core_unreal.c), one for PJSIP.
 */
import type { Channel } from './channel.js'

const hex8 = (n: number): string => (n >>> 0).toString(16).padStart(8, '0')

export class ChannelRegistry {
  private readonly byId = new Map<string, Channel>()
  private readonly byName = new Map<string, Channel>()
  private readonly prefixes = new Map<string, number>()
  private unrealSeq = 0
  private pjsipSeq = 0
  private uniqueSeq = 0

  /** True when `id` is a case-insensitive prefix of (or equal to) a live channel id. */
  idTaken(id: string): boolean {
    return this.prefixes.has(id.toLowerCase())
  }

  add(ch: Channel): void {
    this.byId.set(ch.id, ch)
    this.byName.set(ch.name, ch)
    const low = ch.id.toLowerCase()
    for (let i = 1; i <= low.length; i++) {
      const p = low.slice(0, i)
      this.prefixes.set(p, (this.prefixes.get(p) ?? 0) + 1)
    }
  }

  remove(ch: Channel): void {
    if (this.byId.get(ch.id) !== ch) return
    this.byId.delete(ch.id)
    if (this.byName.get(ch.name) === ch) this.byName.delete(ch.name)
    const low = ch.id.toLowerCase()
    for (let i = 1; i <= low.length; i++) {
      const p = low.slice(0, i)
      const n = (this.prefixes.get(p) ?? 1) - 1
      if (n <= 0) this.prefixes.delete(p)
      else this.prefixes.set(p, n)
    }
  }

  /** Exact lookup by unique id (ARI REST paths). */
  get(id: string): Channel | undefined {
    return this.byId.get(id)
  }

  /** ast_channel_get_by_name: by name first, then by unique id. */
  getByNameOrId(x: string): Channel | undefined {
    return this.byName.get(x) ?? this.byId.get(x)
  }

  size(): number {
    return this.byId.size
  }

  /** Channels ARI lists (internal announcers excluded), oldest first. */
  visible(): Channel[] {
    const out: Channel[] = []
    for (const ch of this.byId.values()) if (!ch.internal) out.push(ch)
    return out
  }

  nextUnreal(): string {
    return hex8(this.unrealSeq++)
  }

  nextPjsip(): string {
    return hex8(this.pjsipSeq++)
  }

  /** asterisk.conf `systemname`: when set, Asterisk prefixes every unique id with it and a dash. */
  systemName: string | undefined

  /** Asterisk-style generated unique id: [systemname-]epoch seconds . sequence. */
  newUniqueId(now: number): string {
    return `${this.systemName ? `${this.systemName}-` : ''}${Math.floor(now / 1000)}.${this.uniqueSeq++}`
  }
}
