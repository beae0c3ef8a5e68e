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

t.test('hang up: the agent on the call or a supervisor; another agent may not; an unknown call is 404', async (t) => {
  const { app, calls } = await startApi(t)
  const other = await app.inject({ method: 'POST', url: '/api/calls/c-2/hangup', headers: auth('tok-op1') })
  t.equal(other.statusCode, 403)
  t.notOk(calls.requests.some((r) => r.op === 'hangup'), 'nothing hung up for a refused request')
  const own = await app.inject({ method: 'POST', url: '/api/calls/c-1/hangup', headers: auth('tok-op1') })
  t.equal(own.statusCode, 200)
  t.same(calls.requests.at(-1), { callId: 'c-1', op: 'hangup', by: 'op1' }, 'the operator recorded')
  t.equal((await app.inject({ method: 'POST', url: '/api/calls/c-2/hangup', headers: auth('tok-supervisor') })).statusCode, 200)
  t.match(calls.requests.at(-1), { callId: 'c-2', op: 'hangup', by: 'sup' })
  const gone = await app.inject({ method: 'POST', url: '/api/calls/nope/hangup', headers: auth('tok-supervisor') })
  t.equal(gone.statusCode, 404)
  t.equal(gone.json().error.code, 'NOT_FOUND')
})

t.test('what the caller typed: by value to the agent on the call only; names to supervisors and viewers', async (t) => {
  const { app } = await startApi(t)
  const own = (await app.inject({ method: 'GET', url: '/api/calls', headers: auth('tok-op1') })).json()
  t.same(own[0].given, { request_number: '12345678' }, 'the operator on the call gets the values')
  for (const token of ['tok-supervisor', 'tok-viewer']) {
    const all = (await app.inject({ method: 'GET', url: '/api/calls', headers: auth(token) })).json() as Array<Record<string, unknown>>
    t.ok(all.length > 0)
    t.ok(all.every((c) => !('given' in c)), `${token}: no values`)
  }
})

t.test('desk settings: pause reasons, sections, escalation sections; the softphone configured or not', async (t) => {
  const bare = await startApi(t)
  const r = await bare.app.inject({ method: 'GET', url: '/api/desk', headers: auth('tok-op1') })
  t.equal(r.statusCode, 200)
  t.same(r.json(), {
    agentId: 'op1',
    pauseReasons: ['break', 'lunch'],
    sections: [
      { id: 'operators', name: 'operators' },
      { id: 'pensions', name: 'pensions' },
    ],
    escalationSections: ['pensions', 'income_support', 'contributions'],
    softphone: { configured: false },
  })
  const sip = await startApi(t, { desk: { pauseReasons: ['break'], webrtc: { wsUrl: 'wss://pbx.example.it:8089/ws' } } })
  const s = (await sip.app.inject({ method: 'GET', url: '/api/desk', headers: auth('tok-op1') })).json()
  t.same(s.softphone, { configured: true, wsUrl: 'wss://pbx.example.it:8089/ws', domain: 'pbx.example.it', user: 'op1' }, 'domain from the URL, the agent id as SIP user')
  const sup = (await sip.app.inject({ method: 'GET', url: '/api/desk', headers: auth('tok-supervisor') })).json()
  t.notOk(sup.agentId)
  t.notOk(sup.softphone.user, 'a supervisor is no SIP user')
})
