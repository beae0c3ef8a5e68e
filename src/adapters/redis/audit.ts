/**
 * The audit log in Redis: one stream, {P}:audit (keys.ts), capped near `max` entries (XADD
 * MAXLEN ~), shared by every engine. A single XADD per entry: no script needed. Read newest
 * first with XREVRANGE; a target filter reads on in pages until it has `limit` entries.
 */
import type { AuditEntry, AuditLog } from '../../domain/audit.js'
import type { RedisStore } from './store.js'

const PAGE = 500

export function createRedisAuditLog(store: RedisStore, max = 100_000): AuditLog {
  const key = store.keys.audit
  const parse = ([id, fields]: [string, string[]]): AuditEntry => ({ ...(JSON.parse(fields[1]!) as Omit<AuditEntry, 'id'>), id })
  return {
    async append(e) {
      const id = await store.client.xadd(key, 'MAXLEN', '~', String(max), '*', 'e', JSON.stringify(e))
      return { ...structuredClone(e), id: id! }
    },
    async list(o = {}) {
      const limit = o.limit ?? 100
      const out: AuditEntry[] = []
      let end = '+'
      for (;;) {
        const page = (await store.client.xrevrange(key, end, '-', 'COUNT', PAGE)) as Array<[string, string[]]>
        for (const row of page) {
          const e = parse(row)
          if (o.target === undefined || e.target === o.target) out.push(e)
          if (out.length >= limit) return out
        }
        if (page.length < PAGE) return out
        end = `(${page.at(-1)![0]}`
      }
    },
  }
}
