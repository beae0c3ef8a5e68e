/**
 * The Store contract: the same assertions for every Store implementation (memory now,
 * Redis in a later issue). Call storeContract(t, makeStore) from an implementation's test.
 */
import type { Test } from 'tap'
import type { AgentRecord } from '../../src/domain/acd.js'
import type { Store } from '../../src/domain/store.js'

const agent = (id: string, over: Partial<AgentRecord> = {}): AgentRecord => ({
  id,
  name: id,
  endpoint: `PJSIP/${id}`,
  sections: ['s1'],
  state: 'ready',
  since: 0,
  idleSince: 0,
  ...over,
})

export function storeContract(t: Test, makeStore: () => Promise<Store>): void {
  t.test('queues keep service order: priority, then entry time, then arrival', async (t) => {
    const s = await makeStore()
    t.teardown(() => s.close())
    await s.queues.enqueue({ callId: 'a', section: 's1', priority: 0, enteredAt: 100, lang: 'it', status: 'waiting' })
    await s.queues.enqueue({ callId: 'b', section: 's1', priority: 0, enteredAt: 50, lang: 'it', status: 'waiting' })
    await s.queues.enqueue({ callId: 'c', section: 's1', priority: 5, enteredAt: 200, lang: 'it', status: 'waiting' })
    await s.queues.enqueue({ callId: 'd', section: 's1', priority: 0, enteredAt: 100, lang: 'it', status: 'waiting' })
    await s.queues.enqueue({ callId: 'x', section: 's2', priority: 0, enteredAt: 0, lang: 'it', status: 'waiting' })
    t.same((await s.queues.list('s1')).map((e) => e.callId), ['c', 'b', 'a', 'd'])
    t.same((await s.queues.list('s2')).map((e) => e.callId), ['x'])
    t.same(await s.queues.list('nope'), [])
    t.same((await s.queues.list('s1', 2)).map((e) => e.callId), ['c', 'b'], 'the head: the first n in service order')
    t.same((await s.queues.list('s1', 10)).map((e) => e.callId), ['c', 'b', 'a', 'd'], 'a limit past the end reads all')
    t.same(await s.queues.list('s1', 0), [], 'a limit of 0 reads nothing')
  })

  t.test('re-enqueue replaces, remove returns the entry once', async (t) => {
    const s = await makeStore()
    t.teardown(() => s.close())
    await s.queues.enqueue({ callId: 'a', section: 's1', priority: 0, enteredAt: 1, lang: 'it', status: 'waiting' })
    await s.queues.enqueue({ callId: 'a', section: 's2', priority: 3, enteredAt: 1, lang: 'en', status: 'waiting' })
    t.same(await s.queues.list('s1'), [])
    t.equal((await s.queues.get('a'))?.section, 's2')
    t.equal((await s.queues.remove('a'))?.priority, 3)
    t.equal(await s.queues.remove('a'), undefined)
    t.equal(await s.queues.get('a'), undefined)
  })

  t.test('offered entries keep their place when returned to waiting', async (t) => {
    const s = await makeStore()
    t.teardown(() => s.close())
    await s.queues.enqueue({ callId: 'a', section: 's1', priority: 0, enteredAt: 1, lang: 'it', status: 'waiting' })
    await s.queues.enqueue({ callId: 'b', section: 's1', priority: 0, enteredAt: 2, lang: 'it', status: 'waiting' })
    t.equal(await s.queues.markOffered('a', 'ag1'), true)
    t.equal(await s.queues.markOffered('a', 'ag2'), false, 'an offered entry cannot be offered twice')
    t.equal((await s.queues.get('a'))?.offeredTo, 'ag1')
    t.equal(await s.queues.markWaiting('a'), true)
    const list = await s.queues.list('s1')
    t.same(list.map((e) => [e.callId, e.status]), [['a', 'waiting'], ['b', 'waiting']])
    t.equal(list[0]!.offeredTo, undefined)
    t.equal(await s.queues.markOffered('zz', 'ag1'), false)
  })

  t.test('callbacks: the entry keeps its place, one pending callback per number', async (t) => {
    const s = await makeStore()
    t.teardown(() => s.close())
    const cb = (n: string, engineId?: string) => ({ number: n, requestedAt: 10, attempts: 0, ...(engineId ? { engineId } : {}) })
    await s.queues.enqueue({ callId: 'a', section: 's1', priority: 0, enteredAt: 1, lang: 'it', status: 'waiting' })
    await s.queues.enqueue({ callId: 'b', section: 's1', priority: 0, enteredAt: 2, lang: 'it', status: 'waiting' })
    await s.queues.enqueue({ callId: 'c', section: 's2', priority: 0, enteredAt: 3, lang: 'it', status: 'waiting' })
    const before = (await s.queues.get('a'))!
    t.equal(await s.queues.enqueueCallback('a', cb('+393331234567', 'eng1')), 'ok')
    const a = (await s.queues.get('a'))!
    t.match(a, { kind: 'callback', recall: { number: '+393331234567', requestedAt: 10, attempts: 0, engineId: 'eng1' }, status: 'waiting' })
    t.same([a.seq, a.enteredAt, a.priority], [before.seq, before.enteredAt, before.priority], 'same place')
    t.same((await s.queues.list('s1')).map((e) => e.callId), ['a', 'b'], 'still ahead of the later caller')
    t.equal(await s.queues.enqueueCallback('c', cb('+393331234567')), 'duplicate', 'a second request for the number is refused')
    t.equal((await s.queues.get('c'))?.kind, undefined, 'the refused caller keeps a plain entry')
    t.equal(await s.queues.enqueueCallback('c', cb('+393339999999')), 'ok', 'another number is fine')
    t.equal(await s.queues.markOffered('b', 'ag1'), true)
    t.equal(await s.queues.enqueueCallback('b', cb('+393330000001')), 'not_waiting', 'offered to an agent right now')
    t.equal(await s.queues.enqueueCallback('zz', cb('+393330000002')), 'not_waiting')
    // Offering, retrying (re-enqueue with the same seq) and finally removing the callback entry.
    t.equal(await s.queues.markOffered('a', 'ag2'), true)
    t.equal(await s.queues.markWaiting('a'), true)
    await s.queues.enqueue({ ...(await s.queues.get('a'))!, recall: { ...a.recall!, attempts: 1 }, notBefore: 99 })
    const retried = (await s.queues.get('a'))!
    t.match(retried, { kind: 'callback', recall: { attempts: 1 }, notBefore: 99, seq: a.seq })
    t.same((await s.queues.list('s1')).map((e) => e.callId), ['a', 'b'], 'a retry keeps the place')
    t.equal(await s.queues.enqueueCallback('b', cb('+393331234567')), 'not_waiting')
    await s.queues.markWaiting('b')
    t.equal(await s.queues.enqueueCallback('b', cb('+393331234567')), 'duplicate', 'still pending while retrying')
    await s.queues.remove('a')
    t.equal(await s.queues.enqueueCallback('b', cb('+393331234567')), 'ok', 'the number is free once the callback is done')
  })

  t.test('agent transitions are compare-and-set', async (t) => {
    const s = await makeStore()
    t.teardown(() => s.close())
    await s.agents.upsert(agent('a1'))
    const r = await s.agents.transition('a1', ['ready'], 'reserved', 10, { callId: 'c1' })
    t.equal(r?.state, 'reserved')
    t.equal(r?.callId, 'c1')
    t.equal(r?.since, 10)
    t.equal(await s.agents.transition('a1', ['ready'], 'reserved', 11, { callId: 'c2' }), undefined, 'second claim fails')
    t.equal((await s.agents.get('a1'))?.callId, 'c1')
    const p = await s.agents.transition('a1', ['reserved'], 'paused', 12, { pauseReason: 'no-answer', callId: undefined })
    t.equal(p?.pauseReason, 'no-answer')
    t.equal(p?.callId, undefined)
    const back = await s.agents.transition('a1', ['paused'], 'ready', 13, { idleSince: 13 })
    t.equal(back?.pauseReason, undefined, 'pause reason cleared when leaving paused')
    t.equal(back?.idleSince, 13)
    t.equal(await s.agents.transition('ghost', ['ready'], 'paused', 1), undefined)
  })

  t.test('returned records are copies', async (t) => {
    const s = await makeStore()
    t.teardown(() => s.close())
    await s.agents.upsert(agent('a1'))
    const a = (await s.agents.get('a1'))!
    a.state = 'paused'
    a.sections.push('s9')
    t.equal((await s.agents.get('a1'))?.state, 'ready')
    t.same((await s.agents.get('a1'))?.sections, ['s1'])
    t.equal((await s.agents.list()).length, 1)
  })

  t.test('the event log appends once per id, in order', async (t) => {
    const s = await makeStore()
    t.teardown(() => s.close())
    await s.events.append({ id: 'e1', at: 1, callId: 'c', type: 'call.ended', reason: 'x', durationMs: 5 })
    await s.events.append({ id: 'e2', at: 2, callId: 'c', type: 'call.ended', reason: 'y', durationMs: 5 })
    await s.events.append({ id: 'e1', at: 3, callId: 'c', type: 'call.ended', reason: 'z', durationMs: 5 })
    const all = await s.events.read()
    t.same(all.map((e) => e.id), ['e1', 'e2'])
    t.same((await s.events.read(1)).map((e) => e.id), ['e2'])
    t.same((await s.events.read(0, 1)).map((e) => e.id), ['e1'])
  })

  t.test('caller history: the last agent within the window, older records never win', async (t) => {
    const s = await makeStore()
    t.teardown(() => s.close())
    t.equal(await s.history.lastServed('+393331234567', 1000, 500), undefined)
    await s.history.recordServed('+393331234567', 'op1', 1000)
    await s.history.recordServed('+393331234567', 'op2', 2000)
    await s.history.recordServed('+393331234567', 'op3', 1500)
    t.same(await s.history.lastServed('+393331234567', 2100, 500), { agentId: 'op2', at: 2000 })
    t.equal(await s.history.lastServed('+393331234567', 2600, 500), undefined, 'too long ago')
    t.equal(await s.history.lastServed('+390000000000', 2100, 500), undefined)
  })

  t.test('call records: put replaces, list per server, delete, copies returned', async (t) => {
    const s = await makeStore()
    t.teardown(() => s.close())
    const rec = { callId: 'c1', channelId: 'c1', serverId: 'ast1', phase: 'ivr' as const, startedAt: 1, offers: 0, updatedAt: 1, flow: { id: 'national', version: 'v1', snapshot: { value: { main: 'waiting' }, context: { deadlineAt: 5 } }, promptSeq: 3 } }
    await s.calls.put(rec)
    await s.calls.put({ ...rec, callId: 'c2', channelId: 'c2', serverId: 'ast2' })
    await s.calls.put({ ...rec, phase: 'queue', section: 'pensions', updatedAt: 2 })
    const got = await s.calls.get('c1')
    t.match(got, { phase: 'queue', section: 'pensions', flow: { promptSeq: 3, snapshot: { context: { deadlineAt: 5 } } } })
    got!.flow!.promptSeq = 99
    t.equal((await s.calls.get('c1'))?.flow?.promptSeq, 3, 'a copy')
    t.same((await s.calls.list('ast1')).map((r) => r.callId), ['c1'])
    await s.calls.delete('c1')
    t.equal(await s.calls.get('c1'), undefined)
    t.same(await s.calls.list('ast1'), [])
    await s.calls.delete('nope')
  })

  t.test('leases: one holder at a time, taken over only once expired', async (t) => {
    const s = await makeStore()
    t.teardown(() => s.close())
    t.equal(await s.leases.acquire('ast1', 'engine-a', 1000, 0), true)
    t.equal(await s.leases.acquire('ast1', 'engine-b', 1000, 500), false, 'held by a')
    t.equal(await s.leases.holder('ast1', 500), 'engine-a')
    t.equal(await s.leases.renew('ast1', 'engine-a', 1000, 900), true)
    t.equal(await s.leases.acquire('ast1', 'engine-b', 1000, 1500), false, 'renewed until 1900')
    t.equal(await s.leases.renew('ast1', 'engine-b', 1000, 1500), false, 'b cannot renew what it does not hold')
    t.equal(await s.leases.acquire('ast1', 'engine-b', 1000, 2000), true, 'expired: b takes over')
    t.equal(await s.leases.renew('ast1', 'engine-a', 1000, 2100), false, 'a lost it')
    await s.leases.release('ast1', 'engine-a')
    t.equal(await s.leases.holder('ast1', 2100), 'engine-b', 'a cannot release what b holds')
    await s.leases.release('ast1', 'engine-b')
    t.equal(await s.leases.holder('ast1', 2100), undefined)
    t.equal(await s.leases.acquire('ast1', 'engine-a', 1000, 2100), true)
  })
}
