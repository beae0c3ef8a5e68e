/**
 * The same store on Redis Cluster: a one-node cluster (all 16384 slots) checks, as any cluster
 * does, that the keys of every command and script hash to one slot (CROSSSLOT otherwise); the
 * contract passes through ioredis's Cluster client. (Keys a script reads from stored names,
 * an entry's old queue, are not checked by a node that owns every slot: the hash-tag test of
 * store.test.ts covers their names.)
 */
import t from 'tap'
import { Cluster, Redis } from 'ioredis'
import { createRedisStore } from '../../../src/adapters/redis/store.js'
import { seedRedisStore, syntheticLoad } from '../../../src/adapters/redis/seed.js'
import { storeContract } from '../../helpers/store-contract.js'
import { NO_REDIS, redisServerAvailable, startRedisServer } from '../../helpers/redis-server.js'

if (!redisServerAvailable()) {
  t.plan(0, NO_REDIS)
} else {
  const redis = (await startRedisServer(t, { cluster: true }))!
  const admin = new Redis(redis.url)
  t.teardown(() => admin.quit())
  await admin.call('CLUSTER', 'ADDSLOTSRANGE', '0', '16383')
  for (let i = 0; !String(await admin.call('CLUSTER', 'INFO')).includes('cluster_state:ok'); i++) {
    if (i > 200) throw new Error('cluster did not reach state ok')
    await new Promise((r) => setTimeout(r, 50))
  }
  const cluster = new Cluster([{ host: '127.0.0.1', port: redis.port! }])
  t.teardown(() => cluster.quit())

  t.test('the cluster refuses keys of different slots (so the passes below mean something)', async (t) => {
    await t.rejects(cluster.eval("return redis.call('SET', KEYS[1], 1)", 2, '{a}:x', '{b}:y'), /CROSSSLOT/)
  })

  let n = 0
  t.test('store contract on Redis Cluster', async (t) => {
    storeContract(t, async () => createRedisStore({ client: cluster, prefix: `cluster${++n}` }))
  })

  t.test('re-enqueue across sections, seeding in pipelines, on Redis Cluster', async (t) => {
    const s = createRedisStore({ client: cluster, prefix: 'national' })
    await s.queues.enqueue({ callId: 'c1', section: 'pensions', priority: 0, enteredAt: 1, lang: 'it', status: 'waiting' })
    await s.queues.enqueue({ callId: 'c1', section: 'income_support', priority: 0, enteredAt: 1, lang: 'it', status: 'waiting' })
    t.same(await s.queues.list('pensions'), [])
    t.equal((await s.queues.remove('c1'))?.section, 'income_support')
    await s.calls.put({ callId: 'c1', channelId: 'c1', serverId: 'ast1', phase: 'queue', startedAt: 1, offers: 0, updatedAt: 1 })
    await s.calls.put({ callId: 'c1', channelId: 'c1', serverId: 'ast2', phase: 'queue', startedAt: 1, offers: 0, updatedAt: 2 })
    t.same(await s.calls.list('ast1'), [])
    t.same(await seedRedisStore(s, syntheticLoad({ waiting: 500, agents: 50 })), { entries: 500, agents: 50 })
    t.equal((await s.agents.list()).length, 50)
  })
}
