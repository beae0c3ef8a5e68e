/**
 * Sections (specialist groups and the operators' switchboard) and agents, from
 * config/sections.yaml: schema, defaults, and the cross checks (unique ids, agents in known
 * sections, exactly one operator section, overflow to a known other section, agents who serve
 * something). What the routing fields mean (skills, languages, relax, overflow, continuity) is
 * documented in src/acd/routing.ts; announcements and the estimated wait in src/acd/announce.ts
 * and src/acd/ewt.ts. Service-level targets are accepted and not acted upon yet.
 */
import { readFileSync } from 'node:fs'
import { Type, type Static } from '@sinclair/typebox'
import type { AgentDef, SectionDef } from '../domain/acd.js'
import { AppError } from '../domain/errors.js'
import { formatErrors, sortErrors, type ConfigError } from './errors.js'
import { schemaErrors } from './schema-check.js'
import { parseYaml } from './yaml.js'

const Id = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_-]*$', expected: 'an id (letters, digits, _ or -, starting with a letter)' })

const Level = Type.Integer({ minimum: 1, maximum: 5, description: 'Skill level: 1 basic ... 5 expert' })
const Levels = Type.Record(Id, Level, { expected: 'a mapping of skill ids to levels 1-5, such as { pensions: 3, en: 1 }' })
const Seconds = Type.Number({ minimum: 0 })

const ContinuitySchema = Type.Object(
  {
    withinSec: Type.Number({ minimum: 0, description: 'A citizen calling again within this time goes first to the agent who served them last' }),
    holdSec: Type.Number({ minimum: 0, description: 'How long the caller is held for that agent before normal routing' }),
  },
  { additionalProperties: false },
)

const CallbackSchema = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean({ description: 'A waiting caller may press `digit` to be called back, keeping its place' })),
    digit: Type.Optional(Type.String({ pattern: '^[0-9*#]$', expected: 'one key: 0-9, * or #' })),
    offerAfterSec: Type.Optional(Type.Number({ minimum: 0, description: 'The offer is said in the announcements once the caller has waited this long' })),
    mode: Type.Optional(Type.Union([Type.Literal('agent-first'), Type.Literal('citizen-first')], { expected: "'agent-first' or 'citizen-first'" })),
    maxAttempts: Type.Optional(Type.Integer({ minimum: 1, description: 'Calls to the citizen before the callback fails' })),
    retryAfterSec: Type.Optional(Type.Number({ minimum: 0, description: 'After an unanswered attempt, not offered again for this long (the place is kept)' })),
    ringTimeoutSec: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: "How long the citizen's phone rings" })),
  },
  { additionalProperties: false },
)

