import t from 'tap'
import { AgentActions } from '../../src/acd/agent-actions.js'
import { createMemoryStore } from '../../src/adapters/memory/store.js'
import type { AgentState } from '../../src/domain/acd.js'
import { SimClock } from '../../src/domain/clock.js'
import { isAppError } from '../../src/domain/errors.js'
import { agentRec } from '../helpers/acd-fixtures.js'

async function setup(state: AgentState, over: Record<string, unknown> = {}) {
  const store = createMemoryStore()
  const clock = new SimClock()
  await store.agents.upsert(agentRec('a1', ['operators'], { state, since: 0, idleSince: 0, ...over }))
  const dispatched = { n: 0 }
  const actions = new AgentActions({ store, clock, dispatch: () => dispatched.n++ })
  return { store, clock, actions, dispatched }
}

async function rejects(p: Promise<unknown>, code: string): Promise<{ code: string; message: string; details: unknown }> {
  try {
    await p
  } catch (e) {
    if (isAppError(e)) {
      if (e.code !== code) throw new Error(`expected ${code}, got ${e.code}: ${e.message}`)
      return { code: e.code, message: e.message, details: e.details }
    }
    throw e
  }
  throw new Error(`expected ${code}, it resolved`)
}

t.test('login: logged_out -> ready on the new endpoint, idle from now, then a dispatch', async (t) => {
  const { store, clock, actions, dispatched } = await setup('logged_out')
  clock.advance(5000)
  const a = await actions.login('a1', 'PJSIP/desk7')
  t.match(a, { state: 'ready', endpoint: 'PJSIP/desk7', since: clock.now(), idleSince: clock.now() })
  t.equal((await store.agents.get('a1'))?.endpoint, 'PJSIP/desk7', 'the endpoint is stored')
  t.equal(dispatched.n, 1, 'waiting callers are offered at once')
  const again = await rejects(actions.login('a1', 'PJSIP/desk8'), 'CONFLICT')
  t.same(again.details, { state: 'ready' })
  t.equal((await store.agents.get('a1'))?.endpoint, 'PJSIP/desk7', 'a refused login changes nothing')
})

t.test('ready from paused and wrap_up; already ready is done; logged out must log in first', async (t) => {
  for (const from of ['paused', 'wrap_up'] as const) {
    const { actions, dispatched } = await setup(from, { pauseReason: from === 'paused' ? 'lunch' : undefined })
    const a = await actions.ready('a1')
    t.equal(a.state, 'ready', `${from} -> ready`)
    t.notOk(a.pauseReason, 'no pause reason left')
    t.equal(dispatched.n, 1)
  }
  const ready = await setup('ready')
  t.equal((await ready.actions.ready('a1')).state, 'ready')
  t.equal(ready.dispatched.n, 0, 'nothing changed, no dispatch')
  const out = await setup('logged_out')
  t.match((await rejects(out.actions.ready('a1'), 'CONFLICT')).message, /log in with an endpoint first/)
  for (const busy of ['reserved', 'on_call'] as const) {
    const s = await setup(busy, { callId: 'c1' })
    t.same((await rejects(s.actions.ready('a1'), 'CONFLICT')).details, { state: busy })
  }
})

t.test('pause with a reason from ready, wrap_up, or paused (new reason); not during a call', async (t) => {
  for (const from of ['ready', 'wrap_up', 'paused'] as const) {
    const { actions, store } = await setup(from, { pauseReason: from === 'paused' ? 'training' : undefined })
    const a = await actions.pause('a1', 'lunch')
    t.match(a, { state: 'paused', pauseReason: 'lunch' }, from)
    t.equal((await store.agents.get('a1'))?.pauseReason, 'lunch')
  }
  for (const from of ['reserved', 'on_call', 'logged_out'] as const) {
    const { actions, store } = await setup(from)
    await rejects(actions.pause('a1', 'lunch'), 'CONFLICT')
    t.equal((await store.agents.get('a1'))?.state, from, `${from} unchanged`)
  }
})

t.test('logout: not while reserved or on a call (409); from ready, paused, wrap_up; twice is fine', async (t) => {
  for (const from of ['reserved', 'on_call'] as const) {
    const { actions, store } = await setup(from, { callId: 'c9' })
    const e = await rejects(actions.logout('a1'), 'CONFLICT')
    t.match(e.message, from === 'reserved' ? /ringing/ : /on a call/)
    t.equal((await store.agents.get('a1'))?.state, from)
  }
  for (const from of ['ready', 'paused', 'wrap_up'] as const) {
    const { actions } = await setup(from, { pauseReason: from === 'paused' ? 'x' : undefined })
    const a = await actions.logout('a1')
    t.equal(a.state, 'logged_out', from)
    t.notOk(a.pauseReason)
    t.equal((await actions.logout('a1')).state, 'logged_out', 'logging out again changes nothing')
  }
})

t.test('end of wrap-up: wrap_up -> ready only', async (t) => {
  const w = await setup('wrap_up')
  t.equal((await w.actions.endWrapUp('a1')).state, 'ready')
  t.equal(w.dispatched.n, 1)
  const r = await setup('ready')
  t.same((await rejects(r.actions.endWrapUp('a1'), 'CONFLICT')).details, { state: 'ready' }, 'not in wrap-up: conflict, even when ready')
})

t.test('an unknown agent is NOT_FOUND for every action', async (t) => {
  const { actions } = await setup('ready')
  const all = [actions.get('zz'), actions.login('zz', 'PJSIP/x'), actions.ready('zz'), actions.pause('zz', 'x'), actions.endWrapUp('zz'), actions.logout('zz')]
  for (const p of all) t.match(await rejects(p, 'NOT_FOUND'), { message: /no agent zz/ })
})

t.test('compare-and-set: an agent routing has just reserved cannot be logged out under it', async (t) => {
  const { store, actions, clock } = await setup('ready')
  // Routing claims the agent first; the logout that follows must see it.
  await store.agents.transition('a1', ['ready'], 'reserved', clock.now(), { callId: 'c1' })
  await rejects(actions.logout('a1'), 'CONFLICT')
  t.match(await store.agents.get('a1'), { state: 'reserved', callId: 'c1' })
})
