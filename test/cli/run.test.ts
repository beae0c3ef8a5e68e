import t, { type Test } from 'tap'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { runCli } from '../../src/cli/run.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const at = (p: string) => path.join(root, p)
const FIXED = ['--catalogue', at('prompts/catalogue.yaml'), '--sections', at('config/sections.yaml'), '--config', at('config/centralino.yaml')]

async function run(argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) })
  return { code, out, err }
}

function tmp(t: Test, files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'centralino-cli-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text)
  return dir
}

t.test('validate: the example flow is valid (exit 0, one-line summary)', async (t) => {
  const r = await run(['flow', 'validate', at('config/flows/national.yaml'), ...FIXED])
  t.equal(r.code, 0)
  t.same(r.err, [])
  t.equal(r.out.length, 1)
  t.match(r.out[0], /national\.yaml: valid flow 'national' version [0-9a-f]{12} \(17 nodes, languages it, en\)$/)
})

t.test('validate with the default paths from the engine config (run from the repository root)', async (t) => {
  const r = await run(['flow', 'validate', 'config/flows/national.yaml'])
  t.equal(r.code, 0, r.err.join('\n'))
  t.match(r.out[0], /^config\/flows\/national\.yaml: valid flow 'national'/)
})

t.test('validate: an invalid flow prints every error as file:line:col: path: message (exit 1)', async (t) => {
  const dir = tmp(t, {
    'broken.yaml': `flow: broken
start: main
nodes:
  main:
    type: menu
    prompts: [main_menu, no_such_prompt]
    options: { '1': pensions.queue, '2': nowhere }
  pensions.queue: { type: queue, section: pension }
  svc: { type: service, action: send, success: { next: main }, failure: { next: main } }
`,
  })
  const file = path.join(dir, 'broken.yaml')
  const r = await run(['flow', 'validate', file, ...FIXED])
  t.equal(r.code, 1)
  t.same(r.out, [])
  t.same(r.err, [
    `${file}:6:26: nodes.main.prompts.1: prompt 'no_such_prompt' is not in the catalogue`,
    `${file}:7:42: nodes.main.options.2: unknown node 'nowhere'`,
    `${file}:8:43: nodes.pensions.queue.section: unknown section 'pension' (did you mean 'pensions'?)`,
    `${file}:9:3: warning: nodes.svc: node 'svc' is unreachable from start 'main'`,
    `${file}:9:33: nodes.svc.action: unknown back-office action 'send' (known: payment-dates, certificate-send)`,
    `${file}: 4 errors; flow rejected`,
  ])
})

t.test('validate: warnings are printed, the flow is still valid', async (t) => {
  const dir = tmp(t, { 'w.yaml': 'flow: w\nstart: q\nnodes:\n  q: { type: queue, section: pensions }\n  lost: { type: hangup }\n' })
  const r = await run(['flow', 'validate', path.join(dir, 'w.yaml'), ...FIXED])
  t.equal(r.code, 0)
  t.match(r.err, [/w\.yaml:5:3: warning: nodes\.lost: node 'lost' is unreachable/])
  t.match(r.out[0], /valid flow 'w' .*1 warning\)$/)
})

t.test('validate: without a sections file the sections are not checked, and the summary says so', async (t) => {
  const dir = tmp(t, { 'q.yaml': 'flow: q\nstart: q\nnodes:\n  q: { type: queue, section: anything }\n' })
  const r = await run(['flow', 'validate', path.join(dir, 'q.yaml'), '--catalogue', at('prompts/catalogue.yaml'), `--config=${at('config/centralino.yaml')}`, '--sections', path.join(dir, 'none.yaml')])
  t.equal(r.code, 1, 'a named sections file that is missing is an error')
  t.match(r.err, [/none\.yaml: cannot read sections file \(ENOENT\)/])
  const cfg = path.join(dir, 'c.yaml')
  writeFileSync(cfg, `paths: { sections: ${path.join(dir, 'absent.yaml')}, prompts: ${at('prompts/catalogue.yaml')} }\n`)
  const r2 = await run(['flow', 'validate', path.join(dir, 'q.yaml'), '--config', cfg])
  t.equal(r2.code, 0, r2.err.join('\n'))
  t.match(r2.out[0], /sections not checked\)$/)
})

t.test('bad inputs other than the flow: config, catalogue, missing flow file (exit 1)', async (t) => {
  const dir = tmp(t, { 'c.yaml': 'http: { port: nope }\n', 'cat.yaml': 'prompts: { a: { it: 1 } }\n' })
  const cfg = await run(['flow', 'validate', at('config/flows/national.yaml'), '--config', path.join(dir, 'c.yaml')])
  t.equal(cfg.code, 1)
  t.match(cfg.err, [/c\.yaml:1:15: http\.port: expected an integer/])
  const cat = await run(['flow', 'validate', at('config/flows/national.yaml'), '--catalogue', path.join(dir, 'cat.yaml')])
  t.equal(cat.code, 1)
  t.match(cat.err, [/cat\.yaml:1:21: prompts\.a\.it: expected a string/])
  const missing = await run(['flow', 'validate', path.join(dir, 'nope.yaml'), ...FIXED])
  t.equal(missing.code, 1)
  t.match(missing.err, [/nope\.yaml: cannot read flow file \(ENOENT\)/])
})

t.test('paths: prints every path of the flow', async (t) => {
  const r = await run(['flow', 'paths', at('config/flows/national.yaml'), ...FIXED])
  t.equal(r.code, 0)
  t.ok(r.out.length > 10)
  t.ok(r.out.includes('(no keys) -> welcome -> office_hours (closed) -> closed: hangup'))
  const bad = tmp(t, { 'x.yaml': 'flow: x\nstart: y\nnodes:\n  q: { type: queue, section: pensions }\n' })
  const r2 = await run(['flow', 'paths', path.join(bad, 'x.yaml'), ...FIXED])
  t.equal(r2.code, 1)
  t.match(r2.err, [/x\.yaml:2:8: start: unknown start node 'y'/])
})

t.test('usage errors exit 2 with the usage; --help exits 0', async (t) => {
  for (const argv of [[], ['flows'], ['flow'], ['flow', 'check', 'f.yaml'], ['flow', 'validate'], ['flow', 'validate', 'a.yaml', 'b.yaml'], ['flow', 'validate', 'a.yaml', '--catalog', 'c'], ['flow', 'validate', 'a.yaml', '--sections']]) {
    const r = await run(argv)
    t.equal(r.code, 2, argv.join(' '))
    t.match(r.err[0], /^centralino: /)
    t.match(r.err[1], /^usage:/)
  }
  const help = await run(['--help'])
  t.equal(help.code, 0)
  t.match(help.out[0], /centralino flow validate FILE/)
})

t.test('the entry point runs the CLI and sets the exit code', async (t) => {
  const { spawnSync } = await import('node:child_process')
  const node = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', at('src/cli/main.ts'), ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 })
  const ok = node(['flow', 'validate', 'config/flows/national.yaml'])
  t.equal(ok.status, 0, ok.stderr)
  t.match(ok.stdout, /valid flow 'national'/)
  const usage = node(['flow'])
  t.equal(usage.status, 2)
  t.match(usage.stderr, /usage:/)
})
