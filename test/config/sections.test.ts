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
    announce: { everySec: 0, wait: false }
    skills: { pensions: 3 }
    languages: { en: 2 }
    relax:
      - { afterSec: 300, minLevel: 1, dropCallerSkills: true }
      - { afterSec: 120, minLevel: 1 }
    overflow: [{ afterSec: 300, to: operators }]
    continuity: { withinSec: 600, holdSec: 10 }
    expectedHandleSec: 240
    serviceLevel: { percent: 80, withinSec: 60 }
continuity: { withinSec: 86400, holdSec: 30 }
agents:
  - { id: op1, name: Anna, endpoint: PJSIP/op1, sections: [operators, pensions], skills: { pensions: 5 } }
  - { id: op2, name: Luca, endpoint: PJSIP/op2, skills: { pensions: 2, en: 4 } }
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
    announce: { onEntry: true, everySec: 60, minGapSec: 15, position: true, wait: true, waitCapMin: 20 },
    continuity: { withinSec: 86400, holdSec: 30 },
  })
  t.same(r.config.sections[1], {
    id: 'pensions',
    name: 'Pensioni',
    operator: false,
    ringTimeoutSec: 20,
    mohClass: 'default',
    wrapUpSec: 0,
    noAnswerPauseSec: 60,
    announce: { onEntry: true, everySec: 0, minGapSec: 15, position: true, wait: false, waitCapMin: 20 },
    skills: { pensions: 3 },
    languages: { en: 2 },
    relax: [
      { afterSec: 120, minLevel: 1 },
      { afterSec: 300, minLevel: 1, dropCallerSkills: true },
    ],
    overflow: [{ afterSec: 300, to: 'operators' }],
    continuity: { withinSec: 600, holdSec: 10 },
    expectedHandleSec: 240,
    serviceLevel: { percent: 80, withinSec: 60 },
  }, 'relax steps sorted by time; its own continuity over the file\'s')
  t.same(r.config.agents, [
    { id: 'op1', name: 'Anna', endpoint: 'PJSIP/op1', sections: ['operators', 'pensions'], skills: { pensions: 5 } },
    { id: 'op2', name: 'Luca', endpoint: 'PJSIP/op2', sections: [], skills: { pensions: 2, en: 4 } },
  ], 'an agent may serve by skills alone')
})

t.test('skills, relaxation, overflow and continuity are checked, every problem with its position', async (t) => {
  const r = parseSections(
    `continuity: { withinSec: -1, holdSec: 30 }
sections:
  - id: operators
    name: Centralino
    operator: true
    overflow: [{ afterSec: 60, to: operators }]
  - id: pensions
    name: Pensioni
    skills: { pensions: 6, en: 0 }
    languages: [en]
    relax:
      - { afterSec: 120 }
      - { afterSec: 200, minLevel: 1, dropSkills: true }
    overflow:
      - { afterSec: 300, to: nowhere }
      - { afterSec: -1, to: operators }
    continuity: { withinSec: 60 }
    announce: { minGapSec: -5, waitCapMin: 0, wait: maybe }
agents:
  - { id: op1, name: Anna, endpoint: PJSIP/op1, skills: { pensions: 1.5 } }
  - { id: op2, name: Luca, endpoint: PJSIP/op2 }
  - { id: op3, name: Sara, endpoint: PJSIP/op3, sections: [], skills: {} }
`,
    's.yaml',
  )
  t.same(
    r.errors.map((e) => `${e.line}:${e.column} ${e.path}: ${e.message}`),
    [
      '1:26 continuity.withinSec: must be at least 0',
      '6:36 sections.0.overflow.0.to: a section cannot overflow to itself',
      '9:25 sections.1.skills.pensions: must be at most 5',
      '9:32 sections.1.skills.en: must be at least 1',
      '10:16 sections.1.languages: expected a mapping of caller languages to the level of that language skill, such as { en: 2 }',
      '12:9 sections.1.relax.0: a relax step needs minLevel and/or dropCallerSkills (otherwise it relaxes nothing)',
      "13:39 sections.1.relax.1.dropSkills: unknown property 'dropSkills' (expected one of: afterSec, minLevel, dropCallerSkills)",
      "15:30 sections.1.overflow.0.to: unknown section 'nowhere'",
      '16:21 sections.1.overflow.1.afterSec: must be at least 0',
      "17:17 sections.1.continuity.holdSec: missing required property 'holdSec'",
      '18:28 sections.1.announce.minGapSec: must be at least 0',
      '18:44 sections.1.announce.waitCapMin: must be at least 1',
      '18:53 sections.1.announce.wait: expected true or false, got string "maybe"',
      '20:69 agents.0.skills.pensions: expected an integer, got number 1.5',
      '21:5 agents.1: an agent needs sections it is a member of, or skills, or both',
      '22:5 agents.2: an agent needs sections it is a member of, or skills, or both',
    ],
  )
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
