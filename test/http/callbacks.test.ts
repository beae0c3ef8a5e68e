/**
 * GET /api/callbacks (pending callbacks in queue order, numbers masked) and DELETE
 * /api/callbacks/:id (cancelled unless being placed; audited); the store side of a cancel
 * (src/acd/queue-admin.ts) on the memory and the Redis store.
 */
import t, { type Test } from 'tap'
import { createMemoryStore } from '../../src/adapters/memory/store.js'
import { createRedisStore } from '../../src/adapters/redis/store.js'
import { cancelCallback, pendingCallbacks } from '../../src/acd/queue-admin.js'
import type { Store } from '../../src/domain/store.js'
import { section } from '../helpers/acd-fixtures.js'
import { NO_REDIS, redisServerAvailable, startRedisServer } from '../helpers/redis-server.js'
import { auth, startApi } from './fixture.js'

const NUMBER = '+393331234567'

/** In pensions: a caller, a callback, a callback waiting to retry, a callback being placed. */
async function queue(t: Test, store: Store, now: number): Promise<void> {
  const q = store.queues
  await q.enqueue({ callId: 'w1', section: 'pensions', priority: 0, enteredAt: now - 60_000, lang: 'it', status: 'waiting' })
  await q.enqueue({ callId: 'w2', section: 'pensions', priority: 0, enteredAt: now - 50_000, lang: 'it', status: 'waiting' })
  t.equal(await q.enqueueCallback('w2', { number: NUMBER, requestedAt: now - 20_000, attempts: 0 }), 'ok')
  await q.enqueue({ callId: 'w3', section: 'pensions', priority: 0, enteredAt: now - 40_000, lang: 'it', status: 'waiting', kind: 'callback', recall: { number: '+393339999888', requestedAt: now - 30_000, attempts: 1 }, notBefore: now + 120_000 })
  await q.enqueue({ callId: 'w4', section: 'pensions', priority: 0, enteredAt: now - 30_000, lang: 'it', status: 'waiting', kind: 'callback', recall: { number: '+393337777666', requestedAt: now - 25_000, attempts: 0 } })
  t.ok(await q.markOffered('w4', 'op3'), 'w4 is being called')
}

t.test('GET /api/callbacks: pending callbacks in queue order, numbers masked', async (t) => {
  const api = await startApi(t)
  const now = api.clock.now()
  await queue(t, api.store, now)
  const r = await api.app.inject({ method: 'GET', url: '/api/callbacks', headers: auth('tok-viewer') })
  t.equal(r.statusCode, 200)
  t.same(r.json(), [
    { id: 'w2', section: 'pensions', position: 2, number: '+*********567', requestedAt: new Date(now - 20_000).toISOString(), attempts: 0, maxAttempts: 2, status: 'waiting' },
    { id: 'w3', section: 'pensions', position: 3, number: '+*********888', requestedAt: new Date(now - 30_000).toISOString(), attempts: 1, maxAttempts: 2, status: 'retry_later', nextAttemptAt: new Date(now + 120_000).toISOString() },
    { id: 'w4', section: 'pensions', position: 4, number: '+*********666', requestedAt: new Date(now - 25_000).toISOString(), attempts: 0, maxAttempts: 2, status: 'calling' },
  ])
  t.notMatch(r.body, /3331234567/, 'no number in clear')
  const ops = await api.app.inject({ method: 'GET', url: '/api/callbacks?section=operators', headers: auth('tok-supervisor') })
  t.same(ops.json(), [], 'none in operators')
})

t.test('DELETE /api/callbacks/:id: cancelled and audited; not while being placed; not a caller', async (t) => {
  const api = await startApi(t)
  await queue(t, api.store, api.clock.now())
  const sup = auth('tok-supervisor')
  const r = await api.app.inject({ method: 'DELETE', url: '/api/callbacks/w2', headers: sup })
  t.equal(r.statusCode, 200)
  t.same(r.json(), { id: 'w2', section: 'pensions', cancelled: true })
  t.equal(await api.store.queues.get('w2'), undefined, 'gone from the queue')
  t.match(await api.audit.list(), [{ action: 'callback.cancel', target: 'callback:w2', user: 'sup', before: { section: 'pensions', number: NUMBER, attempts: 0 } }])
  t.equal((await api.app.inject({ method: 'DELETE', url: '/api/callbacks/w2', headers: sup })).statusCode, 404, 'twice: not found')

  const calling = await api.app.inject({ method: 'DELETE', url: '/api/callbacks/w4', headers: sup })
  t.equal(calling.statusCode, 409)
  t.match(calling.json().error, { code: 'CONFLICT', details: { status: 'calling' } })
  t.match(await api.store.queues.get('w4'), { status: 'offered', offeredTo: 'op3' }, 'the call being placed is left alone')
  const caller = await api.app.inject({ method: 'DELETE', url: '/api/callbacks/w1', headers: sup })
  t.equal(caller.statusCode, 404, 'a caller on the line is no callback')
  t.ok(await api.store.queues.get('w1'))
  t.equal((await api.audit.list()).length, 1, 'only the cancel is audited')
  const left = await api.app.inject({ method: 'GET', url: '/api/callbacks', headers: sup })
  t.same((left.json() as Array<{ id: string; position: number }>).map((c) => [c.id, c.position]), [['w3', 2], ['w4', 3]], 'the others move up')
})

function storeCases(t: Test, open: () => Promise<Store>): void {
  t.test('listing and cancelling on the store', async (t) => {
    const store = await open()
    const now = 1_800_000_000_000
    await queue(t, store, now)
    const list = await pendingCallbacks(store.queues, [section('operators'), section('pensions')], now)
    t.same(list.map((c) => [c.id, c.position, c.status, c.number]), [['w2', 2, 'waiting', NUMBER], ['w3', 3, 'retry_later', '+393339999888'], ['w4', 4, 'calling', '+393337777666']])
    t.match(await cancelCallback(store.queues, 'w3'), { callId: 'w3', kind: 'callback' })
    t.equal(await store.queues.get('w3'), undefined)
    await t.rejects(cancelCallback(store.queues, 'w4'), { code: 'CONFLICT' })
    t.equal((await store.queues.get('w4'))?.offeredTo, 'op3', 'a callback being placed keeps its agent')
    await t.rejects(cancelCallback(store.queues, 'w1'), { code: 'NOT_FOUND' })
    await t.rejects(cancelCallback(store.queues, 'nope'), { code: 'NOT_FOUND' })
    t.same((await store.queues.list('pensions')).map((e) => e.callId), ['w1', 'w2', 'w4'])
  })
}

t.test('memory store', async (t) => storeCases(t, async () => createMemoryStore()))

t.test('Redis store', async (t) => {
  if (!redisServerAvailable()) return void t.plan(0, NO_REDIS)
  const redis = (await startRedisServer(t))!
  storeCases(t, async () => {
    const store = createRedisStore({ url: redis.url, prefix: 'cb' })
    t.teardown(() => store.close())
    return store
  })
})
