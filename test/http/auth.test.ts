/**
 * Roles on every route: a table of routes and the roles allowed, checked both ways (allowed
 * roles get past auth, the others get 403, no credentials 401), and checked against the
 * OpenAPI document so that a new route cannot be added without joining the table.
 */
import Fastify from 'fastify'
import t, { type Test } from 'tap'
import { installAuth, tokenAuthenticator, type Role } from '../../src/http/auth.js'
import { installErrorHandling } from '../../src/http/errors.js'
import { auth, campaignDefinition, startApi, type Api } from './fixture.js'
import { validateCampaign } from '../../src/dialer/campaign-config.js'

const TOKEN: Record<Role, string> = { supervisor: 'tok-supervisor', viewer: 'tok-viewer', campaign_manager: 'tok-manager', agent: 'tok-op1' }
const ALL: Role[] = ['supervisor', 'viewer', 'campaign_manager', 'agent']

interface RouteCase {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** As in the OpenAPI document. */
  route: string
  url: (ids: Ids) => string
  roles: Role[] | 'public'
  body?: (ids: Ids) => unknown
  /** Default application/json (the body is sent as JSON). */
  contentType?: string
}
interface Ids {
  escalation: string
  change: string
}

const future = '2030-01-15T10:00:00+01:00'
const CASES: RouteCase[] = [
  { method: 'GET', route: '/api/health', url: () => '/api/health', roles: 'public' },
  { method: 'GET', route: '/api/ready', url: () => '/api/ready', roles: 'public' },
  { method: 'GET', route: '/api/agents', url: () => '/api/agents', roles: ['supervisor', 'viewer'] },
  { method: 'GET', route: '/api/agents/{id}', url: () => '/api/agents/op1', roles: ['supervisor', 'viewer', 'agent'] },
  { method: 'POST', route: '/api/agents/{id}/login', url: () => '/api/agents/op1/login', roles: ['supervisor', 'agent'], body: () => ({ endpoint: 'PJSIP/op1' }) },
  { method: 'POST', route: '/api/agents/{id}/ready', url: () => '/api/agents/op1/ready', roles: ['supervisor', 'agent'] },
  { method: 'POST', route: '/api/agents/{id}/pause', url: () => '/api/agents/op1/pause', roles: ['supervisor', 'agent'], body: () => ({ reason: 'lunch' }) },
  { method: 'POST', route: '/api/agents/{id}/wrap-up/end', url: () => '/api/agents/op1/wrap-up/end', roles: ['supervisor', 'agent'] },
  { method: 'POST', route: '/api/agents/{id}/logout', url: () => '/api/agents/op1/logout', roles: ['supervisor', 'agent'] },
  {
    method: 'POST',
    route: '/api/escalations/tickets',
    url: () => '/api/escalations/tickets',
    roles: ['supervisor', 'agent'],
    body: () => ({ section: 'pensions', subject: 's', citizen: { reference: 'r' } }),
  },
  {
    method: 'POST',
    route: '/api/escalations/appointments',
    url: () => '/api/escalations/appointments',
    roles: ['supervisor', 'agent'],
    body: () => ({ startsAt: future, office: 'Roma', citizen: { reference: 'r' } }),
  },
  { method: 'GET', route: '/api/escalations', url: () => '/api/escalations', roles: ['supervisor', 'viewer', 'agent'] },
  { method: 'GET', route: '/api/escalations/{id}', url: (i) => `/api/escalations/${i.escalation}`, roles: ['supervisor', 'viewer', 'agent'] },
  { method: 'POST', route: '/api/escalations/{id}/status', url: (i) => `/api/escalations/${i.escalation}/status`, roles: ['supervisor', 'agent'], body: () => ({ to: 'in_charge' }) },
  { method: 'GET', route: '/api/escalations/outbox', url: () => '/api/escalations/outbox', roles: ['supervisor'] },
  { method: 'POST', route: '/api/escalations/outbox/{changeId}/retry', url: (i) => `/api/escalations/outbox/${i.change}/retry`, roles: ['supervisor'] },
  { method: 'GET', route: '/api/stats', url: () => '/api/stats', roles: ['supervisor', 'viewer', 'campaign_manager', 'agent'] },
  { method: 'GET', route: '/api/stats.csv', url: () => '/api/stats.csv', roles: ['supervisor', 'viewer', 'campaign_manager', 'agent'] },
  { method: 'GET', route: '/api/live', url: () => '/api/live?once=true', roles: ['supervisor', 'viewer', 'agent', 'campaign_manager'] },
  { method: 'GET', route: '/metrics', url: () => '/metrics', roles: 'public' },
  { method: 'GET', route: '/api/audit', url: () => '/api/audit', roles: ['supervisor'] },
  { method: 'POST', route: '/api/login', url: () => '/api/login', roles: 'public', body: () => ({ user: 'alice', password: 'demo' }) },
  { method: 'POST', route: '/api/logout', url: () => '/api/logout', roles: ['supervisor', 'viewer', 'campaign_manager', 'agent'] },
  { method: 'GET', route: '/api/calls', url: () => '/api/calls', roles: ['supervisor', 'viewer', 'agent'] },
  { method: 'POST', route: '/api/calls/{callId}/transfer', url: () => '/api/calls/c-1/transfer', roles: ['supervisor', 'agent'], body: () => ({ section: 'pensions', mode: 'blind' }) },
  { method: 'POST', route: '/api/calls/{callId}/transfer-external', url: () => '/api/calls/c-1/transfer-external', roles: ['supervisor', 'agent'], body: () => ({ number: '06 1234 5678' }) },
  { method: 'POST', route: '/api/calls/{callId}/consult/complete', url: () => '/api/calls/c-1/consult/complete', roles: ['supervisor', 'agent'] },
  { method: 'POST', route: '/api/calls/{callId}/consult/cancel', url: () => '/api/calls/c-1/consult/cancel', roles: ['supervisor', 'agent'] },
  { method: 'POST', route: '/api/calls/{callId}/hangup', url: () => '/api/calls/c-1/hangup', roles: ['supervisor', 'agent'] },
  { method: 'GET', route: '/api/desk', url: () => '/api/desk', roles: ['agent', 'supervisor'] },
  { method: 'POST', route: '/api/campaigns', url: () => '/api/campaigns', roles: ['supervisor', 'campaign_manager'], body: () => campaignDefinition('new') },
  { method: 'GET', route: '/api/campaigns', url: () => '/api/campaigns', roles: ['supervisor', 'campaign_manager', 'viewer'] },
  { method: 'GET', route: '/api/campaigns/{id}', url: () => '/api/campaigns/c1', roles: ['supervisor', 'campaign_manager', 'viewer'] },
  { method: 'PUT', route: '/api/campaigns/{id}', url: () => '/api/campaigns/c1', roles: ['supervisor', 'campaign_manager'], body: () => campaignDefinition('c1') },
  {
    method: 'POST',
    route: '/api/campaigns/{id}/contacts',
    url: () => '/api/campaigns/c1/contacts',
    roles: ['supervisor', 'campaign_manager'],
    body: () => 'number\n3331234567\n',
    contentType: 'text/csv',
  },
  ...(['start', 'pause', 'resume', 'stop'] as const).map(
    (a): RouteCase => ({ method: 'POST', route: `/api/campaigns/{id}/${a}`, url: () => `/api/campaigns/c1/${a}`, roles: ['supervisor', 'campaign_manager'] }),
  ),
  { method: 'GET', route: '/api/campaigns/{id}/progress', url: () => '/api/campaigns/c1/progress', roles: ['supervisor', 'campaign_manager', 'viewer'] },
  { method: 'GET', route: '/api/campaigns/{id}/results.csv', url: () => '/api/campaigns/c1/results.csv', roles: ['supervisor', 'campaign_manager', 'viewer'] },
  { method: 'POST', route: '/api/optout', url: () => '/api/optout', roles: ['supervisor', 'campaign_manager'], body: () => ({ numbers: ['3331234567'] }) },
  { method: 'DELETE', route: '/api/optout', url: () => '/api/optout', roles: ['supervisor', 'campaign_manager'], body: () => ({ numbers: ['3331234567'] }) },
  { method: 'GET', route: '/api/optout', url: () => '/api/optout', roles: ['supervisor', 'campaign_manager'] },
  { method: 'GET', route: '/api/optout/{number}', url: () => '/api/optout/3331234567', roles: ['supervisor', 'campaign_manager'] },
  { method: 'GET', route: '/api/flows', url: () => '/api/flows', roles: ['supervisor', 'viewer'] },
  { method: 'GET', route: '/api/flows/{id}', url: () => '/api/flows/national', roles: ['supervisor', 'viewer'] },
  { method: 'GET', route: '/api/flows/{id}/versions', url: () => '/api/flows/national/versions', roles: ['supervisor', 'viewer'] },
  { method: 'GET', route: '/api/flows/{id}/versions/{version}', url: () => '/api/flows/national/versions/000000000000', roles: ['supervisor', 'viewer'] },
  { method: 'POST', route: '/api/flows/validate', url: () => '/api/flows/validate', roles: ['supervisor'], body: () => 'flow: national\n', contentType: 'text/yaml' },
  { method: 'PUT', route: '/api/flows/{id}', url: () => '/api/flows/national', roles: ['supervisor'], body: () => 'flow: national\n', contentType: 'application/x-yaml' },
  { method: 'POST', route: '/api/flows/{id}/rollback', url: () => '/api/flows/national/rollback', roles: ['supervisor'], body: () => ({ version: '000000000000' }) },
  { method: 'GET', route: '/api/sections', url: () => '/api/sections', roles: ['supervisor', 'viewer', 'campaign_manager', 'agent'] },
  { method: 'PUT', route: '/api/sections/{id}', url: () => '/api/sections/pensions', roles: ['supervisor'], body: () => ({ expectedHandleSec: 200 }) },
  { method: 'POST', route: '/api/agents', url: () => '/api/agents', roles: ['supervisor'], body: () => ({ id: 'op9', name: 'Nuovo', endpoint: 'PJSIP/op9', sections: ['operators'] }) },
  { method: 'PUT', route: '/api/agents/{id}/profile', url: () => '/api/agents/op3/profile', roles: ['supervisor'], body: () => ({ skills: { pensions: 2 } }) },
  { method: 'DELETE', route: '/api/agents/{id}', url: () => '/api/agents/op1', roles: ['supervisor'] },
  { method: 'GET', route: '/api/callbacks', url: () => '/api/callbacks', roles: ['supervisor', 'viewer'] },
  { method: 'DELETE', route: '/api/callbacks/{id}', url: () => '/api/callbacks/c-9', roles: ['supervisor'] },
]

