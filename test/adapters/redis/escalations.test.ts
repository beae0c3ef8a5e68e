import t from 'tap'
import { Cluster, Redis } from 'ioredis'
import { createRedisStore } from '../../../src/adapters/redis/store.js'
import { createRedisEscalationStore } from '../../../src/adapters/redis/escalations.js'
import { createMemoryStore } from '../../../src/adapters/memory/store.js'
import { escalationStoreFor } from '../../../src/http/engine-api.js'
import { change, escalationStoreContract, ticket } from '../../helpers/escalation-store-contract.js'
import { NO_REDIS, redisServerAvailable, startRedisServer } from '../../helpers/redis-server.js'

if (!redisServerAvailable()) {
  t.plan(0, NO_REDIS)
} else {
  const redis = (await startRedisServer(t))!
  let n = 0
  const open = (prefix = `x${++n}`) => {
    const store = createRedisStore({ url: redis.url, prefix })
    t.teardown(() => store.close())
    return { store, escalations: createRedisEscalationStore(store) }
  }

  t.test('escalation store contract on Redis', async (t) => {
    escalationStoreContract(t, async () => open().escalations)
  })

  t.test('two engines share the escalations and their outbox', async (t) => {
    const a = open('shared')
    const b = open('shared')
    const e = ticket()
    await a.escalations.create(e)
    t.same(await b.escalations.get(e.id), e, 'created on one engine, read on the other')
    const claimedA = await a.escalations.outbox.claimDue(e.createdAt, 10, 10_000)
    const claimedB = await b.escalations.outbox.claimDue(e.createdAt, 10, 10_000)
    t.equal(claimedA.length + claimedB.length, 1, 'a change is claimed by one engine only')
    const moved = await b.escalations.transition(e.id, change(e, 'in_charge', e.createdAt + 5))
    t.equal(moved?.status, 'in_charge')
    t.equal(await a.escalations.transition(e.id, change(e, 'closed', e.createdAt + 6)), undefined, 'the other engine\'s stale change is refused')
  })

  t.test('an engine on Redis keeps its escalations there; one on memory keeps them in memory', async (t) => {
    const a = escalationStoreFor(open('engines').store)
    const b = escalationStoreFor(open('engines').store)
    const e = ticket()
    await a.create(e)
    t.same(await b.get(e.id), e, 'engine B sees the ticket engine A opened')
    const m = escalationStoreFor(createMemoryStore())
    t.equal(await m.get(e.id), undefined)
  })

  t.test('a resent script (lost reply after an outage) applies once', async (t) => {
    const { store, escalations } = open()
    const e = ticket()
    await escalations.create(e)
    const k = store.keys
    const op = k.op('replayed-transition')
    const c = change(e, 'in_charge', e.createdAt + 1)
    const next = { ...e, status: 'in_charge', version: 2, updatedAt: c.at, history: [...e.history, c] }
    const item = { escalationId: e.id, changeId: c.changeId, seq: 2, attempts: 0, nextAt: c.at }
    const args = [120_000, e.id, 'open', 1, JSON.stringify(next), JSON.stringify(item), c.at]
    t.equal(await store.scripts.run('escalation-transition', [k.escalations, k.outbox, k.outboxDue, op], args), 1)
    t.equal(await store.scripts.run('escalation-transition', [k.escalations, k.outbox, k.outboxDue, op], args), 1, 'the replay gets the first reply')
    t.equal(await escalations.outbox.pendingCount(), 2, 'and queued the change once')
    t.equal((await escalations.get(e.id))!.history.length, 2)
  })

  t.test('on Redis Cluster (keys in one slot)', async (t) => {
    const node = (await startRedisServer(t, { cluster: true }))!
    const admin = new Redis(node.url)
    t.teardown(() => admin.quit())
    await admin.call('CLUSTER', 'ADDSLOTSRANGE', '0', '16383')
    for (let i = 0; !String(await admin.call('CLUSTER', 'INFO')).includes('cluster_state:ok'); i++) {
      if (i > 200) throw new Error('cluster did not reach state ok')
      await new Promise((r) => setTimeout(r, 50))
    }
    const cluster = new Cluster([{ host: '127.0.0.1', port: node.port! }])
    t.teardown(() => cluster.quit())
    escalationStoreContract(t, async () => createRedisEscalationStore(createRedisStore({ client: cluster, prefix: `c${++n}` })))
  })
}
