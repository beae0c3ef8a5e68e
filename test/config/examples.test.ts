import t from 'tap'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { readEngineConfig } from '../../src/config/engine.js'
import { ENGINE_DEFAULTS } from '../../src/config/engine-schema.js'
import { readSections } from '../../src/config/sections.js'
import { readCatalogue } from '../../src/ivr/catalogue.js'
import { compileFlow } from '../../src/ivr/compile.js'
import { formatErrors } from '../../src/config/errors.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const at = (p: string) => path.join(root, p)

t.test('config/centralino.yaml is valid and spells out the built-in defaults', async (t) => {
  const r = readEngineConfig({ cwd: root, env: {} })
  t.same(r.errors, [])
  t.equal(r.file, 'config/centralino.yaml')
  t.same(r.config, ENGINE_DEFAULTS)
})

t.test('config/sections.yaml: the switchboard, three sections, agents with PJSIP endpoints', async (t) => {
  const r = readSections(at('config/sections.yaml'))
  t.same(r.errors, [])
  t.same(r.config.sections.map((s) => s.id), ['operators', 'pensions', 'income_support', 'contributions'])
  t.same(r.config.sections.filter((s) => s.operator).map((s) => s.id), ['operators'])
  t.ok(r.config.agents.length >= 8)
  t.ok(r.config.agents.every((a) => a.endpoint.startsWith('PJSIP/')))
  for (const s of r.config.sections) t.ok(r.config.agents.some((a) => a.sections.includes(s.id)), `someone answers ${s.id}`)
})

t.test('prompts/catalogue.yaml: every prompt in Italian and English, the queue announcements included', async (t) => {
  const r = readCatalogue(at('prompts/catalogue.yaml'))
  t.same(r.errors, [])
  for (const [id, texts] of Object.entries(r.catalogue.prompts)) t.ok(texts.it && texts.en, `${id} has it and en`)
  const p = r.catalogue.prompts
  t.equal(p.queue_ahead_prefix?.it, 'Ci sono')
  t.equal(p.queue_ahead_prefix?.en, 'There are')
  t.match(p.queue_ahead_suffix?.it, /persone in attesa prima di lei/)
  t.match(p.queue_ahead_suffix?.en, /callers ahead of you/)
  t.match(p.queue_next?.it, /Lei è il prossimo/)
  t.match(p.queue_next?.en, /You are next in line/)
  for (const id of ['queue_wait_prompt', 'queue_connecting', 'goodbye', 'transfer_connecting', 'technical_error', 'transfer_failed']) t.ok(p[id], id)
})

t.test('every example flow compiles against the example catalogue, sections and engine config, without warnings', async (t) => {
  const catalogue = readCatalogue(at('prompts/catalogue.yaml')).catalogue
  const sections = readSections(at('config/sections.yaml')).config
  const engine = readEngineConfig({ cwd: root, env: {} }).config
  const files = readdirSync(at('config/flows')).filter((f) => f.endsWith('.yaml'))
  t.ok(files.includes('national.yaml'))
  for (const f of files) {
    const file = at(`config/flows/${f}`)
    const r = compileFlow({ file, text: readFileSync(file, 'utf8') }, { catalogue, sections, engine, expectedId: f.replace(/\.yaml$/, '') })
    t.ok(r.ok, `${f}\n${r.ok ? '' : formatErrors(r.errors)}`)
    t.same(r.warnings, [], f)
  }
  t.ok(Object.values(engine.entries).every((id) => files.includes(`${id}.yaml`)), 'every entry has its flow')
  t.ok(files.includes(`${engine.defaultFlow}.yaml`))
})