/** A fresh API with one escalation opened by op1 (so op1's own-resource routes pass) and a draft campaign c1 with a contact. */
async function fresh(t: Test): Promise<{ api: Api; ids: Ids }> {
  const api = await startApi(t)
  await api.campaigns.put(validateCampaign(campaignDefinition('c1')).config!, api.clock.now())
  await api.campaigns.addContacts('c1', [{ id: '+393330000001', number: '+393330000001', fields: {}, lines: [2] }])
  const r = await api.app.inject({ method: 'POST', url: '/api/escalations/tickets', headers: auth('tok-op1'), payload: { section: 'pensions', subject: 's', citizen: { reference: 'r' } } })
  const e = r.json() as { id: string; history: Array<{ changeId: string }> }
  return { api, ids: { escalation: e.id, change: e.history[0]!.changeId } }
}

for (const c of CASES) {
  t.test(`${c.method} ${c.route}: ${c.roles === 'public' ? 'public' : c.roles.join(', ')}`, async (t) => {
    const { api, ids } = await fresh(t)
    const call = (headers: Record<string, string>) =>
      api.app.inject({
        method: c.method,
        url: c.url(ids),
        headers: c.body ? { ...headers, 'content-type': c.contentType ?? 'application/json' } : headers,
        ...(c.body ? { payload: c.contentType ? String(c.body(ids)) : JSON.stringify(c.body(ids)) } : {}),
      })
    if (c.roles === 'public') {
      const r = await call({})
      t.equal(r.statusCode, 200, 'no credentials needed')
      return
    }
    const none = await call({})
    t.equal(none.statusCode, 401, 'no credentials: 401')
    t.equal(none.headers['www-authenticate'], 'Bearer realm="centralino"')
    t.equal(none.json().error.code, 'UNAUTHORIZED')
    const bad = await call(auth('not-a-token'))
    t.equal(bad.statusCode, 401, 'unknown token: 401')
    const basic = await call({ authorization: 'Basic dGVzdDp0ZXN0' })
    t.equal(basic.statusCode, 401, 'another scheme: 401')
    for (const role of ALL) {
      const r = await call(auth(TOKEN[role]))
      if (c.roles.includes(role)) t.notOk([401, 403].includes(r.statusCode), `${role} allowed (got ${r.statusCode} ${r.body.slice(0, 120)})`)
      else {
        t.equal(r.statusCode, 403, `${role} forbidden`)
        t.equal(r.json().error.code, 'FORBIDDEN')
      }
    }
  })
}

