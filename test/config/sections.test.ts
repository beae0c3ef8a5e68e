import t from 'tap'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { loadSections, parseSections, readSections } from '../../src/config/sections.js'
import { isAppError } from '../../src/domain/errors.js'

/** Whether fn throws an error that passes check. */
function thrown(fn: () => unknown, check: (e: unknown) => boolean): boolean {
  try {
    fn()
  } catch (e) {
    return check(e)
  }
  return false
}

t.test('a valid file gets the defaults of every section', async (t) => {
  const r = parseSections(
    `sections:
  - { id: operators, name: Centralino, operator: true }
  - id: pensions
    name: Pensioni
    ringTimeoutSec: 20
    announce: { everySec: 0 }
    skills: [pensions]
    serviceLevel: { percent: 80, withinSec: 60 }
agents:
  - { id: op1, name: Anna, endpoint: PJSIP/op1, sections: [operators, pensions], skills: { pensions: 5 } }
`,
    's.yaml',
  )
  t.same(r.errors, [])
  t.same(r.config.sections[0], {
    id: 'operators',
    name: 'Centralino',
    operator: true,
    ringTimeoutSec: 15,
    mohClass: 'default',
    wrapUpSec: 0,
    noAnswerPauseSec: 60,
    announce: { onEntry: true, everySec: 60, position: true },
  })
  t.match(r.config.sections[1], { operator: false, ringTimeoutSec: 20, announce: { onEntry: true, everySec: 0, position: true }, skills: ['pensions'] })
  t.same(r.config.agents, [{ id: 'op1', name: 'Anna', endpoint: 'PJSIP/op1', sections: ['operators', 'pensions'], skills: { pensions: 5 } }])
})

t.test('every problem at once: schema and cross checks, with positions', async (t) => {
  const r = parseSections(
    `sections:
  - id: operators
    name: Centralino
    operator: true
    ringTimeoutSec: 0
    anounce: { onEntry: true }
  - id: pensions
    operator: true
  - id: operators
    name: Dup
agents:
  - id: a1
    name: A
    endpoint: op1
    sections: [nope, pensions]
  - { id: a1, name: B, endpoint: PJSIP/b, sections: [pensions] }
`,
    's.yaml',
  )
  t.same(
    r.errors.map((e) => `${e.line}:${e.column} ${e.path}: ${e.message}`),
    [
      '5:21 sections.0.ringTimeoutSec: must be greater than 0',
      "6:5 sections.0.anounce: unknown property 'anounce' (did you mean 'announce'?)",
      "7:5 sections.1.name: missing required property 'name'",
      "8:15 sections.1.operator: only one section may have operator: true (already 'operators')",
      "9:9 sections.2.id: duplicate section id 'operators'",
      '14:15 agents.0.endpoint: expected a dial string such as PJSIP/op101',
      "15:16 agents.0.sections.0: unknown section 'nope'",
      "16:11 agents.1.id: duplicate agent id 'a1'",
    ],
  )
  t.same(r.config, { sections: [], agents: [] }, 'nothing half-loaded')
})

t.test('no operator section is an error', async (t) => {
  const r = parseSections('sections:\n  - { id: a, name: A }\n', 's.yaml')
  t.match(r.errors, [{ line: 2, column: 3, path: 'sections', message: /exactly one section must have operator: true/ }])
})

t.test('reading files', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'centralino-sections-'))
  const file = path.join(dir, 's.yaml')
  writeFileSync(file, 'sections:\n  - { id: operators, name: C, operator: true }\n')
  t.equal(loadSections(file).sections[0]!.id, 'operators')
  t.match(readSections(path.join(dir, 'none.yaml')).errors, [{ message: /ENOENT/ }])
  writeFileSync(file, 'sections: [\n')
  t.ok(thrown(() => loadSections(file), (e) => isAppError(e, 'CONFIG_INVALID') && /s\.yaml:/.test((e as Error).message)))
})
