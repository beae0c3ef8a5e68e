/**
 * FlowRegistry changes through the API: install validates with the registry's options, writes
 * the file atomically and loads at once; an invalid text changes nothing; rollback makes a kept
 * version current again and writes its text back; each version keeps its source, when and by
 * whom it became current. Also the drawable tree and the node of an error path.
 */
import t, { type Test } from 'tap'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { SimClock } from '../../src/domain/clock.js'
import { FlowRegistry, type FlowReload } from '../../src/ivr/registry.js'
import { flowTree, nodeOfPath } from '../../src/ivr/tree.js'
import { CATALOGUE, Harness, compileOk } from './helpers.js'

const flowA = (target: string, id = 'a') => `flow: ${id}
start: main
nodes:
  main: { type: menu, prompts: [menu], options: { '1': ${target} } }
  q1: { type: queue, section: s1 }
  q2: { type: queue, section: s2 }
`

async function setup(t: Test, o: { keepVersions?: number } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'centralino-flows-'))
  writeFileSync(path.join(dir, 'a.yaml'), flowA('q1'))
  const clock = new SimClock(Date.UTC(2026, 0, 5, 9))
  const reg = new FlowRegistry({ dir, catalogue: CATALOGUE, clock, sections: { sections: [{ id: 's1' }, { id: 's2' }] }, ...o })
  await reg.load()
  t.teardown(async () => {
    await reg.close()
    rmSync(dir, { recursive: true, force: true })
  })
  return { dir, reg, clock, read: (name = 'a.yaml') => readFileSync(path.join(dir, name), 'utf8') }
}

t.test('install: a valid text is written and current at once, with its source, time and author', async (t) => {
  const { reg, clock, read, dir } = await setup(t)
  const v1 = reg.current('a')!
  t.same(reg.history('a').map((v) => v.by), [{ kind: 'file' }])
  const reloads: FlowReload[] = []
  reg.onReload((r) => reloads.push(r))
  clock.advance(60_000)
  const r = await reg.install('a', flowA('q2'), { kind: 'upload', user: 'sup' })
  if (!r.ok) throw new Error('expected ok')
  t.equal(r.changed, true)
  t.equal(r.created, false)
  t.equal(r.previous?.version, v1.version)
  t.equal(reg.current('a'), r.flow, 'current without waiting for the watcher')
  t.equal(read(), flowA('q2'), 'the file holds the new text')
  t.same(
    readdirSync(dir).filter((n) => n.endsWith('.tmp')),
    [],
    'no temp file left',
  )
  t.equal(reloads.length, 1, 'reload listeners told')
  const h = reg.history('a')
  t.same(
    h.map((v) => [v.flow.version, v.loadedAt, v.by]),
    [
      [r.flow.version, Date.UTC(2026, 0, 5, 9, 1), { kind: 'upload', user: 'sup' }],
      [v1.version, Date.UTC(2026, 0, 5, 9), { kind: 'file' }],
    ],
  )
  t.equal(h[0]!.flow.source.text, flowA('q2'), 'the source text is kept')
  const call = new Harness(reg.current('a')!)
  call.dtmf('1')
  t.same(call.output?.outcome, { kind: 'queue', node: 'q2', section: 's2', priority: 0 })

  t.equal(await reg.reloadFile('a.yaml'), 'unchanged', 'the watcher finds the written file already loaded')
  const same = await reg.install('a', flowA('q2'), { kind: 'upload', user: 'sup' })
  t.match(same, { ok: true, changed: false }, 'the same text again changes nothing')
  t.equal(reg.history('a').length, 2)
})

t.test('install: an invalid text changes nothing and answers every error; checked as a file (sections, id)', async (t) => {
  const { reg, read } = await setup(t)
  const v1 = reg.current('a')!
  const bad = flowA('q3').replace('section: s2', 'section: nowhere')
  const r = await reg.install('a', bad, { kind: 'upload', user: 'sup' })
  if (r.ok) throw new Error('expected errors')
  t.same(
    r.errors.map((e) => `${e.line}:${e.column} ${e.path}`),
    ['4:56 nodes.main.options.1', '6:31 nodes.q2.section'],
  )
  t.equal(reg.current('a'), v1, 'the running version stays')
  t.equal(read(), flowA('q1'), 'the file is untouched')
  const other = await reg.install('a', flowA('q1', 'b'), { kind: 'upload', user: 'sup' })
  t.match(other, { ok: false, errors: [{ path: 'flow', message: /does not match its file name 'a'/ }] })
  await t.rejects(reg.install('../x', flowA('q1'), { kind: 'upload', user: 'sup' }), /invalid flow id/)
})

t.test('install: a new id creates its file', async (t) => {
  const { reg, read } = await setup(t)
  const r = await reg.install('b', flowA('q1', 'b'), { kind: 'upload', user: 'sup' })
  t.match(r, { ok: true, created: true, changed: true })
  t.same(reg.ids(), ['a', 'b'])
  t.equal(read('b.yaml'), flowA('q1', 'b'))
})

