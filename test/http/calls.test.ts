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

t.test('transfer to an external number: Italian landlines and mobiles only, normalised; an agent only its own call', async (t) => {
  const { app, calls } = await startApi(t)
  const ok = await app.inject({ method: 'POST', url: '/api/calls/c-1/transfer-external', headers: auth('tok-op1'), payload: { number: '06 1234-5678' } })
  t.equal(ok.statusCode, 200)
  t.same(calls.requests.at(-1), { callId: 'c-1', number: '+390612345678', by: 'op1' }, 'dialed as +39..., the operator recorded')
  const mobile = await app.inject({ method: 'POST', url: '/api/calls/c-2/transfer-external', headers: auth('tok-supervisor'), payload: { number: '0039 333 1234567' } })
  t.equal(mobile.statusCode, 200)
  t.equal(calls.requests.at(-1)?.number, '+393331234567')
  for (const number of ['+44 20 7946 0958', '899 123456', '112', '3331234', 'call me']) {
    const r = await app.inject({ method: 'POST', url: '/api/calls/c-1/transfer-external', headers: auth('tok-op1'), payload: { number } })
    t.equal(r.statusCode, 400, `${number} refused`)
    t.match(r.json(), { error: { code: 'BAD_REQUEST', details: { field: 'number' } } })
  }
  const n = calls.requests.length
  t.equal((await app.inject({ method: 'POST', url: '/api/calls/c-2/transfer-external', headers: auth('tok-op1'), payload: { number: '0612345678' } })).statusCode, 403)
  t.equal(calls.requests.length, n, 'nothing dialed for refused requests')
})
