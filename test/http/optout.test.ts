/**
 * The opt-out register over HTTP: numbers normalised as the importer does, invalid ones
 * reported with their position, counts, lookups, removal; and the register honoured by the
 * next upload.
 */
import t from 'tap'
import { auth, startApi } from './fixture.js'

const MGR = auth('tok-manager')

t.test('add, look up, count, remove; invalid numbers reported and skipped', async (t) => {
  const api = await startApi(t)
  const add = await api.app.inject({ method: 'POST', url: '/api/optout', headers: MGR, payload: { numbers: ['333 123 4567', '+39 333-1234567', '06 1234 5678', 'abc', '144 11', '+44 20 7946 0958'] } })
  t.equal(add.statusCode, 200)
  t.same(add.json(), {
    added: 3,
    already: 0,
    invalid: [
      { index: 3, value: 'abc', reason: 'contains letters' },
      { index: 4, value: '144 11', reason: 'premium-rate number (144…)' },
    ],
  })
  t.same(await api.campaigns.isOptedOut(['+393331234567', '+390612345678', '+442079460958']), new Set(['+393331234567', '+390612345678', '+442079460958']), 'stored in E.164; foreign numbers accepted')
  const again = await api.app.inject({ method: 'POST', url: '/api/optout', headers: auth('tok-supervisor'), payload: { numbers: ['3331234567'] } })
  t.same(again.json(), { added: 0, already: 1, invalid: [] })
  t.same((await api.app.inject({ method: 'GET', url: '/api/optout', headers: MGR })).json(), { count: 3 })
  t.same((await api.app.inject({ method: 'GET', url: '/api/optout/3331234567', headers: MGR })).json(), { number: '+393331234567', optedOut: true })
  t.same((await api.app.inject({ method: 'GET', url: `/api/optout/${encodeURIComponent('+39 347 000 1111')}`, headers: MGR })).json(), { number: '+393470001111', optedOut: false })
  const bad = await api.app.inject({ method: 'GET', url: '/api/optout/hello', headers: MGR })
  t.equal(bad.statusCode, 400)
  t.match(bad.json().error, { code: 'BAD_REQUEST', details: { errors: [{ path: '/params/number' }] } })
  const del = await api.app.inject({ method: 'DELETE', url: '/api/optout', headers: MGR, payload: { numbers: ['+393331234567', '3470001111', 'x'] } })
  t.same(del.json(), { removed: 1, notRegistered: 1, invalid: [{ index: 2, value: 'x', reason: 'contains letters' }] })
  t.same((await api.app.inject({ method: 'GET', url: '/api/optout', headers: MGR })).json(), { count: 2 })
  const empty = await api.app.inject({ method: 'POST', url: '/api/optout', headers: MGR, payload: { numbers: [] } })
  t.equal(empty.statusCode, 400, 'at least one number')
  const extra = await api.app.inject({ method: 'POST', url: '/api/optout', headers: MGR, payload: { numbers: ['3331234567'], all: true } })
  t.equal(extra.statusCode, 400)
})

t.test('a number put in the register is refused by the next upload', async (t) => {
  const api = await startApi(t)
  await api.app.inject({ method: 'POST', url: '/api/campaigns', headers: MGR, payload: { id: 'c', name: 'c', mode: 'progressive', section: 'pensions', callerId: '+390659051', trunk: 'PJSIP/{number}@trunk' } })
  await api.app.inject({ method: 'POST', url: '/api/optout', headers: MGR, payload: { numbers: ['0039 333 1234567'] } })
  const r = await api.app.inject({ method: 'POST', url: '/api/campaigns/c/contacts', headers: { ...MGR, 'content-type': 'text/csv' }, payload: 'number\n3331234567\n3331234568\n' })
  t.match(r.json(), { imported: 1, optedOut: 1, rejectedRows: [{ line: 2, reason: 'opted out' }] })
})
