/** Escalation routes: tickets and appointments, status changes with history, the outbox view. */
import t from 'tap'
import { auth, startApi } from './fixture.js'

const citizen = { reference: 'RSSMRA80A01H501U', name: 'Mario Rossi', phone: '+39 333 1234567' }

t.test('an operator opens a ticket; the centre takes it in charge and closes it; the history says who and when', async (t) => {
  const { app, clock } = await startApi(t)
  const created = await app.inject({
    method: 'POST',
    url: '/api/escalations/tickets',
    headers: auth('tok-op1'),
    payload: { section: 'income_support', subject: 'Benefit suspended', description: 'since May', citizen, callId: 'call-42' },
  })
  t.equal(created.statusCode, 201)
  const e = created.json()
  t.match(e, { kind: 'ticket', section: 'income_support', status: 'open', version: 1, createdBy: 'op1', callId: 'call-42', citizen, createdAt: new Date(clock.now()).toISOString() })
  clock.advance(3_600_000)
  const taken = await app.inject({ method: 'POST', url: `/api/escalations/${e.id}/status`, headers: auth('tok-supervisor'), payload: { to: 'in_charge', note: 'assigned to the Lazio desk' } })
  t.equal(taken.statusCode, 200)
  const closed = await app.inject({ method: 'POST', url: `/api/escalations/${e.id}/status`, headers: auth('tok-op1'), payload: { to: 'closed' } })
  t.equal(closed.json().status, 'closed')
  const got = (await app.inject({ method: 'GET', url: `/api/escalations/${e.id}`, headers: auth('tok-viewer') })).json()
  t.same(
    got.history.map((c: Record<string, unknown>) => [c.seq, c.by, c.from, c.to, c.note ?? null, c.at]),
    [
      [1, 'op1', null, 'open', null, '2026-11-23T09:00:00.000Z'],
      [2, 'sup', 'open', 'in_charge', 'assigned to the Lazio desk', '2026-11-23T10:00:00.000Z'],
      [3, 'op1', 'in_charge', 'closed', null, '2026-11-23T10:00:00.000Z'],
    ],
  )
  const invalid = await app.inject({ method: 'POST', url: `/api/escalations/${e.id}/status`, headers: auth('tok-supervisor'), payload: { to: 'in_charge' } })
  t.equal(invalid.statusCode, 409, 'closed -> in_charge is not a change the status allows')
  t.match(invalid.json(), { error: { code: 'CONFLICT', details: { status: 'closed', allowed: ['open'] } } })
  const same = await app.inject({ method: 'POST', url: `/api/escalations/${e.id}/status`, headers: auth('tok-supervisor'), payload: { to: 'closed' } })
  t.equal(same.statusCode, 409, 'closed -> closed too')
  const outbox = (await app.inject({ method: 'GET', url: '/api/escalations/outbox', headers: auth('tok-supervisor') })).json()
  t.same(outbox, { pending: 3, setAside: [] }, 'three changes wait for the webhook (none configured here)')
})

t.test('appointments: date-time with zone, in the future, office and citizen reference required', async (t) => {
  const { app } = await startApi(t)
  const ok = await app.inject({
    method: 'POST',
    url: '/api/escalations/appointments',
    headers: auth('tok-op2'),
    payload: { startsAt: '2026-11-25T10:30:00+01:00', durationMin: 30, office: 'INPS Roma Eur', section: 'pensions', citizen: { reference: 'RSSMRA80A01H501U' } },
  })
  t.equal(ok.statusCode, 201)
  t.match(ok.json(), { kind: 'appointment', startsAt: '2026-11-25T09:30:00.000Z', office: 'INPS Roma Eur', status: 'open' })
  const past = await app.inject({ method: 'POST', url: '/api/escalations/appointments', headers: auth('tok-op2'), payload: { startsAt: '2026-11-20T10:30:00Z', office: 'x', citizen: { reference: 'r' } } })
  t.equal(past.statusCode, 400)
  t.match(past.json(), { error: { code: 'BAD_REQUEST', message: /future/ } })
  const noZone = await app.inject({ method: 'POST', url: '/api/escalations/appointments', headers: auth('tok-op2'), payload: { startsAt: '2026-11-25 10:30', office: 'x', citizen: {} } })
  t.equal(noZone.statusCode, 400)
  t.same(noZone.json().error.details.errors.map((e: { path: string }) => e.path).sort(), ['/body/citizen/reference', '/body/startsAt'])
})

t.test('lists filter by status, kind and section; unknown id 404; outbox retry of an unknown change 404', async (t) => {
  const { app } = await startApi(t)
  const mk = (section: string) => app.inject({ method: 'POST', url: '/api/escalations/tickets', headers: auth('tok-supervisor'), payload: { section, subject: section, citizen } })
  const a = (await mk('pensions')).json()
  await mk('contributions')
  await app.inject({ method: 'POST', url: `/api/escalations/${a.id}/status`, headers: auth('tok-supervisor'), payload: { to: 'in_charge' } })
  const q = async (qs: string) => (await app.inject({ method: 'GET', url: `/api/escalations?${qs}`, headers: auth('tok-viewer') })).json().map((e: { subject: string }) => e.subject)
  t.same(await q('status=in_charge'), ['pensions'])
  t.same(await q('section=contributions'), ['contributions'])
  t.same(await q('kind=appointment'), [])
  t.same((await q('limit=1')).length, 1)
  t.equal((await app.inject({ method: 'GET', url: '/api/escalations?status=lost', headers: auth('tok-viewer') })).statusCode, 400)
  t.equal((await app.inject({ method: 'GET', url: '/api/escalations/2b1e8a5c-3c4d-4e5f-8a6b-7c8d9e0f1a2b', headers: auth('tok-viewer') })).statusCode, 404)
  const retry = await app.inject({ method: 'POST', url: '/api/escalations/outbox/2b1e8a5c-3c4d-4e5f-8a6b-7c8d9e0f1a2b/retry', headers: auth('tok-supervisor') })
  t.equal(retry.statusCode, 404)
})

t.test('a change set aside is re-queued by a supervisor', async (t) => {
  const { app, escalations, clock } = await startApi(t)
  const e = (await app.inject({ method: 'POST', url: '/api/escalations/tickets', headers: auth('tok-supervisor'), payload: { section: 'pensions', subject: 's', citizen } })).json()
  const [item] = await escalations.outbox.claimDue(clock.now(), 1, 1000)
  await escalations.outbox.setAside(item!.escalationId, item!.changeId, clock.now(), 'HTTP 500')
  const view = (await app.inject({ method: 'GET', url: '/api/escalations/outbox', headers: auth('tok-supervisor') })).json()
  t.match(view, { pending: 0, setAside: [{ escalationId: e.id, changeId: e.history[0].changeId, seq: 1, lastError: 'HTTP 500' }] })
  const r = await app.inject({ method: 'POST', url: `/api/escalations/outbox/${item!.changeId}/retry`, headers: auth('tok-supervisor') })
  t.equal(r.statusCode, 202)
  t.same((await app.inject({ method: 'GET', url: '/api/escalations/outbox', headers: auth('tok-supervisor') })).json(), { pending: 1, setAside: [] })
})
