import t from 'tap'
import { auth, startApi } from './fixture.js'

t.test('an agent sees and transfers only its own call; a supervisor any; results become the error shape', async (t) => {
  const { app, calls } = await startApi(t)
  const own = await app.inject({ method: 'GET', url: '/api/calls', headers: auth('tok-op1') })
  t.same(own.json().map((c: { callId: string }) => c.callId), ['c-1'], 'op1 sees its call only')
  t.equal(own.json()[0].caller, '+*********567', 'numbers are masked')
  t.equal((await app.inject({ method: 'GET', url: '/api/calls', headers: auth('tok-supervisor') })).json().length, 2)

  const other = await app.inject({ method: 'POST', url: '/api/calls/c-2/transfer', headers: auth('tok-op1'), payload: { section: 'pensions' } })
  t.equal(other.statusCode, 403)
  t.match(other.json(), { error: { code: 'FORBIDDEN', message: 'an agent may act only on its own call' } })

  const blind = await app.inject({ method: 'POST', url: '/api/calls/c-1/transfer', headers: auth('tok-op1'), payload: { section: 'pensions', priority: 2 } })
  t.equal(blind.statusCode, 200)
  t.match(calls.requests.at(-1), { callId: 'c-1', section: 'pensions', mode: 'blind', priority: 2, by: 'op1' }, 'blind by default, the operator recorded')

  const busy = await app.inject({ method: 'POST', url: '/api/calls/c-2/transfer', headers: auth('tok-supervisor'), payload: { section: 'busy', mode: 'attended' } })
  t.equal(busy.statusCode, 409)
  t.match(busy.json(), { error: { code: 'CONFLICT', message: 'no agent of busy is free', details: { reason: 'NO_AGENT' } } })

  t.equal((await app.inject({ method: 'POST', url: '/api/calls/nope/consult/complete', headers: auth('tok-supervisor') })).statusCode, 404)
  const bad = await app.inject({ method: 'POST', url: '/api/calls/c-1/transfer', headers: auth('tok-supervisor'), payload: { section: 'pensions', mode: 'sideways' } })
  t.equal(bad.statusCode, 400)
  t.equal(bad.json().error.code, 'BAD_REQUEST')
})