const SectionSchema = Type.Object(
  {
    id: Id,
    name: Type.String({ minLength: 1 }),
    operator: Type.Optional(Type.Boolean({ description: 'The switchboard where "0 for an operator" lands; exactly one section' })),
    ringTimeoutSec: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: "How long an agent's phone rings before the next agent is tried" })),
    mohClass: Type.Optional(Type.String({ minLength: 1 })),
    wrapUpSec: Type.Optional(Seconds),
    noAnswerPauseSec: Type.Optional(Seconds),
    announce: Type.Optional(
      Type.Object(
        {
          onEntry: Type.Optional(Type.Boolean()),
          everySec: Type.Optional(Type.Number({ minimum: 0, description: '0 = no periodic announcement' })),
          minGapSec: Type.Optional(Type.Number({ minimum: 0, description: 'Least music between the end of one announcement and the next' })),
          position: Type.Optional(Type.Boolean()),
          wait: Type.Optional(Type.Boolean({ description: 'Announce the estimated wait' })),
          waitCapMin: Type.Optional(Type.Integer({ minimum: 1, description: 'Longer estimates are said as "more than N minutes"' })),
        },
        { additionalProperties: false },
      ),
    ),
    skills: Type.Optional(Levels),
    languages: Type.Optional(Type.Record(Id, Level, { expected: 'a mapping of caller languages to the level of that language skill, such as { en: 2 }' })),
    relax: Type.Optional(
      Type.Array(
        Type.Object(
          { afterSec: Seconds, minLevel: Type.Optional(Level), dropCallerSkills: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
      ),
    ),
    overflow: Type.Optional(Type.Array(Type.Object({ afterSec: Seconds, to: Id }, { additionalProperties: false }))),
    continuity: Type.Optional(ContinuitySchema),
    expectedHandleSec: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'Handle time assumed until calls have been measured' })),
    callback: Type.Optional(CallbackSchema),
    serviceLevel: Type.Optional(
      Type.Object(
        { percent: Type.Number({ minimum: 0, maximum: 100 }), withinSec: Type.Number({ exclusiveMinimum: 0 }) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
)

const AgentSchema = Type.Object(
  {
    id: Id,
    name: Type.String({ minLength: 1 }),
    endpoint: Type.String({ pattern: '^[A-Za-z]+/.+', expected: 'a dial string such as PJSIP/op101' }),
    sections: Type.Optional(Type.Array(Id)),
    skills: Type.Optional(Levels),
  },
  { additionalProperties: false },
)

/** One section and one agent as the file writes them (the API validates edits with them). */
export { SectionSchema as SectionFileSchema, AgentSchema as AgentFileSchema }

export const SectionsFileSchema = Type.Object(
  {
    /** Continuity for the sections that do not set their own. */
    continuity: Type.Optional(ContinuitySchema),
    sections: Type.Array(SectionSchema, { minItems: 1 }),
    agents: Type.Optional(Type.Array(AgentSchema)),
  },
  { additionalProperties: false },
)

type SectionFile = Static<typeof SectionSchema>
type AgentFile = Static<typeof AgentSchema>

export interface SectionConfig extends SectionDef {
  serviceLevel?: { percent: number; withinSec: number }
}

export type AgentConfig = AgentDef

export interface SectionsConfig {
  sections: SectionConfig[]
  agents: AgentConfig[]
}

export interface SectionsResult {
  config: SectionsConfig
  errors: ConfigError[]
}

const EMPTY: SectionsConfig = { sections: [], agents: [] }

/** Pure: parses and checks a sections file. */
export function parseSections(text: string, file: string): SectionsResult {
  const parsed = parseYaml(text, file)
  if (parsed.errors.length > 0) return { config: EMPTY, errors: parsed.errors }
  const src = parsed.source
  const errors = schemaErrors(SectionsFileSchema, src.value, src)
  // Cross checks run even when the schema failed, on whatever has the right shape, so that
  // every problem is reported at once.
  const loose = (isObj(src.value) ? src.value : {}) as { sections?: unknown; agents?: unknown }
  const sections = (Array.isArray(loose.sections) ? loose.sections : []).map((x) => (isObj(x) ? x : {})) as Array<{ id?: unknown; operator?: unknown; overflow?: unknown; relax?: unknown }>
  const agents = (Array.isArray(loose.agents) ? loose.agents : []).map((x) => (isObj(x) ? x : {})) as Array<{ id?: unknown; sections?: unknown; skills?: unknown }>
  const sectionIds = new Map<string, number>()
  sections.forEach((s, i) => {
    if (typeof s.id !== 'string') return
    if (sectionIds.has(s.id)) errors.push(src.error(['sections', i, 'id'], `duplicate section id '${s.id}'`))
    else sectionIds.set(s.id, i)
  })
  const operators = sections.map((s, i) => (s.operator === true ? i : -1)).filter((i) => i >= 0)
  if (operators.length === 0 && sections.length > 0) errors.push(src.error(['sections'], 'exactly one section must have operator: true (the switchboard); none has'))
  for (const i of operators.slice(1)) errors.push(src.error(['sections', i, 'operator'], `only one section may have operator: true (already '${String(sections[operators[0]!]!.id)}')`))
  sections.forEach((s, i) => {
    if (Array.isArray(s.overflow)) {
      s.overflow.forEach((o: unknown, j: number) => {
        const to = isObj(o) ? o.to : undefined
        if (typeof to !== 'string') return
        if (to === s.id) errors.push(src.error(['sections', i, 'overflow', j, 'to'], 'a section cannot overflow to itself'))
        else if (!sectionIds.has(to)) errors.push(src.error(['sections', i, 'overflow', j, 'to'], `unknown section '${to}'`))
      })
    }
    if (Array.isArray(s.relax)) {
      s.relax.forEach((r: unknown, j: number) => {
        if (isObj(r) && r.minLevel === undefined && r.dropCallerSkills === undefined) {
          errors.push(src.error(['sections', i, 'relax', j], 'a relax step needs minLevel and/or dropCallerSkills (otherwise it relaxes nothing)'))
        }
      })
    }
  })
  const agentIds = new Set<string>()
  agents.forEach((a, i) => {
    if (typeof a.id === 'string') {
      if (agentIds.has(a.id)) errors.push(src.error(['agents', i, 'id'], `duplicate agent id '${a.id}'`))
      agentIds.add(a.id)
    }
    const listed = Array.isArray(a.sections) && a.sections.length > 0
    const skilled = isObj(a.skills) && Object.keys(a.skills).length > 0
    if (!listed && !skilled) errors.push(src.error(['agents', i], 'an agent needs sections it is a member of, or skills, or both'))
    if (!Array.isArray(a.sections)) return
    a.sections.forEach((s: unknown, j: number) => {
      if (typeof s === 'string' && !sectionIds.has(s)) errors.push(src.error(['agents', i, 'sections', j], `unknown section '${s}'`))
    })
  })
  if (errors.length > 0) return { config: EMPTY, errors: sortErrors(errors) }
  const raw = src.value as Static<typeof SectionsFileSchema>
  return { config: { sections: raw.sections.map((x) => toSection(x, raw.continuity)), agents: (raw.agents ?? []).map(toAgent) }, errors: [] }
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function toSection(s: SectionFile, continuity: SectionConfig['continuity']): SectionConfig {
  const out: SectionConfig = {
    id: s.id,
    name: s.name,
    operator: s.operator ?? false,
    ringTimeoutSec: s.ringTimeoutSec ?? 15,
    mohClass: s.mohClass ?? 'default',
    wrapUpSec: s.wrapUpSec ?? 0,
    noAnswerPauseSec: s.noAnswerPauseSec ?? 60,
    announce: {
      onEntry: s.announce?.onEntry ?? true,
      everySec: s.announce?.everySec ?? 60,
      minGapSec: s.announce?.minGapSec ?? 15,
      position: s.announce?.position ?? true,
      wait: s.announce?.wait ?? true,
      waitCapMin: s.announce?.waitCapMin ?? 20,
    },
  }
  if (s.skills) out.skills = s.skills
  if (s.languages) out.languages = s.languages
  if (s.relax) out.relax = [...s.relax].sort((a, b) => a.afterSec - b.afterSec)
  if (s.overflow) out.overflow = [...s.overflow].sort((a, b) => a.afterSec - b.afterSec)
  const c = s.continuity ?? continuity
  if (c) out.continuity = c
  if (s.expectedHandleSec !== undefined) out.expectedHandleSec = s.expectedHandleSec
  if (s.serviceLevel) out.serviceLevel = s.serviceLevel
  if (s.callback) {
    const c = s.callback
    out.callback = {
      enabled: c.enabled ?? true,
      digit: c.digit ?? '5',
      offerAfterSec: c.offerAfterSec ?? 60,
      mode: c.mode ?? 'agent-first',
      maxAttempts: c.maxAttempts ?? 3,
      retryAfterSec: c.retryAfterSec ?? 300,
      ringTimeoutSec: c.ringTimeoutSec ?? 30,
    }
  }
  return out
}

function toAgent(a: AgentFile): AgentConfig {
  const out: AgentConfig = { id: a.id, name: a.name, endpoint: a.endpoint, sections: a.sections ?? [] }
  if (a.skills) out.skills = a.skills
  return out
}

export function readSections(file: string): SectionsResult {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    return { config: EMPTY, errors: [{ file, line: 0, column: 0, path: '', message: `cannot read sections file (${(err as NodeJS.ErrnoException).code ?? 'error'})` }] }
  }
  return parseSections(text, file)
}

/** readSections that throws AppError CONFIG_INVALID (details: { errors }). */
export function loadSections(file: string): SectionsConfig {
  const r = readSections(file)
  if (r.errors.length > 0) throw new AppError('CONFIG_INVALID', `invalid sections configuration:\n${formatErrors(r.errors)}`, { errors: r.errors })
  return r.config
}
