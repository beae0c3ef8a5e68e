/**
 * Agents' configuration through the API: POST /api/agents, PUT /api/agents/:id/profile,
 * DELETE /api/agents/:id (logged out only): written to the sections file, checked as the file
 * is, applied, audited; the agents' routes show the configured profile.
 */
import t from 'tap'
import { auth, startApi } from './fixture.js'

const sup = auth('tok-supervisor')
const newAgent = { id: 'op9', name: 'Nuova Agente', endpoint: 'PJSIP/op9', sections: ['pensions'], skills: { pensions: 2, en: 3 } }

t.test('POST /api/agents adds an agent to the file, applied and audited', async (t) => {
  const api = await startApi(t)
  const r = await api.app.inject({ method: 'POST', url: '/api/agents', headers: sup, payload: newAgent })
  t.equal(r.statusCode, 201)
  t.same(r.json(), { ...newAgent, state: 'logged_out' })
  t.match(api.config.text(), /- id: op9\n\s+name: Nuova Agente\n\s+endpoint: PJSIP\/op9\n\s+sections: \[ pensions \]\n\s+skills: \{ pensions: 2, en: 3 \}/, "written in the file's style")
  t.same(api.config.applied.at(-1)!.agents.find((a) => a.id === 'op9'), newAgent, 'applied')
  t.match(await api.audit.list(), [{ action: 'agent.create', target: 'agent:op9', user: 'sup', after: newAgent }])
  t.notOk((await api.audit.list())[0]!.before, 'nothing before')

  const dup = await api.app.inject({ method: 'POST', url: '/api/agents', headers: sup, payload: { ...newAgent, name: 'Other' } })
  t.equal(dup.statusCode, 409)
  t.equal(dup.json().error.code, 'CONFLICT')
  const unknown = await api.app.inject({ method: 'POST', url: '/api/agents', headers: sup, payload: { id: 'op10', name: 'X', endpoint: 'PJSIP/op10', sections: ['nowhere'] } })
  t.equal(unknown.statusCode, 400)
  t.equal(unknown.json().error.code, 'CONFIG_INVALID', 'a section the file does not have')
  const idle = await api.app.inject({ method: 'POST', url: '/api/agents', headers: sup, payload: { id: 'op11', name: 'X', endpoint: 'PJSIP/op11' } })
  t.equal(idle.json().error.code, 'CONFIG_INVALID', 'an agent serving nothing')
  const bad = await api.app.inject({ method: 'POST', url: '/api/agents', headers: sup, payload: { id: '1x', name: '', endpoint: 'op12', skills: { pensions: 9 } } })
  t.equal(bad.statusCode, 400)
  t.equal(bad.json().error.code, 'BAD_REQUEST')
  t.same((bad.json().error.details.errors as Array<{ path: string }>).map((e) => e.path).sort(), ['/id', '/name', '/endpoint', '/skills/pensions'].sort().map((p) => `/body${p}`))
  t.equal(api.config.writes.length, 1, 'only the first was written')
  t.equal((await api.audit.list()).length, 1, 'only the first was audited')
})