t.test("an agent acts on itself only; a supervisor on anyone", async (t) => {
  const { app, store } = await startApi(t)
  for (const [method, url, payload] of [
    ['GET', '/api/agents/op2', undefined],
    ['POST', '/api/agents/op2/login', { endpoint: 'PJSIP/x' }],
    ['POST', '/api/agents/op2/ready', undefined],
    ['POST', '/api/agents/op2/pause', { reason: 'x' }],
    ['POST', '/api/agents/op2/wrap-up/end', undefined],
    ['POST', '/api/agents/op2/logout', undefined],
  ] as const) {
    const r = await app.inject({ method, url, headers: auth('tok-op1'), ...(payload ? { payload } : {}) })
    t.equal(r.statusCode, 403, `op1 on op2: ${method} ${url}`)
    t.match(r.json(), { error: { code: 'FORBIDDEN', message: 'an agent may act only on itself' } })
  }
  t.equal((await store.agents.get('op2'))?.state, 'ready', 'op2 untouched')
  const sup = await app.inject({ method: 'POST', url: '/api/agents/op2/pause', headers: auth('tok-supervisor'), payload: { reason: 'meeting' } })
  t.equal(sup.statusCode, 200)
  t.equal(sup.json().pauseReason, 'meeting')
  const own = await app.inject({ method: 'GET', url: '/api/agents/op1', headers: auth('tok-op1') })
  t.equal(own.statusCode, 200, 'op1 reads itself')
})

