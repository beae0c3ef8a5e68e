/**
 * Sections over HTTP: every section with its configuration (defaults filled in) and live
 * figures, for everyone signed in (agents pick a section to transfer to, campaign managers one
 * for a campaign, wallboards show the names and targets); a section's settings changed by
 * supervisors (src/acd/config-control.ts: written to config/sections.yaml, checked as the file
 * is, applied to routing at once), audited with the old and new version.
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { typeboxValidator } from '../schemas.js'
import type { ConfigControl, EditableSectionKey, Patch } from '../../acd/config-control.js'
import { EDITABLE_SECTION_KEYS } from '../../acd/config-control.js'
import { sectionFigures, type SectionFigures } from '../../acd/queue-admin.js'
import { SectionFileSchema, type SectionConfig } from '../../config/sections.js'
import type { AuditLog } from '../../domain/audit.js'
import { AppError } from '../../domain/errors.js'
import type { Store } from '../../domain/store.js'
import { errorResponses } from '../errors.js'
import { audited } from './audit.js'

/** What the configuration routes (sections, agents' profiles, callbacks) act on. */
export interface ConfigRoutesOptions {
  control: ConfigControl
  store: Pick<Store, 'queues' | 'agents'>
  clock: { now(): number }
  /** Where configuration changes are recorded (who, what, when, old and new). */
  audit?: AuditLog
}


export const SectionId = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_-]*$', maxLength: 64 })

/** A section edit: each setting given replaces that setting whole (an empty list or map clears it). */
export const SectionPatchSchema = Type.Partial(Type.Pick(SectionFileSchema, [...EDITABLE_SECTION_KEYS]), {
  additionalProperties: false,
  minProperties: 1,
  description: 'Settings to change (id and operator are fixed); each replaces the setting whole',
})

const Levels = Type.Record(Type.String(), Type.Integer())
const Figures = Type.Object({
  waiting: Type.Integer({ description: 'Callers and callbacks waiting (not being offered)' }),
  offered: Type.Integer({ description: "Callers whose agent's phone rings now" }),
  callbacks: Type.Integer({ description: 'Callback entries in the queue' }),
  longestWaitSec: Type.Integer(),
  agents: Type.Object({
    serving: Type.Integer({ description: 'Agents who may take its callers (members, or holding its skills)' }),
    present: Type.Integer({ description: 'Of those, logged in and not paused' }),
    ready: Type.Integer(),
  }),
})

export const SectionViewSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    operator: Type.Boolean(),
    ringTimeoutSec: Type.Number(),
    mohClass: Type.String(),
    wrapUpSec: Type.Number(),
    noAnswerPauseSec: Type.Number(),
    announce: Type.Object({
      onEntry: Type.Boolean(),
      everySec: Type.Number(),
      minGapSec: Type.Optional(Type.Number()),
      position: Type.Boolean(),
      wait: Type.Optional(Type.Boolean()),
      waitCapMin: Type.Optional(Type.Integer()),
    }),
    skills: Type.Optional(Levels),
    languages: Type.Optional(Levels),
    relax: Type.Optional(Type.Array(Type.Object({ afterSec: Type.Number(), minLevel: Type.Optional(Type.Integer()), dropCallerSkills: Type.Optional(Type.Boolean()) }))),
    overflow: Type.Optional(Type.Array(Type.Object({ afterSec: Type.Number(), to: Type.String() }))),
    continuity: Type.Optional(Type.Object({ withinSec: Type.Number(), holdSec: Type.Number() })),
    expectedHandleSec: Type.Optional(Type.Number()),
    callback: Type.Optional(
      Type.Object({
        enabled: Type.Boolean(),
        digit: Type.String(),
        offerAfterSec: Type.Number(),
        mode: Type.String(),
        maxAttempts: Type.Integer(),
        retryAfterSec: Type.Number(),
        ringTimeoutSec: Type.Number(),
      }),
    ),
    serviceLevel: Type.Optional(Type.Object({ percent: Type.Number(), withinSec: Type.Number() })),
    live: Figures,
  },
  { $id: 'Section', description: 'A section: its configuration with every default filled in, and its live figures' },
)

export function sectionView(s: SectionConfig, live: SectionFigures) {
  return { ...s, live }
}

export const sectionRoutes: FastifyPluginAsyncTypebox<ConfigRoutesOptions> = async (app, o) => {
  app.addSchema(SectionViewSchema)
  const tags = ['sections']
  const View = Type.Ref(SectionViewSchema)
  const figures = async (ids?: string[]) => {
    const c = o.control.config()
    const sections = ids ? c.sections.filter((s) => ids.includes(s.id)) : c.sections
    return { c, sections, live: await sectionFigures(o.store, sections, c.agents, o.clock.now()) }
  }

  app.get(
    '/api/sections',
    {
      config: { roles: ['supervisor', 'viewer', 'campaign_manager', 'agent'] },
      schema: { tags, summary: 'Every section: its configuration (defaults filled in) and live figures', response: { 200: Type.Array(View), ...errorResponses } },
    },
    async () => {
      const { sections, live } = await figures()
      return sections.map((s) => sectionView(s, live[s.id]!))
    },
  )

  app.put(
    '/api/sections/:id',
    {
      config: { roles: ['supervisor'] },
      validatorCompiler: typeboxValidator,
      schema: {
        tags,
        summary: "Change a section's settings: written to the sections file (checked as the file is), used by routing at once; audited",
        params: Type.Object({ id: SectionId }),
        body: SectionPatchSchema,
        response: { 200: View, ...errorResponses },
      },
    },
    async (req) => {
      const id = req.params.id
      if (!o.control.section(id)) throw new AppError('NOT_FOUND', `no section ${id}`)
      const r = await o.control.updateSection(id, req.body as Patch<EditableSectionKey>)
      await audited(o.audit, req, o.clock.now(), 'section.update', `section:${id}`, r.before, r.after)
      const { live } = await figures([id])
      return sectionView(r.after!, live[id]!)
    },
  )
}
