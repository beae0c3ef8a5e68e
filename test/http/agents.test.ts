/** Agent routes: the actions through HTTP, their conflicts, and the dispatch that follows. */
import t from 'tap'
import { auth, startApi } from './fixture.js'

t.test('an agent logs in on a new endpoint, pauses, comes back, logs out', async (t) => {
  const { app, store, clock, dispatches } = await startApi(t)
  const h = auth('tok-op1')
  clock.advance(60_000)
  const login = await app.inject({ method: 'POST', url: '/api/agents/op1/login', headers: h, payload: { endpoint: 'PJSIP/desk-12' } })
  t.equal(login.statusCode, 200)
  t.match(login.json(), { id: 'op1', state: 'ready', endpoint: 'PJSIP/desk-12', since: new Date(clock.now()).toISOString() })
  t.equal(dispatches.count, 1, 'ready: the queue dispatches')
  t.equal((await store.agents.get('op1'))?.endpoint, 'PJSIP/desk-12')

  const again = await app.inject({ method: 'POST', url: '/api/agents/op1/login', headers: h, payload: { endpoint: 'PJSIP/desk-13' } })
  t.equal(again.statusCode, 409)
  t.match(again.json(), { error: { code: 'CONFLICT', details: { state: 'ready' } } })

  const pause = await app.inject({ method: 'POST', url: '/api/agents/op1/pause', headers: h, payload: { reason: 'coffee' } })
  t.match(pause.json(), { state: 'paused', pauseReason: 'coffee' })
  const ready = await app.inject({ method: 'POST', url: '/api/agents/op1/ready', headers: h })
  t.equal(ready.json().state, 'ready')
  t.notOk('pauseReason' in ready.json())
  t.equal(dispatches.count, 2)
  const out = await app.inject({ method: 'POST', url: '/api/agents/op1/logout', headers: h })
  t.equal(out.json().state, 'logged_out')
  t.equal((await store.agents.get('op1'))?.state, 'logged_out')
})

t.test('logout during a call is 409 and leaves the agent on its call', async (t) => {
  const { app, store } = await startApi(t)
  const r = await app.inject({ method: 'POST', url: '/api/agents/op3/logout', headers: auth('tok-supervisor') })
  t.equal(r.statusCode, 409)
  t.match(r.json().error.message, /on a call/)
  t.match(await store.agents.get('op3'), { state: 'on_call', callId: 'c-1' })
})

t.test('wrap-up end; pause reasons validated; lists sorted by id', async (t) => {
  const { app, store, clock } = await startApi(t)
  await store.agents.transition('op2', ['ready'], 'wrap_up', clock.now())
  const end = await app.inject({ method: 'POST', url: '/api/agents/op2/wrap-up/end', headers: auth('tok-op2') })
  t.equal(end.json().state, 'ready')
  const notWrap = await app.inject({ method: 'POST', url: '/api/agents/op2/wrap-up/end', headers: auth('tok-op2') })
  t.equal(notWrap.statusCode, 409)
  const long = await app.inject({ method: 'POST', url: '/api/agents/op2/pause', headers: auth('tok-op2'), payload: { reason: 'x'.repeat(65) } })
  t.equal(long.statusCode, 400)
  t.match(long.json(), { error: { details: { errors: [{ path: '/body/reason' }] } } })
  const badEndpoint = await app.inject({ method: 'POST', url: '/api/agents/op1/login', headers: auth('tok-op1'), payload: { endpoint: 'desk 12' } })
  t.equal(badEndpoint.statusCode, 400)
  const list = await app.inject({ method: 'GET', url: '/api/agents', headers: auth('tok-viewer') })
  t.same(list.json().map((a: { id: string; state: string }) => [a.id, a.state]), [
    ['op1', 'logged_out'],
    ['op2', 'ready'],
    ['op3', 'on_call'],
  ])
})