t.test('rollback: a kept version becomes current again and its text is written back', async (t) => {
  const { reg, read, clock } = await setup(t)
  const v1 = reg.current('a')!
  const up = await reg.install('a', flowA('q2'), { kind: 'upload', user: 'sup' })
  if (!up.ok) throw new Error('expected ok')
  const inProgress = new Harness(reg.current('a')!)
  clock.advance(5_000)
  const r = await reg.rollback('a', v1.version, { kind: 'rollback', user: 'boss' })
  t.match(r, { ok: true, changed: true, previous: { version: up.flow.version } })
  t.equal(reg.current('a'), v1, 'the same compiled version is current again')
  t.equal(read(), flowA('q1'), 'the file holds its text again')
  t.same(
    reg.history('a').map((v) => [v.flow.version, v.by.kind]),
    [
      [v1.version, 'rollback'],
      [up.flow.version, 'upload'],
    ],
  )
  t.equal(reg.history('a')[0]!.loadedAt, clock.now())
  inProgress.dtmf('1')
  t.same(inProgress.output?.outcome, { kind: 'queue', node: 'q2', section: 's2', priority: 0 }, 'a call in progress stays on its version')
  t.equal(await reg.reloadFile('a.yaml'), 'unchanged')

  t.match(await reg.rollback('a', v1.version, { kind: 'rollback', user: 'boss' }), { ok: true, changed: false }, 'already current')
  t.same(await reg.rollback('a', 'ffffffffffff', { kind: 'rollback', user: 'boss' }), { ok: false, reason: 'unknown_version' })
  t.same(await reg.rollback('zz', v1.version, { kind: 'rollback', user: 'boss' }), { ok: false, reason: 'unknown_flow' })
})

t.test('rollback: a version that no longer validates (its section gone) is refused', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'centralino-flows-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  writeFileSync(path.join(dir, 'a.yaml'), flowA('q1'))
  let sections = [{ id: 's1' }, { id: 's2' }]
  const reg = new FlowRegistry({ dir, catalogue: CATALOGUE, sections: () => ({ sections }) })
  await reg.load()
  const v1 = reg.current('a')!
  const text2 = flowA('q1').replace('section: s2', 'section: s1')
  t.match(await reg.install('a', text2, { kind: 'upload', user: 'sup' }), { ok: true })
  sections = [{ id: 's1' }]
  const r = await reg.rollback('a', v1.version, { kind: 'rollback', user: 'sup' })
  t.match(r, { ok: false, reason: 'invalid', errors: [{ path: 'nodes.q2.section' }] })
  t.not(reg.current('a'), v1)
  t.equal(readFileSync(path.join(dir, 'a.yaml'), 'utf8'), text2)
  await reg.close()
})

t.test('flowTree: nodes with type, prompts and edges by digit or outcome; builtin nodes marked', async (t) => {
  const flow = compileOk(`flow: t
start: lang
nodes:
  lang: { type: language, prompts: [lang], options: { '1': it, '2': en }, next: main }
  main:
    type: menu
    prompts: [menu, { number: '\${call.id}' }]
    options: { '1': svc, '9': main }
  svc:
    type: service
    action: lookup
    waitPrompts: [wait]
    success: { prompts: [result], next: q }
    failure: { prompts: [sorry], next: bye }
  q: { type: queue, section: s1, priority: 2 }
  bye: { type: hangup, prompts: [goodbye] }
languages: [it, en]
`, { engine: { backOffice: { actions: { lookup: {} } } } })
  const tree = flowTree(flow)
  t.equal(tree.start, 'lang')
  const byId = Object.fromEntries(tree.nodes.map((n) => [n.id, n]))
  t.same(byId.lang!.edges, [{ label: '1 it, 2 en, no choice', via: 'next', to: 'main' }, { label: '0', via: 'operator', digit: '0', to: '$operator' }])
  t.same(byId.main!.prompts, ['menu', '${call.id} (number)'])
  t.same(
    byId.main!.edges.map((e) => `${e.label}->${e.to}`),
    ['1->svc', '9->main', '0->$operator', 'fallback->$operator'],
  )
  t.same(byId.svc!.prompts, ['wait', 'result', 'sorry'])
  t.same(byId.svc!.edges.map((e) => `${e.label}->${e.to}`), ['success->q', 'failure->bye'])
  t.equal(byId.svc!.detail, 'action lookup')
  t.equal(byId.q!.detail, 'section s1, priority 2')
  t.same(byId.q!.edges, [])
  t.equal(byId.$operator!.builtin, true)
  t.notOk(byId.main!.builtin)
})

t.test('nodeOfPath: the longest node id prefixing the path (ids may hold dots)', async (t) => {
  const ids = ['pensions', 'pensions.payments', 'main']
  t.equal(nodeOfPath('nodes.pensions.payments.success.next', ids), 'pensions.payments')
  t.equal(nodeOfPath('nodes.pensions.options.1', ids), 'pensions')
  t.equal(nodeOfPath('nodes.main', ids), 'main')
  t.equal(nodeOfPath('nodes.mainx.type', ids), undefined)
  t.equal(nodeOfPath('operator.target', ids), undefined)
  t.equal(nodeOfPath('start', ids), undefined)
})
