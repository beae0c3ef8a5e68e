/** The audit log in memory (the embedded default): the newest `max` entries. */
import type { AuditEntry, AuditLog } from '../../domain/audit.js'

export function createMemoryAuditLog(max = 100_000): AuditLog {
  const entries: AuditEntry[] = []
  let n = 0
  return {
    async append(e) {
      const entry: AuditEntry = { ...structuredClone(e), id: String(++n) }
      entries.push(entry)
      if (entries.length > max) entries.splice(0, entries.length - max)
      return structuredClone(entry)
    },
    async list(o = {}) {
      const out: AuditEntry[] = []
      const limit = o.limit ?? 100
      for (let i = entries.length - 1; i >= 0 && out.length < limit; i--) {
        const e = entries[i]!
        if (o.target === undefined || e.target === o.target) out.push(structuredClone(e))
      }
      return out
    },
  }
}
