/**
 * Callbacks end to end against the simulator: a waiting caller presses 5, keeps its place as a
 * callback entry and is hung up; one pending callback per number; when its turn comes the
 * engine reserves an agent and calls the citizen (agent first or citizen first), bridging them;
 * a busy or unanswered citizen is tried again later in the same place, up to maxAttempts; the
 * reserved agent is never left reserved.
 */
import t, { type Test } from 'tap'
import type { CallbackPolicy } from '../../src/domain/acd.js'
import type { PhoneBehaviour } from '../../src/sim/types.js'
import { waitUntil } from '../helpers/async.js'
import { heard, startHarness, type Harness } from './harness.js'

const OPERATORS = ['op101', 'op102', 'op103']

const policy = (over: Partial<CallbackPolicy> = {}): CallbackPolicy => ({
  enabled: true,
  digit: '5',
  offerAfterSec: 0,
  mode: 'agent-first',
  maxAttempts: 3,
  retryAfterSec: 20,
  ringTimeoutSec: 10,
  ...over,
})

/** Phones: agents answer after a second; citizens' numbers per `citizens` (called per dial). */
function phones(citizens: Record<string, () => PhoneBehaviour>) {
  return (endpoint: string): PhoneBehaviour => {
    const m = /^PJSIP\/(\+?\d+)@trunk$/.exec(endpoint)
    const f = m ? citizens[m[1]!] : undefined
    return f ? f() : { answerAfterMs: 1000 }
  }
}

/** Media played to each channel, as asked of Asterisk. */
type Plays = Array<{ channelId: string; media: string[] }>

async function setup(t: Test, citizens: Record<string, () => PhoneBehaviour>, cb: Partial<CallbackPolicy>, plays: Plays = []): Promise<Harness> {
  const h = await startHarness({
    phones: phones(citizens),
    wrapTelephony: (tel) => ({
      ...tel,
      channels: {
        ...tel.channels,
        play: (channelId, p) => {
          plays.push({ channelId, media: p.media })
          return tel.channels.play(channelId, p)
        },
      },
    }),
  })
  t.teardown(() => h.close())
  h.engine.app.acd.section('operators')!.callback = policy(cb)
  for (const id of OPERATORS) t.ok(await h.engine.app.acd.pause(id, 'meeting'), `${id} paused`)
  return h
}

/** To the operators' queue: Italian, then 0. */
const toOperators = [heard('choose_language'), { dtmf: '1' }, heard('main_menu'), { dtmf: '0' }]
/** To the operators' queue, then 5 once the offer is heard. */
const askCallback = [...toOperators, heard('callback_offer'), { dtmf: '5' }]

async function bridges(h: Harness): Promise<Array<{ id: string; channels: string[] }>> {
  const sim = h.engine.sim!
  const r = await fetch(`${sim.ariUrl}/bridges`, { headers: { authorization: `Basic ${Buffer.from('engine:engine').toString('base64')}` } })
  if (!r.ok) return []
  return (await r.json()) as Array<{ id: string; channels: string[] }>
}

t.test('the caller keeps its place as a callback entry; one pending per number; agent first bridges agent and citizen', async (t) => {
  const A = '+393331110001'
  const h = await setup(t, { [A]: () => ({ answerAfterMs: 1000, hangupAfterMs: 20_000 }) }, { mode: 'agent-first' })
  const sim = h.engine.sim!
  const acd = h.engine.app.acd

  const a = sim.placeCall({ from: A, to: '803164', script: [...askCallback, heard('callback_confirmed')] })
  await h.waitEvent(a.channelId, 'queue.entered')
  const b = sim.placeCall({ from: '+393331110002', to: '803164', script: toOperators })
  await h.waitEvent(b.channelId, 'queue.entered')
  const before = await acd.entry(a.channelId)

  const requested = await h.waitEvent(a.channelId, 'callback.requested')
  t.match(requested, { section: 'operators', number: A, position: 1 })
  const aResult = await a.done
  t.ok(aResult.heard.some((m) => m.endsWith('centralino/callback_confirmed')), 'the caller heard the confirmation')
  await h.waitEvent(a.channelId, 'call.ended')
  const entry = await acd.entry(a.channelId)
  t.match(entry, { kind: 'callback', recall: { number: A, attempts: 0 }, status: 'waiting' })
  t.same([entry?.enteredAt, entry?.seq, entry?.priority], [before?.enteredAt, before?.seq, before?.priority], 'same place')
  t.notOk((await h.eventsOf(a.channelId)).some((e) => e.type === 'queue.abandoned'), 'no abandon counted')
  t.equal(await acd.ahead(b.channelId), 1, 'the later caller stays behind the callback')

  // Same number again: refused with a prompt, keeps waiting with a plain entry.
  const c = sim.placeCall({ from: A, to: '803164', script: [...askCallback, heard('callback_already_pending')] })
  await waitUntil(() => c.heard.some((m) => m.endsWith('centralino/callback_already_pending')), 30_000, 'second request refused')
  t.equal((await acd.entry(c.channelId))?.kind, undefined, 'the second caller still waits as a call')
  t.notOk((await h.eventsOf(c.channelId)).some((e) => e.type === 'callback.requested'))
  // A withheld number cannot be called back.
  const d = sim.placeCall({ from: 'anonymous', to: '803164', script: [...askCallback, heard('callback_no_number')] })
  await waitUntil(() => d.heard.some((m) => m.endsWith('centralino/callback_no_number')), 30_000, 'withheld number refused')
  t.ok(await acd.entry(d.channelId), 'the withheld caller still waits')

  // Its turn: op101 answers first, then the citizen is called and bridged with it.
  t.ok(await acd.setReady('op101'))
  const done = await h.waitEvent(a.channelId, 'callback.completed', undefined, 30_000)
  t.match(done, { agentId: 'op101', attempts: 1 })
  t.match(await h.waitEvent(a.channelId, 'callback.attempt'), { outcome: 'answered', mode: 'agent-first', attempt: 1 })
  t.equal(await acd.entry(a.channelId), undefined, 'the callback entry is done')
  t.equal((await h.store.agents.get('op101'))?.state, 'on_call')
  const bs = await bridges(h)
  t.ok(bs.some((x) => x.channels.length === 2), 'agent and citizen in one bridge')
  t.notOk((await h.eventsOf(b.channelId)).some((e) => e.type === 'queue.connected'), 'the later caller still waits')
  // The citizen hangs up: the agent goes to wrap-up and then takes the next caller (b).
  const next = await h.waitEvent(b.channelId, 'queue.connected', undefined, 60_000)
  t.equal(next.agentId, 'op101')
  for (const x of [b, c, d]) x.hangup()
  await Promise.all([b.done, c.done, d.done])
})

