/**
 * Redis going away: commands issued during an outage wait and complete once the server is
 * back (a restart on the same socket, data kept); a reply lost in flight makes ioredis resend
 * the command, and the replay guard applies it once and answers with the first outcome.
 */
import t from 'tap'
import { Redis } from 'ioredis'
import type { AgentRecord } from '../../../src/domain/acd.js'
import { createRedisStore } from '../../../src/adapters/redis/store.js'
import { NO_REDIS, redisServerAvailable, startRedisServer } from '../../helpers/redis-server.js'
import { startSocketProxy } from '../../helpers/socket-proxy.js'

const agent = (id: string): AgentRecord => ({ id, name: id, endpoint: `PJSIP/${id}`, sections: ['s1'], state: 'ready', since: 0, idleSince: 0 })
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const entry = (callId: string, enteredAt: number) => ({ callId, section: 's1', priority: 0, enteredAt, lang: 'it', status: 'waiting' as const })

if (!redisServerAvailable()) {
  t.plan(0, NO_REDIS)
} else {
  t.test('commands issued while Redis is down complete once it is back, each applied once', async (t) => {
    const redis = (await startRedisServer(t, { persist: true }))!
    const s = createRedisStore({ url: redis.url, prefix: 'outage' })
    t.teardown(() => s.close())
    await s.agents.upsert(agent('op1'))
    await s.queues.enqueue(entry('a', 1))
    await s.events.append({ id: 'e0', at: 0, callId: 'a', type: 'call.ended', reason: 'x', durationMs: 1 })

    await redis.stop()
    let settled: string | undefined
    const pending = Promise.all([
      s.queues.enqueue(entry('b', 2)),
      s.queues.markOffered('a', 'op1'),
      s.agents.transition('op1', ['ready'], 'reserved', 5, { callId: 'a' }),
      s.events.append({ id: 'e1', at: 1, callId: 'b', type: 'call.ended', reason: 'y', durationMs: 1 }),
      s.calls.put({ callId: 'a', channelId: 'a', serverId: 'ast1', phase: 'queue', startedAt: 1, offers: 1, updatedAt: 5 }),
    ]).then(
      (v) => ((settled = 'resolved'), v),
      (err: unknown) => ((settled = `rejected: ${String(err)}`), undefined),
    )
    await sleep(2500)
    t.equal(settled, undefined, 'still waiting during the outage')
    await redis.start()
    const r = await pending
    t.equal(settled, 'resolved')
    const [b, offered, claimed] = r!
    t.equal(b.seq, 2)
    t.equal(offered, true)
    t.match(claimed, { state: 'reserved', callId: 'a', since: 5 })

    const admin = new Redis(redis.url)
    t.teardown(() => admin.quit())
    t.equal(await admin.get(s.keys.seq), '2', 'one seq taken per enqueue')
    t.same((await s.queues.list('s1')).map((e) => [e.callId, e.status]), [['a', 'offered'], ['b', 'waiting']])
    t.same((await s.events.read()).map((e) => e.id), ['e0', 'e1'])
    t.equal((await s.calls.list('ast1')).length, 1)
  })

  t.test('a bounded wait: past maxRetriesPerRequest reconnections a command fails instead of hanging', async (t) => {
    const redis = (await startRedisServer(t))!
    const s = createRedisStore({ url: redis.url, prefix: 'bounded', redisOptions: { maxRetriesPerRequest: 1, retryStrategy: () => 50 } })
    t.teardown(() => s.close())
    await s.ready()
    await redis.stop()
    await t.rejects(s.queues.enqueue(entry('a', 1)), /max retries|MaxRetriesPerRequest/i)
    await redis.start()
    t.equal((await s.queues.enqueue(entry('a', 1))).callId, 'a', 'works again once Redis is back')
  })

  t.test('a reply lost in flight: the resent script applies once and answers as the first time', async (t) => {
    const redis = (await startRedisServer(t))!
    const proxy = await startSocketProxy(redis.url)
    t.teardown(() => proxy.close())
    const s = createRedisStore({ url: proxy.path, prefix: 'lost' })
    t.teardown(() => s.close())
    const admin = new Redis(redis.url)
    t.teardown(() => admin.quit())
    await s.agents.upsert(agent('op1'))

    proxy.dropNextReply()
    const e = await s.queues.enqueue(entry('a', 1))
    t.equal(proxy.dropped, 1, 'the enqueue reply was lost')
    t.equal(e.seq, 1)
    t.equal(await admin.get(s.keys.seq), '1', 'the resent enqueue took no second seq')

    proxy.dropNextReply()
    t.equal(await s.queues.markOffered('a', 'op1'), true, 'the offer is reported as made')

    proxy.dropNextReply()
    const claimed = await s.agents.transition('op1', ['ready'], 'reserved', 5, { callId: 'a' })
    t.match(claimed, { state: 'reserved', callId: 'a' }, 'the claim is reported as won')

    proxy.dropNextReply()
    t.match(await s.queues.remove('a'), { callId: 'a', status: 'offered' }, 'remove returns the entry it removed')

    proxy.dropNextReply()
    await s.events.append({ id: 'e1', at: 1, callId: 'a', type: 'call.ended', reason: 'x', durationMs: 1 })
    t.equal(proxy.dropped, 5)
    t.same((await s.events.read()).map((x) => x.id), ['e1'], 'appended once')
    t.equal(await s.queues.get('a'), undefined)
  })

  t.test('without the replay guard, the same lost reply turns a won claim into a lost one', async (t) => {
    const redis = (await startRedisServer(t))!
    const proxy = await startSocketProxy(redis.url)
    t.teardown(() => proxy.close())
    const s = createRedisStore({ url: proxy.path, prefix: 'unguarded', opTtlMs: 0 })
    t.teardown(() => s.close())
    await s.agents.upsert(agent('op1'))
    proxy.dropNextReply()
    const claimed = await s.agents.transition('op1', ['ready'], 'reserved', 5, { callId: 'a' })
    t.equal(proxy.dropped, 1)
    t.equal(claimed, undefined, 'the rerun found the agent reserved (by this very call)')
    t.equal((await s.agents.get('op1'))?.callId, 'a')
  })
}
