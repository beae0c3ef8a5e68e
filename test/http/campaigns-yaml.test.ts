/**
 * What the campaigns page needs of the API beyond the JSON routes: a definition sent as YAML
 * text (application/yaml, the files' own format) is created or replaces one, its errors point
 * at the line and column of the text sent; the progress says whether a calling window is open,
 * when it closes and when the next one opens (in the engine's clock).
 */
import t from 'tap'
import { auth, startApi } from './fixture.js'

const MGR = auth('tok-manager')
const yaml = (_text: string) => ({ ...MGR, 'content-type': 'application/yaml' })

const GOOD = `# a comment, as in config/campaigns
id: from-yaml
name: Da YAML
mode: progressive
section: operators
callerId: '+390659051'
trunk: Local/{number}@callees
ringSeconds: 20
`

t.test('create from YAML: 201 with the definition read and defaults filled in', async (t) => {
  const api = await startApi(t)
  const r = await api.app.inject({ method: 'POST', url: '/api/campaigns', headers: yaml(GOOD), payload: GOOD })
  t.equal(r.statusCode, 201, r.body)
  t.match(r.json(), { id: 'from-yaml', name: 'Da YAML', mode: 'progressive', status: 'draft', config: { ringSeconds: 20, maxAttempts: 5, section: 'operators' } })
  const audit = await api.audit.list({})
  t.match(audit[0], { action: 'campaign.create', target: 'campaign:from-yaml' }, 'recorded like a JSON create')
})

t.test('YAML errors: 400 with every error, its path and its line in the text sent', async (t) => {
  const api = await startApi(t)
  const text = GOOD.replace('ringSeconds: 20', 'ringSeconds: 5').replace('mode: progressive', 'mode: robocall')
  const r = await api.app.inject({ method: 'POST', url: '/api/campaigns', headers: yaml(text), payload: text })
  t.equal(r.statusCode, 400)
  const errors = r.json().error.details.errors as Array<{ path: string; line: number }>
  t.match(errors.find((e) => e.path === '/body/mode'), { line: 4 }, 'mode is on line 4')
  t.match(errors.find((e) => e.path === '/body/ringSeconds'), { line: 8 }, 'ringSeconds is on line 8')
  t.same(await api.campaigns.list(), [], 'nothing stored')

  const broken = 'id: x\nname: [unclosed\n'
  const s = await api.app.inject({ method: 'POST', url: '/api/campaigns', headers: yaml(broken), payload: broken })
  t.equal(s.statusCode, 400, 'a YAML syntax error is a 400 too')
  t.match(s.json().error.details.errors[0], { line: Number })
})

t.test('replace from YAML: the id may be left out; it must match when given', async (t) => {
  const api = await startApi(t)
  t.equal((await api.app.inject({ method: 'POST', url: '/api/campaigns', headers: yaml(GOOD), payload: GOOD })).statusCode, 201)
  const noId = GOOD.replace('id: from-yaml\n', '').replace('ringSeconds: 20', 'ringSeconds: 30')
  const r = await api.app.inject({ method: 'PUT', url: '/api/campaigns/from-yaml', headers: yaml(noId), payload: noId })
  t.equal(r.statusCode, 200, 'replaced')
  t.equal(r.json().config.ringSeconds, 30)
  const other = GOOD.replace('id: from-yaml', 'id: other')
  t.equal((await api.app.inject({ method: 'PUT', url: '/api/campaigns/from-yaml', headers: yaml(other), payload: other })).statusCode, 400)
})

t.test('progress: the calling window at the engine clock', async (t) => {
  const api = await startApi(t) // Monday 23 November 2026, 10:00 in Rome; default windows 10-12 and 16-18
  t.equal((await api.app.inject({ method: 'POST', url: '/api/campaigns', headers: yaml(GOOD), payload: GOOD })).statusCode, 201)
  const at = async () => (await api.app.inject({ method: 'GET', url: '/api/campaigns/from-yaml/progress', headers: auth('tok-viewer') })).json().window
  t.same(await at(), { open: true, closesAt: '2026-11-23T11:00:00.000Z', nextOpensAt: '2026-11-23T15:00:00.000Z' })
  api.clock.advance(2.5 * 3600_000) // 12:30
  t.same(await at(), { open: false, closesAt: null, nextOpensAt: '2026-11-23T15:00:00.000Z' })
})