t.test('PUT /api/agents/:id/profile: skills and sections changed, shown by the agents routes, audited with old and new', async (t) => {
  const api = await startApi(t)
  const r = await api.app.inject({ method: 'PUT', url: '/api/agents/op3/profile', headers: sup, payload: { sections: ['pensions', 'operators'], skills: { pensions: 5, en: 2 } } })
  t.equal(r.statusCode, 200)
  t.same(r.json(), { id: 'op3', name: 'Luca', endpoint: 'PJSIP/op3', sections: ['pensions', 'operators'], skills: { pensions: 5, en: 2 }, state: 'on_call' })
  t.match(api.config.text(), /- id: op3\n\s+name: Luca\n\s+endpoint: PJSIP\/op3\n\s+sections: \[ pensions, operators \]\n\s+skills: \{ pensions: 5, en: 2 \}/)
  t.match(await api.audit.list(), [{ action: 'agent.update', target: 'agent:op3', before: { sections: ['pensions'], skills: { pensions: 4 } }, after: { sections: ['pensions', 'operators'], skills: { pensions: 5, en: 2 } } }])
  const seen = await api.app.inject({ method: 'GET', url: '/api/agents/op3', headers: auth('tok-viewer') })
  t.match(seen.json(), { id: 'op3', name: 'Luca', sections: ['pensions', 'operators'], skills: { pensions: 5, en: 2 }, state: 'on_call' }, 'GET /api/agents/:id shows the configured profile')
  const sections = await api.app.inject({ method: 'GET', url: '/api/sections', headers: sup })
  t.match(sections.json(), [{ id: 'operators', live: { agents: { serving: 3 } } }, { id: 'pensions', live: { agents: { serving: 1 } } }], 'op3 now serves the operators too')

  t.equal((await api.app.inject({ method: 'PUT', url: '/api/agents/op77/profile', headers: sup, payload: { name: 'X' } })).statusCode, 404)
  t.equal((await api.app.inject({ method: 'PUT', url: '/api/agents/op3/profile', headers: sup, payload: { id: 'op4' } })).statusCode, 400, 'the id is fixed')
  const none = await api.app.inject({ method: 'PUT', url: '/api/agents/op3/profile', headers: sup, payload: { sections: [], skills: {} } })
  t.equal(none.json().error.code, 'CONFIG_INVALID', 'an agent serving nothing is refused as in the file')
  t.equal(api.config.writes.length, 1)
})

t.test('DELETE /api/agents/:id: only when logged out; gone from the file and from the agents routes', async (t) => {
  const api = await startApi(t)
  const busy = await api.app.inject({ method: 'DELETE', url: '/api/agents/op2', headers: sup })
  t.equal(busy.statusCode, 409, 'op2 is ready')
  t.match(busy.json().error, { code: 'CONFLICT', details: { state: 'ready' } })
  t.same(api.config.writes, [], 'nothing written')

  const r = await api.app.inject({ method: 'DELETE', url: '/api/agents/op1', headers: sup })
  t.equal(r.statusCode, 200)
  t.match(r.json(), { id: 'op1', state: 'logged_out' })
  t.notMatch(api.config.text(), /id: op1/, 'gone from the file')
  t.notOk(api.config.applied.at(-1)!.agents.some((a) => a.id === 'op1'), 'gone from the configuration applied')
  t.same((await api.store.agents.get('op1'))?.sections, [], 'its stored record serves nothing (no engine routes to it after a restart)')
  const list = await api.app.inject({ method: 'GET', url: '/api/agents', headers: sup })
  t.same((list.json() as Array<{ id: string }>).map((a) => a.id), ['op2', 'op3'])
  t.equal((await api.app.inject({ method: 'GET', url: '/api/agents/op1', headers: sup })).statusCode, 404)
  const login = await api.app.inject({ method: 'POST', url: '/api/agents/op1/login', headers: sup, payload: { endpoint: 'PJSIP/op1' } })
  t.equal(login.statusCode, 404, 'a removed agent cannot log in')
  t.match(await api.audit.list(), [{ action: 'agent.delete', target: 'agent:op1', before: { id: 'op1', sections: ['operators'] } }])
  t.equal((await api.app.inject({ method: 'DELETE', url: '/api/agents/op1', headers: sup })).statusCode, 404, 'twice: not found')

  const again = await api.app.inject({ method: 'POST', url: '/api/agents', headers: sup, payload: { id: 'op1', name: 'Anna', endpoint: 'PJSIP/op1', sections: ['operators'] } })
  t.equal(again.statusCode, 201, 'the id may be used again')
  t.equal((await api.app.inject({ method: 'GET', url: '/api/agents/op1', headers: sup })).json().sections[0], 'operators')
})
