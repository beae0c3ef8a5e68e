/**
 * The waiting caller's announcements end to end on a fake Asterisk: what is played and when,
 * under a section's policy, with the queue service's real counts and estimates.
 */
import t from 'tap'
import { createMemoryStore } from '../../src/adapters/memory/store.js'
import { AcdService } from '../../src/acd/service.js'
import { EventRouter } from '../../src/calls/router.js'
import { QueueWait } from '../../src/calls/queue-wait.js'
import type { SectionDef } from '../../src/domain/acd.js'
import { SimClock } from '../../src/domain/clock.js'
import type { NewCallEvent } from '../../src/domain/events.js'
import { silentLogger } from '../../src/domain/log.js'
import { agentDef, section } from '../helpers/acd-fixtures.js'
import { deferred, settle } from '../helpers/async.js'
import { FakeTelephony, ev } from '../helpers/fake-telephony.js'

async function setup(pens: SectionDef, lang = 'it') {
  const telephony = new FakeTelephony()
  const log = silentLogger()
  const router = new EventRouter(telephony.events, log)
  const clock = new SimClock()
  const store = createMemoryStore()
  const events: NewCallEvent[] = []
  const emit = (e: NewCallEvent) => events.push(e)
  const acd = new AcdService({
    store,
    clock,
    log,
    emit,
    sections: [pens, section('ops', { operator: true })],
    agents: [agentDef('a1', ['pens']), agentDef('a2', ['pens'])],
    connector: { connect: () => deferred<never>().promise },
  })
  await acd.start(true)
  // Both agents talking: nobody is offered anything while the test runs.
  for (const id of ['a1', 'a2']) await store.agents.transition(id, ['ready'], 'on_call', clock.now(), { callId: `x-${id}` })
  const gone = new AbortController()
  const wait = new QueueWait({ telephony, router, clock, log, acd, emit }, 'me', 'chan-me', pens, lang, gone.signal)
  const plays = () => telephony.ops('channels.play').map((r) => r.args as { playbackId: string; media: string[]; lang: string })
  const finish = (i: number) => telephony.emit(ev.playbackFinished(plays()[i]!.playbackId))
  const heard = (i: number) => plays()[i]!.media.map((m) => m.replace('sound:centralino/', ''))
  return { telephony, clock, store, acd, wait, gone, plays, finish, heard, events }
}

const policy = { onEntry: true, everySec: 60, minGapSec: 20, position: true, wait: true, waitCapMin: 20 }

t.test('on entry: position and estimated wait in the caller language; then every N seconds; never more callers ahead', async (t) => {
  const s = await setup(section('pens', { announce: policy, expectedHandleSec: 120 }))
  for (const id of ['c1', 'c2']) await s.acd.join(id, { section: 'pens', lang: 'it' })
  s.clock.advance(1000)
  const { ahead } = await s.acd.join('me', { section: 'pens', lang: 'it' })
  void s.wait.start(ahead) // resolves once the entry announcement has played
  await settle()
  t.equal(s.plays().length, 1)
  // 2 ahead, 2 agents of 120 s: (2 + 1) / (2 / 120) = 180 s, "about 3 minutes".
  t.same(s.heard(0), ['queue_ahead_prefix', 'number:2', 'queue_ahead_suffix', 'queue_wait_about', 'number:3', 'queue_wait_minutes'])
  t.equal(s.plays()[0]!.lang, 'it')
  s.clock.advance(8000)
  s.finish(0)
  await settle()
  // Two callers with a higher priority arrive, one earlier caller leaves: 3 really ahead now.
  await s.acd.leave('c1', 'abandoned')
  await s.acd.join('vip1', { section: 'pens', lang: 'it', priority: 5 })
  await s.acd.join('vip2', { section: 'pens', lang: 'it', priority: 5 })
  t.equal(await s.acd.ahead('me'), 3)
  s.clock.advance(51_999)
  await settle()
  t.equal(s.plays().length, 1, 'nothing before the period')
  s.clock.advance(1)
  await settle()
  t.equal(s.plays().length, 2, '60 s after the start of the first')
  t.same(s.heard(1).slice(0, 3), ['queue_ahead_prefix', 'number:2', 'queue_ahead_suffix'], 'still 2: the count does not grow')
  t.match(s.events.filter((e) => e.type === 'queue.announced'), [{ ahead: 2 }, { ahead: 2 }])
  // This one lasts 55 s: the next waits for 20 s of music after it, past its period.
  s.clock.advance(55_000)
  s.finish(1)
  await settle()
  s.clock.advance(19_999)
  await settle()
  t.equal(s.plays().length, 2)
  s.clock.advance(1)
  await settle()
  t.equal(s.plays().length, 3, 'minimum gap respected')
  s.finish(2)
  await settle()
  // Re-prioritised lower: the count starts again from the real one.
  const me = (await s.store.queues.get('me'))!
  await s.store.queues.enqueue({ ...me, priority: -1 })
  s.clock.advance(60_000)
  await settle()
  t.same(s.heard(3).slice(0, 3), ['queue_ahead_prefix', 'number:3', 'queue_ahead_suffix'])
  s.finish(3)
  await settle()
  // While an agent rings for the caller, the announcement is skipped.
  await s.store.queues.markOffered('me', 'a1')
  s.clock.advance(60_000)
  await settle()
  t.equal(s.plays().length, 4)
  // The caller goes: no more timers.
  s.gone.abort()
  s.clock.advance(600_000)
  await settle()
  t.equal(s.plays().length, 4)
  t.equal(s.clock.pending(), 0)
})

t.test('a section without announcements plays nothing; wait only; no agent at all: position only', async (t) => {
  const quiet = await setup(section('pens', { announce: { ...policy, position: false, wait: false } }))
  await quiet.acd.join('me', { section: 'pens', lang: 'en' })
  await quiet.wait.start(0) // nothing to play: returns at once
  quiet.clock.advance(600_000)
  await settle()
  t.equal(quiet.plays().length, 0)
  t.ok(quiet.telephony.ops('channels.startMoh').length > 0, 'music all the same')
  quiet.gone.abort()

  const waitOnly = await setup(section('pens', { announce: { ...policy, position: false }, expectedHandleSec: 30 }), 'en')
  await waitOnly.acd.join('me', { section: 'pens', lang: 'en' })
  void waitOnly.wait.start(0)
  await settle()
  t.same(waitOnly.heard(0), ['queue_wait_under_minute'])
  t.equal(waitOnly.plays()[0]!.lang, 'en')
  waitOnly.gone.abort()

  const nobody = await setup(section('pens', { announce: policy }))
  for (const id of ['a1', 'a2']) await nobody.store.agents.transition(id, ['on_call'], 'paused', 0)
  await nobody.acd.join('me', { section: 'pens', lang: 'it' })
  void nobody.wait.start(0)
  await settle()
  t.same(nobody.heard(0), ['queue_next'], 'no time promised when nobody can answer')
  nobody.gone.abort()
})
