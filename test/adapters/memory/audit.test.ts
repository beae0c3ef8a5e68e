import t from 'tap'
import { createMemoryAuditLog } from '../../../src/adapters/memory/audit.js'
import { auditLogContract } from '../../helpers/audit-contract.js'

auditLogContract(t, async () => createMemoryAuditLog())

t.test('keeps the newest max entries', async (t) => {
  const log = createMemoryAuditLog(3)
  for (let i = 1; i <= 5; i++) await log.append({ at: i, user: 'u', role: 'supervisor', action: 'x', target: 't' })
  t.same((await log.list()).map((e) => e.at), [5, 4, 3])
})
