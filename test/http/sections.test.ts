/**
 * GET /api/sections (configuration with defaults and live figures) and PUT /api/sections/:id
 * (written to the sections file, checked as the file is, applied, audited); and the file side
 * of src/acd/config-control.ts on disk: atomic write, comments and hand edits kept, a refused
 * change leaves the file as it was.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { ConfigControl } from '../../src/acd/config-control.js'
import type { SectionsConfig } from '../../src/config/sections.js'
import { entry } from '../helpers/acd-fixtures.js'
import { SECTIONS_YAML } from './config-fixture.js'
import { auth, startApi } from './fixture.js'

const sup = auth('tok-supervisor')

t.test('GET /api/sections: every section with its defaults filled in and its live figures', async (t) => {
  const api = await startApi(t)
  const now = api.clock.now()
  await api.store.queues.enqueue(entry('w1', 'pensions', { enteredAt: now - 42_000 }))
  await api.store.queues.enqueue(entry('w2', 'pensions', { enteredAt: now - 5_000 }))
  await api.store.queues.enqueueCallback('w2', { number: '+393331234567', requestedAt: now - 1000, attempts: 0 })
  const r = await api.app.inject({ method: 'GET', url: '/api/sections', headers: auth('tok-op1') })
  t.equal(r.statusCode, 200)
  const [ops, pens] = r.json() as [Record<string, unknown>, Record<string, unknown>]
  t.match(ops, { id: 'operators', name: 'Centralino', operator: true, ringTimeoutSec: 15, wrapUpSec: 0, announce: { onEntry: true, everySec: 60, minGapSec: 15 } })
  t.match(ops.callback, { enabled: true, digit: '5', maxAttempts: 3, mode: 'agent-first' }, 'callback defaults filled in')
  // op1 logged out and op2 ready are the operators' members.
  t.same(ops.live, { waiting: 0, offered: 0, callbacks: 0, longestWaitSec: 0, agents: { serving: 2, present: 1, ready: 1 } })
  t.match(pens, { id: 'pensions', operator: false, skills: { pensions: 3 }, serviceLevel: { percent: 80, withinSec: 30 } })
  // op3 (on a call) is the member; nobody else holds pensions 3.
  t.same(pens.live, { waiting: 2, offered: 0, callbacks: 1, longestWaitSec: 42, agents: { serving: 1, present: 1, ready: 0 } })
})

t.test('PUT /api/sections/:id: written to the file (comments kept), applied, audited with old and new', async (t) => {
  const api = await startApi(t)
  const r = await api.app.inject({
    method: 'PUT',
    url: '/api/sections/pensions',
    headers: sup,
    payload: { expectedHandleSec: 200, announce: { onEntry: false, everySec: 120 }, overflow: [{ afterSec: 300, to: 'operators' }] },
  })
  t.equal(r.statusCode, 200, 'changed')
  t.match(r.json(), { id: 'pensions', expectedHandleSec: 200, announce: { onEntry: false, everySec: 120, position: true }, overflow: [{ afterSec: 300, to: 'operators' }], skills: { pensions: 3 }, live: { waiting: 0 } })
  const text = api.config.text()
  t.match(text, /- id: operators # the switchboard/, 'comments kept')
  t.match(text, /announce: \{ onEntry: false, everySec: 120 \}/, 'a mapping of plain values on one line, as the file writes them')
  t.match(text, /expectedHandleSec: 200/)
  t.equal(api.config.applied.length, 1, 'applied once')
  t.equal(api.config.applied[0]!.sections.find((s) => s.id === 'pensions')!.expectedHandleSec, 200)
  const [a] = await api.audit.list()
  t.match(a, { user: 'sup', role: 'supervisor', action: 'section.update', target: 'section:pensions', before: { expectedHandleSec: undefined, announce: { onEntry: true } }, after: { expectedHandleSec: 200 } })
  t.notOk((a!.before as Record<string, unknown>).overflow, 'no overflow before')
  const again = await api.app.inject({ method: 'GET', url: '/api/sections', headers: auth('tok-viewer') })
  t.equal((again.json() as Array<{ id: string; expectedHandleSec?: number }>).find((s) => s.id === 'pensions')!.expectedHandleSec, 200, 'read back')
})

t.test('PUT /api/sections/:id refused: nothing written, applied or audited', async (t) => {
  const api = await startApi(t)
  const put = (id: string, payload: unknown) => api.app.inject({ method: 'PUT', url: `/api/sections/${id}`, headers: sup, payload: payload as object })
  const cross = await put('pensions', { overflow: [{ afterSec: 60, to: 'nowhere' }] })
  t.equal(cross.statusCode, 400)
  t.equal(cross.json().error.code, 'CONFIG_INVALID', 'the file checks: overflow to an unknown section')
  t.match(cross.json().error.details.errors, [{ path: 'sections.1.overflow.0.to', message: "unknown section 'nowhere'" }])
  const relax = await put('pensions', { relax: [{ afterSec: 60 }] })
  t.equal(relax.json().error.code, 'CONFIG_INVALID', 'a relax step that relaxes nothing')
  const shape = await put('pensions', { ringTimeoutSec: 0, callback: { mode: 'later' } })
  t.equal(shape.statusCode, 400)
  t.equal(shape.json().error.code, 'BAD_REQUEST')
  t.ok((shape.json().error.details.errors as Array<{ path: string }>).some((e) => e.path.startsWith('/body/ringTimeoutSec')), 'every failing path reported')
  const fixed = await put('operators', { operator: false })
  t.equal(fixed.statusCode, 400, 'operator is not editable')
  t.equal((await put('operators', { id: 'x' })).statusCode, 400, 'id is not editable')
  t.equal((await put('operators', {})).statusCode, 400, 'an empty change')
  const missing = await put('nowhere', { expectedHandleSec: 10 })
  t.equal(missing.statusCode, 404)
  t.equal(missing.json().error.code, 'NOT_FOUND')
  t.same(api.config.writes, [], 'nothing written')
  t.same(api.config.applied, [], 'nothing applied')
  t.same(await api.audit.list(), [], 'nothing audited')
})

t.test('ConfigControl on a file: atomic write, a hand edit since boot kept, a refused change leaves the file as it was', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'centralino-sections-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = path.join(dir, 'sections.yaml')
  writeFileSync(file, SECTIONS_YAML)
  const applied: SectionsConfig[] = []
  const c = await ConfigControl.forFile(file, async (cfg) => void applied.push(cfg))
  // Someone edits the file by hand while the engine runs.
  writeFileSync(file, SECTIONS_YAML.replace('name: Pensioni', 'name: Pensioni e previdenza'))
  const r = await c.updateSection('operators', { wrapUpSec: 7 })
  t.equal(r.before?.wrapUpSec, 0)
  t.equal(r.after?.wrapUpSec, 7)
  const text = readFileSync(file, 'utf8')
  t.match(text, /name: Pensioni e previdenza/, 'the hand edit is kept')
  t.match(text, /wrapUpSec: 7/)
  t.match(text, /^# sections of the HTTP tests/, 'the leading comment is kept')
  t.same(readdirSync(dir), ['sections.yaml'], 'no temporary file left')
  t.equal(applied.length, 1)
  t.equal(applied[0]!.sections[1]!.name, 'Pensioni e previdenza', 'the hand edit is applied with the change')
  const before = readFileSync(file, 'utf8')
  await t.rejects(c.updateSection('operators', { overflow: [{ afterSec: 1, to: 'operators' }] }), { code: 'CONFIG_INVALID' })
  t.equal(readFileSync(file, 'utf8'), before, 'a refused change writes nothing')
  t.equal(applied.length, 1, 'and applies nothing')
  // A section removed by hand: the running engine still has callers in it; that needs a restart.
  writeFileSync(file, before.replace(/\n {2}- id: pensions[\s\S]*?\n\n/, '\n').replace(/\n {2}- id: op3[\s\S]*$/, '\n'))
  await t.rejects(c.updateSection('operators', { wrapUpSec: 8 }), { code: 'CONFLICT' })
  t.equal(applied.length, 1)
})

t.test('changes are made one at a time: two concurrent edits both land', async (t) => {
  const api = await startApi(t)
  const [a, b] = await Promise.all([
    api.app.inject({ method: 'PUT', url: '/api/sections/pensions', headers: sup, payload: { wrapUpSec: 11 } }),
    api.app.inject({ method: 'PUT', url: '/api/sections/operators', headers: sup, payload: { wrapUpSec: 12 } }),
  ])
  t.equal(a.statusCode, 200)
  t.equal(b.statusCode, 200)
  const last = api.config.applied.at(-1)!
  t.same(last.sections.map((s) => s.wrapUpSec), [12, 11])
})
