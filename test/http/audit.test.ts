import t from 'tap'
import { auth, campaignDefinition, startApi } from './fixture.js'

t.test('configuration changes through the API are audited: who, what, when, old and new; supervisors read them', async (t) => {
  const api = await startApi(t)
  const { app } = api
  t.equal((await app.inject({ method: 'POST', url: '/api/campaigns', headers: auth('tok-manager'), payload: campaignDefinition('info') })).statusCode, 201)
  const edited = await app.inject({ method: 'PUT', url: '/api/campaigns/info', headers: auth('tok-supervisor'), payload: campaignDefinition('info', { ringSeconds: 25 }) })
  t.equal(edited.statusCode, 200)
  const up = await app.inject({ method: 'POST', url: '/api/campaigns/info/contacts', headers: { ...auth('tok-manager'), 'content-type': 'text/csv' }, payload: 'number\n3331234567\nbad\n' })
  t.equal(up.statusCode, 200)
  t.equal((await app.inject({ method: 'POST', url: '/api/campaigns/info/start', headers: auth('tok-manager') })).statusCode, 200)
  t.equal((await app.inject({ method: 'POST', url: '/api/campaigns/info/start', headers: auth('tok-manager') })).statusCode, 409, 'a refused change...')
  t.equal((await app.inject({ method: 'POST', url: '/api/optout', headers: auth('tok-supervisor'), payload: { numbers: ['333 765 4321'] } })).statusCode, 200)

  const r = await app.inject({ method: 'GET', url: '/api/audit', headers: auth('tok-supervisor') })
  t.equal(r.statusCode, 200)
  const entries = r.json() as Array<{ user: string; role: string; action: string; target: string; at: string; before?: unknown; after?: unknown }>
  t.same(entries.map((e) => e.action), ['optout.add', 'campaign.start', 'campaign.upload', 'campaign.update', 'campaign.create'], '...is not recorded; newest first')
  t.match(entries[3], { user: 'sup', role: 'supervisor', target: 'campaign:info', before: { ringSeconds: 15 }, after: { ringSeconds: 25 } }, 'old and new version')
  t.match(entries[1], { user: 'mgr', role: 'campaign_manager', before: 'draft', after: 'running' })
  t.match(entries[2], { after: { imported: 1, rejected: 1 } })
  t.notOk('rejectedRows' in (entries[2]!.after as object), 'the upload summary, not every rejected row')
  t.match(entries[0], { after: { numbers: ['+393337654321'], added: 1 } })
  t.match(entries[4]!.at, /^\d{4}-\d\d-\d\dT/)
  const one = await app.inject({ method: 'GET', url: '/api/audit?target=optout', headers: auth('tok-supervisor') })
  t.same(one.json().map((e: { action: string }) => e.action), ['optout.add'])
  t.equal((await app.inject({ method: 'GET', url: '/api/audit', headers: auth('tok-manager') })).statusCode, 403, 'not for campaign managers')
})
