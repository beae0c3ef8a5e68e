import t from 'tap'
import { createMemoryStore } from '../../src/adapters/memory/store.js'
import { AcdService, type ConnectRequest, type ConnectResult } from '../../src/acd/service.js'
import { SimClock } from '../../src/domain/clock.js'
import type { NewCallEvent } from '../../src/domain/events.js'
import { silentLogger } from '../../src/domain/log.js'
import { agentDef, section } from '../helpers/acd-fixtures.js'
import { deferred, settle, type Deferred } from '../helpers/async.js'

function setup(opts: { agents?: string[]; wrapUpSec?: number } = {}) {
  const clock = new SimClock()
  const store = createMemoryStore()
  const events: NewCallEvent[] = []
  const offers: Array<ConnectRequest & { result: Deferred<ConnectResult> }> = []
  const acd = new AcdService({
    store,
    clock,
    sections: [section('pens', { wrapUpSec: opts.wrapUpSec ?? 0, noAnswerPauseSec: 30 }), section('ops', { operator: true })],
    agents: (opts.agents ?? ['a1', 'a2']).map((id) => agentDef(id, ['pens'])),
    connector: {
      connect(req) {
        const result = deferred<ConnectResult>()
        offers.push({ ...req, result })
        return result.promise
      },
    },
    log: silentLogger(),
    emit: (e) => events.push(e),
  })
  /** Ends any ring still pending, then stops the service. */
  const stop = async () => {
    for (const o of offers) o.result.resolve({ kind: 'caller_gone' })
    await acd.stop()
  }
  return { clock, store, events, offers, acd, stop }
}

t.test('a caller is offered to the longest-idle agent and connected on answer', async (t) => {
  const { clock, store, events, offers, acd, stop } = setup()
  await acd.start(true)
  await store.agents.transition('a1', ['ready'], 'ready', 0, { idleSince: clock.now() + 5 })
  clock.advance(1000)
  const { ahead } = await acd.join('c1', { section: 'pens', lang: 'it' })
  t.equal(ahead, 0)
  await settle()
  t.equal(offers.length, 1)
  t.equal(offers[0]!.agent.id, 'a2', 'a2 has been idle longer')
  t.equal((await store.agents.get('a2'))?.state, 'reserved')
  t.equal((await store.queues.get('c1'))?.status, 'offered')
  clock.advance(4000)
  offers[0]!.result.resolve({ kind: 'answered' })
  await settle()
  t.equal(await store.queues.get('c1'), undefined)
  t.equal((await store.agents.get('a2'))?.state, 'on_call')
  const connected = events.find((e) => e.type === 'queue.connected')
  t.match(connected, { type: 'queue.connected', agentId: 'a2', waitMs: 4000 })
  await stop()
})

t.test('ring-no-answer pauses the agent, the caller keeps its place and the next agent rings', async (t) => {
  const { clock, store, events, offers, acd, stop } = setup({ agents: ['a1', 'a2'] })
  await store.agents.upsert({ ...agentDef('a1', ['pens']), state: 'ready', since: 0, idleSince: 0 })
  await store.agents.upsert({ ...agentDef('a2', ['pens']), state: 'on_call', since: 0, idleSince: 0 })
  await acd.start(true)
  await acd.join('first', { section: 'pens', lang: 'it' })
  clock.advance(10)
  await acd.join('second', { section: 'pens', lang: 'it' })
  await settle()
  t.equal(offers.length, 1)
  t.equal(offers[0]!.callId, 'first')
  t.equal(await acd.ahead('second'), 1)
  offers[0]!.result.resolve({ kind: 'no_answer', cause: 19 })
  await settle()
  const a1 = await store.agents.get('a1')
  t.equal(a1?.state, 'paused')
  t.equal(a1?.pauseReason, 'no-answer')
  t.same((await store.queues.list('pens')).map((e) => [e.callId, e.status]), [['first', 'waiting'], ['second', 'waiting']], 'first keeps its place')
  t.ok(events.some((e) => e.type === 'agent.no_answer' && e.agentId === 'a1' && e.cause === 19))
  // a2 finishes its call: it gets "first", not "second"
  await acd.agentCallEnded('a2', 'pens')
  await settle()
  t.equal(offers.length, 2)
  t.equal(offers[1]!.callId, 'first')
  t.equal(offers[1]!.agent.id, 'a2')
  // the paused agent comes back after noAnswerPauseSec and takes the second caller
  clock.advance(29_000)
  await settle()
  t.equal(offers.length, 2)
  clock.advance(1_000)
  await settle()
  t.equal((await store.agents.get('a1'))?.state, 'reserved')
  t.equal(offers[2]?.callId, 'second')
  await stop()
})

