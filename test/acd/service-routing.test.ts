import t from 'tap'
import { createMemoryStore } from '../../src/adapters/memory/store.js'
import { AcdService, type ConnectRequest, type ConnectResult } from '../../src/acd/service.js'
import type { AgentDef, SectionDef } from '../../src/domain/acd.js'
import { SimClock } from '../../src/domain/clock.js'
import type { NewCallEvent } from '../../src/domain/events.js'
import { silentLogger } from '../../src/domain/log.js'
import type { Store } from '../../src/domain/store.js'
import { section } from '../helpers/acd-fixtures.js'
import { deferred, settle, type Deferred } from '../helpers/async.js'

const CITIZEN = '+393331234567'

function setup(sections: SectionDef[], agents: AgentDef[], store: Store = createMemoryStore()) {
  const clock = new SimClock()
  const events: NewCallEvent[] = []
  const offers: Array<ConnectRequest & { result: Deferred<ConnectResult> }> = []
  const acd = new AcdService({
    store,
    clock,
    sections,
    agents,
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
  const stop = async () => {
    for (const o of offers) o.result.resolve({ kind: 'caller_gone' })
    await acd.stop()
  }
  const offered = () => offers.map((o) => `${o.callId}>${o.agent.id}`)
  return { clock, store, events, offers, acd, stop, offered }
}

const agent = (id: string, sections: string[], skills?: Record<string, number>): AgentDef => ({ id, name: id, endpoint: `PJSIP/${id}`, sections, ...(skills ? { skills } : {}) })

t.test('relaxation happens with time alone: a dispatch is timed for the next step', async (t) => {
  const pens = section('pens', { skills: { pensions: 3 }, relax: [{ afterSec: 120, minLevel: 1 }] })
  const s = setup([pens, section('ops', { operator: true })], [agent('novice', [], { pensions: 1 })])
  await s.acd.start(true)
  await s.acd.join('c1', { section: 'pens', lang: 'it' })
  await settle()
  t.same(s.offered(), [], 'the novice is not enough yet')
  s.clock.advance(119_000)
  await settle()
  t.same(s.offered(), [])
  s.clock.advance(1_000)
  await settle()
  t.same(s.offered(), ['c1>novice'], 'after 120 s any level will do')
  await s.stop()
})

t.test('skills come from the configuration, over what the store remembers of an agent', async (t) => {
  const store = createMemoryStore()
  // A record left by an earlier run, when the agent had no skills.
  await store.agents.upsert({ ...agent('a1', []), state: 'ready', since: 0, idleSince: 0 })
  const s = setup([section('pens', { skills: { pensions: 2 } }), section('ops', { operator: true })], [agent('a1', [], { pensions: 4 })], store)
  await s.acd.start(true)
  await s.acd.join('c1', { section: 'pens', lang: 'it', skills: ['pensions'] })
  await settle()
  t.same(s.offered(), ['c1>a1'])
  t.same((await store.queues.get('c1'))?.callerSkills, { pensions: 1 }, 'skills asked by the flow: level 1 each')
  await s.stop()
})

t.test('continuity: a citizen calling again is held for the agent who served them, for holdSec at most', async (t) => {
  const pens = section('pens', { continuity: { withinSec: 3600, holdSec: 30 } })
  const s = setup([pens, section('ops', { operator: true })], [agent('a1', ['pens']), agent('a2', ['pens'])])
  await s.acd.start(true)
  await s.store.agents.transition('a2', ['ready'], 'paused', 0, { pauseReason: 'meeting' })
  // First call: a1 answers; who served the citizen is recorded.
  await s.acd.join('first', { section: 'pens', lang: 'it', caller: CITIZEN })
  await settle()
  s.offers[0]!.result.resolve({ kind: 'answered' })
  await settle()
  t.match(await s.store.history.lastServed(CITIZEN, s.clock.now(), 1000), { agentId: 'a1' })
  t.ok(await s.acd.setReady('a2'))
  // Second call while a1 still talks: held for a1, a2 is not offered it.
  s.clock.advance(10_000)
  await s.acd.join('again', { section: 'pens', lang: 'it', caller: CITIZEN })
  await settle()
  t.match(await s.store.queues.get('again'), { preferredAgent: 'a1', preferredUntil: s.clock.now() + 30_000 })
  t.same(s.offered(), ['first>a1'], 'a2 is ready but the caller is held for a1')
  // A third caller is not held: a2 takes it though it came later.
  await s.acd.join('other', { section: 'pens', lang: 'it', caller: '+393339999999' })
  await settle()
  t.same(s.offered(), ['first>a1', 'other>a2'])
  // a1 finishes within the hold: it gets its returning caller.
  s.clock.advance(20_000)
  await s.acd.agentCallEnded('a1', 'pens')
  await settle()
  t.same(s.offered(), ['first>a1', 'other>a2', 'again>a1'])
  await s.stop()
})

t.test('continuity: the hold ends after holdSec and normal routing takes over', async (t) => {
  const pens = section('pens', { continuity: { withinSec: 3600, holdSec: 30 } })
  const s = setup([pens, section('ops', { operator: true })], [agent('a1', ['pens']), agent('a2', ['pens'])])
  await s.acd.start(true)
  await s.store.history.recordServed(CITIZEN, 'a1', s.clock.now() - 60_000)
  await s.store.agents.transition('a1', ['ready'], 'on_call', s.clock.now(), { callId: 'x' })
  await s.acd.join('again', { section: 'pens', lang: 'it', caller: CITIZEN })
  await settle()
  t.same(s.offered(), [])
  s.clock.advance(29_999)
  await settle()
  t.same(s.offered(), [])
  s.clock.advance(1)
  await settle()
  t.same(s.offered(), ['again>a2'], 'timed dispatch at the end of the hold')
  await s.stop()
})

t.test('continuity: the number comes from the call record; withheld numbers, old history and the transferring agent hold nothing', async (t) => {
  const pens = section('pens', { continuity: { withinSec: 3600, holdSec: 30 } })
  const s = setup([pens, section('ops', { operator: true })], [agent('a1', ['pens'])])
  await s.acd.start(false)
  const now = s.clock.now()
  const record = { channelId: 'x', serverId: 'asterisk', phase: 'queue' as const, startedAt: now, offers: 0, updatedAt: now }
  await s.store.history.recordServed(CITIZEN, 'a1', now - 1000)
  await s.store.calls.put({ ...record, callId: 'rec', callerNumber: CITIZEN })
  await s.acd.join('rec', { section: 'pens', lang: 'it' })
  t.match(await s.store.queues.get('rec'), { caller: CITIZEN, preferredAgent: 'a1' })
  await s.store.history.recordServed('anonymous', 'a1', now - 1000)
  await s.store.calls.put({ ...record, callId: 'anon', callerNumber: 'anonymous' })
  await s.acd.join('anon', { section: 'pens', lang: 'it' })
  t.notOk((await s.store.queues.get('anon'))?.preferredAgent, 'a withheld number is nobody in particular')
  await s.store.history.recordServed('+393330000001', 'a1', now - 7200_000)
  await s.acd.join('old', { section: 'pens', lang: 'it', caller: '+393330000001' })
  t.notOk((await s.store.queues.get('old'))?.preferredAgent, 'served too long ago')
  // Transferred by the agent who served it during this very call: not held for that agent.
  await s.store.history.recordServed('+393330000002', 'a1', now - 500)
  await s.acd.join('xfer', { section: 'pens', lang: 'it', caller: '+393330000002', enteredAt: now - 5000 })
  t.notOk((await s.store.queues.get('xfer'))?.preferredAgent)
  await s.stop()
})

t.test('status: callers ahead and the estimated wait from measured handle times', async (t) => {
  const pens = section('pens', { expectedHandleSec: 100 })
  const s = setup([pens, section('ops', { operator: true })], [agent('a1', ['pens']), agent('a2', ['pens'])])
  await s.acd.start(true)
  for (const id of ['c1', 'c2']) await s.acd.join(id, { section: 'pens', lang: 'it' })
  await settle()
  for (const o of s.offers) o.result.resolve({ kind: 'answered' })
  await settle()
  await s.acd.join('c3', { section: 'pens', lang: 'it' })
  await s.acd.join('c4', { section: 'pens', lang: 'it' })
  // Both agents talking, nothing measured: the prior (100 s each, 2 agents: one release per 50 s).
  t.match(await s.acd.status('c3'), { ahead: 0, waitSec: 50 })
  t.match(await s.acd.status('c4'), { ahead: 1, waitSec: 100 })
  // a1's call lasted 40 s: its handle time and the section's move toward it, and a1 takes c3.
  s.clock.advance(40_000)
  await s.acd.agentCallEnded('a1', 'pens')
  await settle()
  t.same(s.offered(), ['c1>a1', 'c2>a2', 'c3>a1'])
  const section_ = (100 * 2 + 40) / 3
  const a1 = (section_ * 2 + 40) / 3
  const st = await s.acd.status('c4')
  t.equal(st?.ahead, 1, 'c3 is offered to a1, one of its agents: still ahead')
  t.equal(st?.waitSec, 2 / (1 / a1 + 1 / section_))
  t.equal(await s.acd.status('nobody'), undefined)
  // Nobody logged in to serve it: no estimate.
  for (const id of ['a1', 'a2']) await s.store.agents.transition(id, ['on_call', 'reserved'], 'paused', s.clock.now())
  t.equal((await s.acd.status('c4'))?.waitSec, undefined)
  await s.stop()
})