t.test("an agent reaches only the escalations it opened", async (t) => {
  const { app } = await startApi(t)
  const r = await app.inject({ method: 'POST', url: '/api/escalations/tickets', headers: auth('tok-op2'), payload: { section: 'pensions', subject: 's', citizen: { reference: 'r' } } })
  const id = r.json().id as string
  t.equal((await app.inject({ method: 'GET', url: `/api/escalations/${id}`, headers: auth('tok-op1') })).statusCode, 403)
  t.equal((await app.inject({ method: 'POST', url: `/api/escalations/${id}/status`, headers: auth('tok-op1'), payload: { to: 'closed' } })).statusCode, 403)
  t.same((await app.inject({ method: 'GET', url: '/api/escalations', headers: auth('tok-op1') })).json(), [], 'op1 lists none of them')
  t.equal((await app.inject({ method: 'GET', url: '/api/escalations', headers: auth('tok-op2') })).json().length, 1)
  t.equal((await app.inject({ method: 'GET', url: `/api/escalations/${id}`, headers: auth('tok-viewer') })).statusCode, 200, 'a viewer reads all')
  t.equal((await app.inject({ method: 'POST', url: `/api/escalations/${id}/status`, headers: auth('tok-supervisor'), payload: { to: 'closed' } })).statusCode, 200, 'a supervisor changes any')
})

t.test('every route of the OpenAPI document is in the table above, and declares bearer security unless public', async (t) => {
  const api = await startApi(t, { docs: true })
  const doc = (await api.app.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, Record<string, unknown>> }
  const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)).sort()
  t.same(documented, CASES.map((c) => `${c.method} ${c.route}`).sort())
  const docs = await api.app.inject({ method: 'GET', url: '/docs/' })
  t.equal(docs.statusCode, 200, 'the docs page is public')
  t.match(docs.headers['content-type'], /text\/html/)
})

t.test('a route that declares no roles is refused when registered', async (t) => {
  const app = Fastify()
  installErrorHandling(app)
  installAuth(app, { authenticator: tokenAuthenticator({}) })
  t.throws(() => app.get('/x', async () => 'x'), /declares no roles/)
  t.throws(() => app.get('/y', { config: { roles: [] } }, async () => 'y'), /invalid roles/)
  t.throws(() => app.get('/z', { config: { roles: ['root' as Role] } }, async () => 'z'), /invalid roles/)
  await app.close()
})

t.test('tokens: bearer scheme case-insensitive, surrounding spaces ignored; principal copied', async (t) => {
  const a = tokenAuthenticator({ 'abc-123-xyz': { user: 'u', role: 'viewer' } })
  t.same(await a.authenticate({ bearer: 'abc-123-xyz', headers: {} }), { user: 'u', role: 'viewer' })
  t.equal(await a.authenticate({ bearer: 'abc-123-xy', headers: {} }), undefined)
  t.equal(await a.authenticate({ headers: {} }), undefined)
  const { app } = await startApi(t)
  t.equal((await app.inject({ method: 'GET', url: '/api/agents', headers: { authorization: 'bearer   tok-viewer  ' } })).statusCode, 200)
})
