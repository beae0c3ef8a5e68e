/** The AuditLog contract, for the memory and Redis logs. */
import type { Test } from 'tap'
import type { AuditLog } from '../../src/domain/audit.js'

export function auditLogContract(t: Test, make: () => Promise<AuditLog>): void {
  t.test('appends with ids, reads newest first, filters by target, keeps before and after', async (t) => {
    const log = await make()
    const a = await log.append({ at: 1, user: 'mgr', role: 'campaign_manager', action: 'campaign.create', target: 'campaign:info', after: { id: 'info', ringSeconds: 15 } })
    await log.append({ at: 2, user: 'sup', role: 'supervisor', action: 'optout.add', target: 'optout', after: { numbers: ['+393331234567'] } })
    await log.append({ at: 3, user: 'mgr', role: 'campaign_manager', action: 'campaign.update', target: 'campaign:info', before: { ringSeconds: 15 }, after: { ringSeconds: 20 } })
    t.type(a.id, 'string')
    const all = await log.list()
    t.same(all.map((e) => e.action), ['campaign.update', 'optout.add', 'campaign.create'], 'newest first')
    t.equal(new Set(all.map((e) => e.id)).size, 3, 'distinct ids')
    t.same(all[0], { id: all[0]!.id, at: 3, user: 'mgr', role: 'campaign_manager', action: 'campaign.update', target: 'campaign:info', before: { ringSeconds: 15 }, after: { ringSeconds: 20 } })
    t.same((await log.list({ target: 'campaign:info' })).map((e) => e.at), [3, 1])
    t.same((await log.list({ limit: 1 })).map((e) => e.at), [3])
  })

  t.test('a filtered read goes past the first page', async (t) => {
    const log = await make()
    await log.append({ at: 0, user: 'u', role: 'supervisor', action: 'x', target: 'rare' })
    for (let i = 1; i <= 1200; i++) await log.append({ at: i, user: 'u', role: 'supervisor', action: 'x', target: 'common' })
    t.same((await log.list({ target: 'rare' })).map((e) => e.at), [0])
  })
}
