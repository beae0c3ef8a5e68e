/**
 * The sections file of the HTTP tests (test/http/fixture.ts): the sections operators (the
 * switchboard) and pensions (skill pensions 3, callbacks), the agents op1, op2 (operators) and
 * op3 (pensions) that the fixture's store holds; kept in memory, with every text written and
 * every configuration applied recorded for the tests to look at.
 */
import { ConfigControl } from '../../src/acd/config-control.js'
import { parseSections, type SectionsConfig } from '../../src/config/sections.js'

export const SECTIONS_YAML = `# sections of the HTTP tests
sections:
  - id: operators # the switchboard
    name: Centralino
    operator: true
    announce: { onEntry: true, everySec: 60, position: true }
    callback: { enabled: true, maxAttempts: 3 }

  - id: pensions
    name: Pensioni
    skills: { pensions: 3 }
    serviceLevel: { percent: 80, withinSec: 30 }
    callback: { enabled: true, digit: '5', maxAttempts: 2 }

agents:
  - id: op1
    name: Anna
    endpoint: PJSIP/op1
    sections: [operators]
  - id: op2
    name: Marco
    endpoint: PJSIP/op2
    sections: [operators]
  - id: op3
    name: Luca
    endpoint: PJSIP/op3
    sections: [pensions]
    skills: { pensions: 4 }
`

export interface ConfigFixture {
  control: ConfigControl
  /** The file's text now. */
  text(): string
  /** Texts written, in order. */
  writes: string[]
  /** Configurations applied to the (absent) queue service, in order. */
  applied: SectionsConfig[]
}

export function configFixture(text = SECTIONS_YAML): ConfigFixture {
  let current = text
  const writes: string[] = []
  const applied: SectionsConfig[] = []
  const control = new ConfigControl(
    {
      file: 'sections.yaml',
      read: async () => current,
      write: async (t) => {
        writes.push(t)
        current = t
      },
      apply: async (c) => void applied.push(c),
    },
    parseSections(text, 'sections.yaml').config,
  )
  return { control, text: () => current, writes, applied }
}