t.test('a caller who hangs up while the agent rings frees the agent', async (t) => {
  const { store, events, offers, acd, stop } = setup({ agents: ['a1'] })
  await acd.start(true)
  await acd.join('c1', { section: 'pens', lang: 'it' })
  await settle()
  await acd.leave('c1', 'abandoned')
  offers[0]!.result.resolve({ kind: 'caller_gone' })
  await settle()
  t.equal((await store.agents.get('a1'))?.state, 'ready')
  t.match(events.find((e) => e.type === 'queue.abandoned'), { section: 'pens', position: 1 })
  await stop()
})

t.test('wrap-up delays the next offer; abandon reports wait and position', async (t) => {
  const { clock, store, events, offers, acd, stop } = setup({ agents: ['a1'], wrapUpSec: 10 })
  await acd.start(true)
  await acd.join('c1', { section: 'pens', lang: 'it' })
  await acd.join('c2', { section: 'pens', lang: 'it' })
  await acd.join('c3', { section: 'pens', lang: 'it' })
  await settle()
  offers[0]!.result.resolve({ kind: 'answered' })
  await settle()
  clock.advance(60_000)
  await acd.leave('c3', 'abandoned')
  t.match(events.find((e) => e.type === 'queue.abandoned'), { callId: 'c3', waitMs: 60_000, position: 2 })
  await acd.agentCallEnded('a1', 'pens')
  await settle()
  t.equal((await store.agents.get('a1'))?.state, 'wrap_up')
  t.equal(offers.length, 1)
  clock.advance(10_000)
  await settle()
  t.equal(offers.length, 2)
  t.equal(offers[1]!.callId, 'c2')
  const snap = await acd.snapshot()
  t.match(snap.sections.find((s) => s.id === 'pens'), { waiting: 0, offered: 1 })
  t.equal(snap.agents.reserved, 1)
  await stop()
})

t.test('a connector that throws counts as unreachable; unknown sections are refused', async (t) => {
  const { store, offers, acd, stop } = setup({ agents: ['a1'] })
  await acd.start(true)
  await t.rejects(acd.join('c1', { section: 'nope', lang: 'it' }), /unknown section/)
  await acd.join('c1', { section: 'pens', lang: 'it' })
  await settle()
  offers[0]!.result.reject(new Error('boom'))
  await settle()
  t.equal((await store.agents.get('a1'))?.pauseReason, 'unreachable')
  t.equal((await store.queues.get('c1'))?.status, 'waiting')
  t.equal(await acd.setReady('a1'), true)
  await settle()
  t.equal(offers.length, 2)
  await stop()
})

t.test('a stale timer does nothing: an agent who paused for lunch after a missed call stays paused', async (t) => {
  const { clock, store, offers, acd, stop } = setup({ agents: ['a1'] })
  await acd.start(true)
  await acd.join('c1', { section: 'pens', lang: 'it' })
  await settle()
  offers[0]!.result.resolve({ kind: 'no_answer' })
  await settle()
  t.match(await store.agents.get('a1'), { state: 'paused', pauseReason: 'no-answer' })
  // Through the agent API (straight to the store): back to ready, then paused for lunch.
  clock.advance(10_000)
  await store.agents.transition('a1', ['paused'], 'ready', clock.now())
  clock.advance(1_000)
  await store.agents.transition('a1', ['ready'], 'paused', clock.now(), { pauseReason: 'lunch' })
  await acd.leave('c1', 'abandoned')
  clock.advance(30_000) // the missed-call pause (30 s) would have ended now
  await settle()
  t.match(await store.agents.get('a1'), { state: 'paused', pauseReason: 'lunch' }, 'lunch not cut short')
  await stop()
})
