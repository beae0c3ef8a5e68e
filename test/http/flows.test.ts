/**
 * /api/flows: list, the current version with its source and tree, validation with lines and
 * node ids, uploads (valid: written and current at once; invalid: every error, the running
 * version unchanged), rollback, the versions list, audit entries, 404s.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import t from 'tap'
import { auth, campaignDefinition, startApi } from './fixture.js'

const SUP = auth('tok-supervisor')
const yaml = (h: Record<string, string>) => ({ ...h, 'content-type': 'text/yaml' })

t.test('list, current version with source and tree, versions', async (t) => {
  const { app, flows } = await startApi(t)
  const list = await app.inject({ method: 'GET', url: '/api/flows', headers: auth('tok-viewer') })
  t.equal(list.statusCode, 200)
  const [national] = list.json() as Array<{ id: string; version: string; versions: number; by: { kind: string } }>
  t.match(list.json(), [{ id: 'national', versions: 1, by: { kind: 'file' }, description: /Numero nazionale/ }])
  t.equal(list.json().length, 1)

  const cur = await app.inject({ method: 'GET', url: '/api/flows/national', headers: auth('tok-viewer') })
  t.equal(cur.statusCode, 200)
  const body = cur.json()
  t.equal(body.version, national!.version)
  t.equal(body.current, true)
  t.equal(body.source, readFileSync(path.join(flows.dir, 'national.yaml'), 'utf8'), 'the YAML text as on disk')
  t.equal(body.tree.start, 'welcome')
  const main = body.tree.nodes.find((n: { id: string }) => n.id === 'main')
  t.same(main.prompts, ['main_menu'])
  t.same(
    main.edges.map((e: { label: string; to: string }) => `${e.label}->${e.to}`),
    ['1->pensions', '2->income_support', '3->contributions', '4->certificate.request', '9->main', '0->operator', 'fallback->operator'],
  )
  t.match(
    body.tree.nodes.find((n: { id: string }) => n.id === 'office_hours'),
    { type: 'hours', edges: [{ label: 'open', to: 'choose_language' }, { label: 'closed', to: 'closed' }] },
  )
  t.match(body.loadedAt, /^\d{4}-\d\d-\d\dT/)

  const versions = await app.inject({ method: 'GET', url: '/api/flows/national/versions', headers: auth('tok-viewer') })
  t.same(versions.json(), [{ version: body.version, loadedAt: body.loadedAt, by: { kind: 'file' }, current: true }])
  const one = await app.inject({ method: 'GET', url: `/api/flows/national/versions/${body.version}`, headers: SUP })
  t.equal(one.statusCode, 200)
  t.equal(one.json().source, body.source)
})

t.test('404s: unknown flow, unknown version, rollback of either', async (t) => {
  const { app } = await startApi(t)
  for (const url of ['/api/flows/nope', '/api/flows/nope/versions', '/api/flows/national/versions/0123456789ab']) {
    const r = await app.inject({ method: 'GET', url, headers: SUP })
    t.equal(r.statusCode, 404, url)
    t.equal(r.json().error.code, 'NOT_FOUND')
  }
  t.equal((await app.inject({ method: 'POST', url: '/api/flows/nope/rollback', headers: SUP, payload: { version: '0123456789ab' } })).statusCode, 404)
  const r = await app.inject({ method: 'POST', url: '/api/flows/national/rollback', headers: SUP, payload: { version: '0123456789ab' } })
  t.equal(r.statusCode, 404)
  t.match(r.json().error.message, /no version 0123456789ab kept/)
  t.equal((await app.inject({ method: 'GET', url: '/api/flows/national/versions/not-a-hash', headers: SUP })).statusCode, 400)
})

t.test('validate: errors with line, column, path and node; a valid text gives its tree; nothing changes', async (t) => {
  const { app, flows, audit } = await startApi(t)
  const before = flows.registry.current('national')!
  const text = before.source.text
  const broken = text.replace("'9': main", "'9': nowhere").replace('prompts: [pensions_menu]', 'prompts: [no_such_prompt]')
  const r = await app.inject({ method: 'POST', url: '/api/flows/validate?id=national', headers: yaml(SUP), payload: broken })
  t.equal(r.statusCode, 200)
  const v = r.json()
  t.equal(v.ok, false)
  t.notOk(v.tree)
  const line = (s: string) => text.split('\n').findIndex((l) => l.includes(s)) + 1
  t.match(v.errors, [
    { line: line("'9': main"), path: 'nodes.main.options.9', node: 'main', message: /unknown node 'nowhere'/ },
    { line: line('prompts: [pensions_menu]'), path: 'nodes.pensions.prompts.0', node: 'pensions', message: /no_such_prompt/ },
  ])
  t.equal(v.errors.length, 2)
  t.ok(v.errors[0].column > 0)

  // Dotted node ids: the error belongs to the longest id prefixing the path.
  const dotted = await app.inject({ method: 'POST', url: '/api/flows/validate', headers: SUP, payload: { id: 'national', source: text.replace('next: pensions.after', 'next: pensions.later') } })
  t.match(dotted.json().errors, [{ path: 'nodes.pensions.payments.success.next', node: 'pensions.payments' }])

  const syntax = await app.inject({ method: 'POST', url: '/api/flows/validate', headers: yaml(SUP), payload: 'flow: [x\n' })
  t.equal(syntax.json().ok, false)
  t.ok(syntax.json().errors[0].line > 0, 'a YAML syntax error has a position')

  const ok = await app.inject({ method: 'POST', url: '/api/flows/validate', headers: yaml(SUP), payload: text.replace('timeoutSec: 6', 'timeoutSec: 7') })
  t.match(ok.json(), { ok: true, id: 'national', errors: [], tree: { start: 'welcome' } })
  t.not(ok.json().version, before.version)

  const other = await app.inject({ method: 'POST', url: '/api/flows/validate', headers: SUP, payload: { id: 'other', source: text } })
  t.match(other.json(), { ok: false, errors: [{ path: 'flow', message: /does not match its file name 'other'/ }] })

  t.equal(flows.registry.current('national'), before, 'validation changes nothing')
  t.equal(readFileSync(path.join(flows.dir, 'national.yaml'), 'utf8'), text)
  t.same(await audit.list(), [], 'nothing audited')
})

t.test('upload: an invalid text is refused with every error and the running version stays', async (t) => {
  const { app, flows, audit } = await startApi(t)
  const before = flows.registry.current('national')!
  const broken = before.source.text.replace("'2': goodbye", "'2': gone")
  const r = await app.inject({ method: 'PUT', url: '/api/flows/national', headers: { ...SUP, 'content-type': 'application/x-yaml' }, payload: broken })
  t.equal(r.statusCode, 400)
  const err = r.json().error
  t.equal(err.code, 'FLOW_INVALID')
  t.match(err.message, /invalid flow national; the running version stays: \d+:\d+ nodes\.pensions\.after\.options\.2: unknown node 'gone'/)
  t.match(err.details.errors, [{ path: 'nodes.pensions.after.options.2', node: 'pensions.after' }])
  t.equal(flows.registry.current('national'), before)
  t.equal(readFileSync(path.join(flows.dir, 'national.yaml'), 'utf8'), before.source.text, 'the file is untouched')
  t.same(await audit.list(), [])
  const viewer = await app.inject({ method: 'PUT', url: '/api/flows/national', headers: yaml(auth('tok-viewer')), payload: before.source.text })
  t.equal(viewer.statusCode, 403)
  const mismatch = await app.inject({ method: 'PUT', url: '/api/flows/national', headers: SUP, payload: { id: 'other', source: before.source.text } })
  t.equal(mismatch.statusCode, 400)
  t.equal(mismatch.json().error.code, 'BAD_REQUEST')
})

t.test('upload, versions, rollback, audit', async (t) => {
  const { app, flows, audit, clock } = await startApi(t)
  const v1 = flows.registry.current('national')!
  const file = path.join(flows.dir, 'national.yaml')
  const text2 = v1.source.text.replace('prompts: [welcome]', 'prompts: [welcome, please_wait]')
  clock.advance(60_000)
  const up = await app.inject({ method: 'PUT', url: '/api/flows/national', headers: yaml(SUP), payload: text2 })
  t.equal(up.statusCode, 200)
  const b = up.json()
  t.match(b, { id: 'national', current: true, changed: true, by: { kind: 'upload', user: 'sup' }, source: text2 })
  t.same(b.tree.nodes.find((n: { id: string }) => n.id === 'welcome').prompts, ['welcome', 'please_wait'])
  t.equal(flows.registry.current('national')!.version, b.version, 'current at once')
  t.equal(readFileSync(file, 'utf8'), text2, 'written to the file')

  const again = await app.inject({ method: 'PUT', url: '/api/flows/national', headers: yaml(SUP), payload: text2 })
  t.match(again.json(), { version: b.version, changed: false }, 'the same text again: no new version')

  const versions = (await app.inject({ method: 'GET', url: '/api/flows/national/versions', headers: SUP })).json()
  t.same(
    versions.map((v: { version: string; current: boolean; by: { kind: string } }) => [v.version, v.current, v.by.kind]),
    [
      [b.version, true, 'upload'],
      [v1.version, false, 'file'],
    ],
  )
  const old = await app.inject({ method: 'GET', url: `/api/flows/national/versions/${v1.version}`, headers: SUP })
  t.match(old.json(), { current: false, source: v1.source.text })

  clock.advance(60_000)
  const rb = await app.inject({ method: 'POST', url: '/api/flows/national/rollback', headers: SUP, payload: { version: v1.version } })
  t.equal(rb.statusCode, 200)
  t.match(rb.json(), { version: v1.version, current: true, changed: true, by: { kind: 'rollback', user: 'sup' } })
  t.equal(flows.registry.current('national'), v1)
  t.equal(readFileSync(file, 'utf8'), v1.source.text, 'the file holds the rolled-back text (kept at restart)')
  const after = (await app.inject({ method: 'GET', url: '/api/flows/national/versions', headers: SUP })).json()
  t.same(
    after.map((v: { version: string; current: boolean }) => [v.version, v.current]),
    [
      [v1.version, true],
      [b.version, false],
    ],
  )

  const entries = await audit.list({ target: 'flow:national' })
  t.same(
    entries.map((e) => [e.action, e.user, e.role, e.before, (e.after as { version: string }).version]),
    [
      ['flow.rollback', 'sup', 'supervisor', { version: b.version }, v1.version],
      ['flow.upload', 'sup', 'supervisor', { version: v1.version }, b.version],
    ],
  )
  t.equal((entries[1]!.after as { source: string }).source, text2, 'the uploaded text is in the audit log')
  t.equal(entries[1]!.at, clock.now() - 60_000)
})

t.test('upload of a new id creates the flow (201)', async (t) => {
  const { app, flows, audit } = await startApi(t)
  const text = 'flow: info\nstart: bye\nnodes:\n  bye: { type: hangup, prompts: [goodbye] }\n'
  const r = await app.inject({ method: 'PUT', url: '/api/flows/info', headers: yaml(SUP), payload: text })
  t.equal(r.statusCode, 201)
  t.match(r.json(), { id: 'info', changed: true, tree: { start: 'bye', nodes: [{ id: 'bye', type: 'hangup', prompts: ['goodbye'] }] } })
  t.equal(readFileSync(path.join(flows.dir, 'info.yaml'), 'utf8'), text)
  t.same(
    (await app.inject({ method: 'GET', url: '/api/flows', headers: SUP })).json().map((f: { id: string }) => f.id),
    ['info', 'national'],
  )
  t.match(await audit.list(), [{ action: 'flow.create', target: 'flow:info' }])
  t.equal((await app.inject({ method: 'PUT', url: '/api/flows/bad..id', headers: yaml(SUP), payload: text })).statusCode, 400, 'ids are checked')
  const campaign = await app.inject({ method: 'POST', url: '/api/campaigns', headers: auth('tok-manager'), payload: campaignDefinition('news', { mode: 'message', messageFlow: 'info' }) })
  t.equal(campaign.statusCode, 201, 'a message campaign may name the new flow at once, without a restart')
})