t.test('citizen first: busy, tried again later in its place, then answered; the agent is freed meanwhile', async (t) => {
  const A = '+393331110011'
  let dials = 0
  const plays: Plays = []
  const h = await setup(t, { [A]: () => (++dials === 1 ? { busy: true } : { answerAfterMs: 1000, hangupAfterMs: 20_000 }) }, { mode: 'citizen-first', retryAfterSec: 30 }, plays)
  const sim = h.engine.sim!
  const acd = h.engine.app.acd
  const a = sim.placeCall({ from: A, to: '803164', script: askCallback })
  await h.waitEvent(a.channelId, 'callback.requested')
  await a.done
  const seq = (await acd.entry(a.channelId))?.seq

  t.ok(await acd.setReady('op102'))
  const first = await h.waitEvent(a.channelId, 'callback.attempt')
  t.match(first, { outcome: 'busy', attempt: 1, mode: 'citizen-first', agentId: 'op102' })
  await waitUntil(async () => (await h.store.agents.get('op102'))?.state === 'ready', 10_000, 'op102 ready again')
  const retry = await acd.entry(a.channelId)
  t.match(retry, { kind: 'callback', status: 'waiting', recall: { attempts: 1 }, seq })
  t.ok(retry?.notBefore && retry.notBefore > first.at, 'not offered again before retryAfterSec')

  const done = await h.waitEvent(a.channelId, 'callback.completed', undefined, 60_000)
  t.match(done, { agentId: 'op102', attempts: 2 })
  const second = (await h.eventsOf(a.channelId)).filter((e) => e.type === 'callback.attempt')
  t.same(second.map((e) => (e as { outcome: string }).outcome), ['busy', 'answered'])
  t.ok(second[1]!.at - first.at >= 30_000, 'the retry waited retryAfterSec (engine clock)')
  const bridged = (await bridges(h)).find((x) => x.channels.length === 2)
  t.ok(bridged, 'citizen and agent in one bridge')
  const intro = plays.find((p) => p.media.some((m) => m.endsWith('centralino/callback_intro')))
  t.ok(intro && bridged?.channels.includes(intro.channelId), 'the citizen heard the callback introduction before the agent joined')
  // The citizen hangs up after a while: the agent is not left on the call.
  await waitUntil(async () => ['wrap_up', 'ready'].includes((await h.store.agents.get('op102'))?.state ?? ''), 60_000, 'op102 free after the call')
})

t.test('a citizen never reached: maxAttempts, then callback.failed; the agent is never left reserved', async (t) => {
  const A = '+393331110021'
  const h = await setup(t, { [A]: () => ({ noAnswer: true }) }, { mode: 'agent-first', maxAttempts: 2, retryAfterSec: 10, ringTimeoutSec: 5 })
  const sim = h.engine.sim!
  const acd = h.engine.app.acd
  const a = sim.placeCall({ from: A, to: '803164', script: askCallback })
  await h.waitEvent(a.channelId, 'callback.requested')
  await a.done
  t.ok(await acd.setReady('op103'))
  const failed = await h.waitEvent(a.channelId, 'callback.failed', undefined, 60_000)
  t.match(failed, { attempts: 2, section: 'operators' })
  const attempts = (await h.eventsOf(a.channelId)).filter((e) => e.type === 'callback.attempt')
  t.same(attempts.map((e) => (e as { outcome: string }).outcome), ['no_answer', 'no_answer'])
  t.equal(await acd.entry(a.channelId), undefined, 'the entry is gone')
  await waitUntil(async () => (await h.store.agents.get('op103'))?.state === 'ready', 10_000, 'op103 ready')
  await waitUntil(() => sim.stats().bridges === 0 && sim.channelCount() === 0, 10_000, 'no bridge or channel left')
  // The number is free again: a new request is accepted.
  t.ok(await acd.pause('op103', 'meeting'))
  const again = sim.placeCall({ from: A, to: '803164', script: askCallback })
  await h.waitEvent(again.channelId, 'callback.requested')
  await again.done
})
