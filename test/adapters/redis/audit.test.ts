import t from 'tap'
import { createRedisStore } from '../../../src/adapters/redis/store.js'
import { createRedisAuditLog } from '../../../src/adapters/redis/audit.js'
import { auditLogContract } from '../../helpers/audit-contract.js'
import { NO_REDIS, redisServerAvailable, startRedisServer } from '../../helpers/redis-server.js'

if (!redisServerAvailable()) {
  t.plan(0, NO_REDIS)
} else {
  const redis = (await startRedisServer(t))!
  let n = 0
  const open = (prefix = `a${++n}`) => {
    const store = createRedisStore({ url: redis.url, prefix })
    t.teardown(() => store.close())
    return store
  }
  auditLogContract(t, async () => createRedisAuditLog(open()))

  t.test('shared by engines on one Redis', async (t) => {
    const a = createRedisAuditLog(open('shared'))
    const b = createRedisAuditLog(open('shared'))
    await a.append({ at: 1, user: 'sup', role: 'supervisor', action: 'campaign.start', target: 'campaign:x', before: 'draft', after: 'running' })
    t.same((await b.list()).map((e) => [e.action, e.before, e.after]), [['campaign.start', 'draft', 'running']])
  })
}
