/**
 * Callback calls survive the engine that placed them: engine A calls a citizen back and dies
 * (kill -9: store and telephony frozen, socket closed). Engine B on the same Asterisk and store
 * finds the callback's record at its first connection: agent and citizen still talking go on
 * under B (and the agent goes to wrap-up when they hang up); a callback cut while the
 * citizen's phone rang is put back in its place, the agent freed, and B calls again.
 */
import t, { type Test } from 'tap'
import type { CallbackPolicy } from '../../src/domain/acd.js'
import { callbackRecordId } from '../../src/domain/store.js'
import type { PhoneBehaviour } from '../../src/sim/types.js'
import { waitUntil } from '../helpers/async.js'
import { crashableEngine, world } from './crash.js'
import { heard, startHarness, type Harness } from './harness.js'

const OPERATORS = ['op101', 'op102', 'op103']
const POLICY: CallbackPolicy = { enabled: true, digit: '5', offerAfterSec: 0, mode: 'agent-first', maxAttempts: 3, retryAfterSec: 20, ringTimeoutSec: 40 }
const askCallback = [heard('choose_language'), { dtmf: '1' }, heard('main_menu'), { dtmf: '0' }, heard('callback_offer'), { dtmf: '5' }, heard('callback_confirmed')]

/** Agents answer after 800 ms; the citizen's n-th call (from 0) behaves as citizen(n). */
function phones(number: string, citizen: (n: number) => PhoneBehaviour) {
  let calls = 0
  return (endpoint: string): PhoneBehaviour => (endpoint === `PJSIP/${number}@trunk` ? citizen(calls++) : { answerAfterMs: 800 })
}

async function withPolicy(h: Harness): Promise<Harness> {
  h.engine.app.acd.section('operators')!.callback = { ...POLICY }
  return h
}

/** Engine A takes a callback request with every operator paused, then makes op101 ready. */
async function callbackUnderWay(t: Test, number: string, citizen: (n: number) => PhoneBehaviour) {
  const w = await world(t, phones(number, citizen))
  const { h: a, crash } = await crashableEngine(w, { engineId: 'engine-a' })
  await withPolicy(a)
  for (const id of OPERATORS) await a.engine.app.acd.pause(id, 'meeting')
  const caller = w.sim.placeCall({ from: number, to: '803164', script: askCallback })
  await a.waitEvent(caller.channelId, 'callback.requested')
  await caller.done
  const entry = (await w.store.queues.get(caller.channelId))!
  t.equal(entry.kind, 'callback')
  t.ok(await a.engine.app.acd.setReady('op101'))
  return { ...w, a, crash, callId: caller.channelId, entry }
}

t.test('kill -9 while agent and citizen talk on a callback: the next engine keeps them talking and ends the agent call after', async (t) => {
  const number = '+393331117001'
  const { sim, clock, store, a, crash, callId } = await callbackUnderWay(t, number, () => ({ answerAfterMs: 1000, hangupAfterMs: 30_000 }))
  await a.waitEvent(callId, 'callback.completed', undefined, 30_000)
  const rec = await store.calls.get(callbackRecordId(callId))
  t.match(rec, { phase: 'callback', callback: { entryCallId: callId, agentId: 'op101', connected: true } }, 'the bridged callback is recorded')
  const channels = sim.channelCount()
  t.equal(channels, 2, 'agent and citizen legs')

  await crash()
  await a.engine.api.close()
  const b = await withPolicy(await startHarness({ sim, clock, store, engineId: 'engine-b' }))
  t.teardown(() => b.close())
  await waitUntil(() => b.engine.app.registry.counters !== undefined && sim.channelCount() === 2, 5_000, 'still talking')
  t.equal((await store.agents.get('op101'))?.state, 'on_call', 'the agent is still on the call')
  // The citizen hangs up (30 s after answering): B, not A, ends the call and the agent's part in it.
  await waitUntil(async () => (await store.agents.get('op101'))?.state !== 'on_call', 40_000, 'agent call ended by the new engine')
  t.ok(['wrap_up', 'ready'].includes((await store.agents.get('op101'))!.state), 'wrap-up after the call, as after any call')
  await waitUntil(() => sim.channelCount() === 0, 5_000, 'the agent leg was hung up too')
  await waitUntil(async () => (await store.calls.get(callbackRecordId(callId))) === undefined, 5_000, 'record removed')
  t.equal((await store.events.read()).filter((e) => e.callId === callId && e.type === 'callback.completed').length, 1, 'completed once')
})

t.test('kill -9 while the citizen’s phone rings: the next engine hangs up, puts the callback back in its place and calls again', async (t) => {
  const number = '+393331117002'
  // First call: the citizen's phone rings for a long time (the engine dies meanwhile); then answers.
  const { sim, clock, store, a, crash, callId, entry } = await callbackUnderWay(t, number, (n) => (n === 0 ? { answerAfterMs: 120_000 } : { answerAfterMs: 1000, hangupAfterMs: 5_000 }))
  await waitUntil(async () => (await store.calls.get(callbackRecordId(callId)))?.callback !== undefined && sim.channelCount() === 2, 20_000, 'agent answered, citizen ringing')
  t.equal((await store.agents.get('op101'))?.state, 'reserved')

  await crash()
  await a.engine.api.close()
  const b = await withPolicy(await startHarness({ sim, clock, store, engineId: 'engine-b' }))
  t.teardown(() => b.close())
  const done = await b.waitEvent(callId, 'callback.completed', undefined, 40_000)
  t.equal(done.agentId, 'op101')
  const attempts = (await store.events.read()).filter((e) => e.callId === callId && e.type === 'callback.attempt')
  t.same(attempts.map((e) => (e as { attempt: number }).attempt), [1], 'the cut attempt is not counted; the new one is attempt 1')
  t.equal((await store.events.read()).filter((e) => e.callId === callId && e.type === 'agent.offered').length, 2, 'offered again after the restart')
  t.ok(done.waitMs >= clock.now() - entry.enteredAt - 60_000, 'wait counted from the original entry')
  await waitUntil(async () => (await store.agents.get('op101'))?.state !== 'on_call', 30_000, 'call over')
  await waitUntil(async () => (await store.calls.get(callbackRecordId(callId))) === undefined, 5_000, 'record removed')
})
