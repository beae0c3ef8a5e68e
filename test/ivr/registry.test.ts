import t, { type Test } from 'tap'
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Writable } from 'node:stream'
import { createLogger } from '../../src/domain/log.js'
import { FlowRegistry, type FlowRejection, type FlowReload } from '../../src/ivr/registry.js'
import { waitUntil } from '../helpers/async.js'
import { CATALOGUE, Harness } from './helpers.js'

const flowA = (target: string) => `flow: a
start: main
nodes:
  main: { type: menu, prompts: [menu], options: { '1': ${target} } }
  q1: { type: queue, section: s1 }
  q2: { type: queue, section: s2 }
`

function setup(t: Test) {
  const dir = mkdtempSync(path.join(tmpdir(), 'centralino-flows-'))
  const lines: string[] = []
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk))
      cb()
    },
  })
  const reg = new FlowRegistry({ dir, catalogue: () => CATALOGUE, logger: createLogger({ level: 'debug', destination }), debounceMs: 30 })
  t.teardown(async () => {
    await reg.close()
    rmSync(dir, { recursive: true, force: true })
  })
  return { dir, reg, lines, file: (name: string) => path.join(dir, name) }
}

/** The next event a registry listener reports (fails after a generous timeout). */
function next<T>(on: (l: (v: T) => void) => () => void, timeoutMs = 10_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      off()
      reject(new Error('no event'))
    }, timeoutMs)
    const off = on((v) => {
      clearTimeout(timer)
      off()
      resolve(v)
    })
  })
}

t.test('load: valid files are loaded, invalid ones reported with their errors', async (t) => {
  const { reg, file } = setup(t)
  writeFileSync(file('a.yaml'), flowA('q1'))
  writeFileSync(file('b.yaml'), 'flow: b\nstart: nowhere\nnodes:\n  x: { type: hangup }\n')
  writeFileSync(file('c.yml'), flowA('q1'))
  writeFileSync(file('notes.txt'), 'not a flow')
  const { loaded, rejected } = await reg.load()
  t.same(loaded.map((f) => f.id), ['a'])
  t.same(reg.ids(), ['a'])
  t.same(
    rejected.map((r) => [path.basename(r.file), r.errors.map((e) => `${e.line}:${e.column} ${e.path}`)]),
    [
      ['b.yaml', ['2:8 start']],
      ['c.yml', ['1:7 flow']],
    ],
  )
  t.match(rejected[1]!.errors[0]!.message, /does not match its file name 'c'/)
})

t.test('hot reload: a valid change serves new calls; a call started before keeps its version', async (t) => {
  const { reg, file } = setup(t)
  writeFileSync(file('a.yaml'), flowA('q1'))
  await reg.start()
  const v1 = reg.current('a')!
  const before = new Harness(v1)

  const reloaded = next<FlowReload>((l) => reg.onReload(l))
  writeFileSync(file('a.yaml'), flowA('q2'))
  const ev = await reloaded
  t.equal(ev.flow.id, 'a')
  t.equal(ev.previous?.version, v1.version)
  const v2 = reg.current('a')!
  t.not(v2.version, v1.version)
  t.equal(reg.get('a', v1.version), v1, 'the old version stays reachable')
  t.same(reg.versionsOf('a'), [v2.version, v1.version])

  before.dtmf('1')
  t.same(before.output?.outcome, { kind: 'queue', node: 'q1', section: 's1', priority: 0 }, 'the call in progress finishes on its version')
  const after = new Harness(reg.current('a')!)
  after.dtmf('1')
  t.same(after.output?.outcome, { kind: 'queue', node: 'q2', section: 's2', priority: 0 }, 'a new call gets the new version')
})

t.test('hot reload: an invalid change is rejected with every error and the running version stays', async (t) => {
  const { reg, file, lines } = setup(t)
  writeFileSync(file('a.yaml'), flowA('q1'))
  await reg.start()
  const v1 = reg.current('a')!
  const rejected = next<FlowRejection>((l) => reg.onRejected(l))
  writeFileSync(file('a.yaml'), flowA('q3').replace('prompts: [menu]', 'prompts: [menuu]'))
  const r = await rejected
  t.equal(r.file, file('a.yaml'))
  t.same(
    r.errors.map((e) => `${e.line}:${e.column} ${e.path}`),
    ['4:33 nodes.main.prompts.0', '4:57 nodes.main.options.1'],
  )
  t.equal(reg.current('a'), v1, 'still the old version')
  await waitUntil(() => lines.some((l) => l.includes('flow rejected')), 10_000, 'rejection logged')
  t.ok(lines.some((l) => l.includes('nodes.main.options.1') && l.includes("unknown node 'q3'")), 'errors in the log')
})

t.test('unchanged content, deleted files, a flow added while running', async (t) => {
  const { reg, file, lines, dir } = setup(t)
  writeFileSync(file('a.yaml'), flowA('q1'))
  await reg.load()
  const v1 = reg.current('a')!
  writeFileSync(file('a.yaml'), flowA('q1'))
  t.equal(await reg.reloadFile('a.yaml'), 'unchanged')
  t.equal(await reg.reloadFile('README.md'), 'ignored')
  unlinkSync(file('a.yaml'))
  t.equal(await reg.reloadFile('a.yaml'), 'deleted')
  t.equal(reg.current('a'), v1, 'the last version keeps running')
  t.ok(lines.some((l) => l.includes('flow file deleted')), 'a warning is logged')

  reg.watch()
  const added = next<FlowReload>((l) => reg.onReload(l))
  writeFileSync(path.join(dir, 'b.yaml'), flowA('q2').replace('flow: a', 'flow: b'))
  t.equal((await added).flow.id, 'b')
  t.same(reg.ids(), ['a', 'b'])
})

t.test('keepVersions bounds the versions kept per flow', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'centralino-flows-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const reg = new FlowRegistry({ dir, catalogue: CATALOGUE, keepVersions: 2 })
  for (const target of ['q1', 'q2', 'q1 ']) {
    writeFileSync(path.join(dir, 'a.yaml'), flowA(target))
    t.equal(await reg.reloadFile('a.yaml'), 'loaded')
  }
  t.equal(reg.versionsOf('a').length, 2)
  await reg.close()
})
