/**
 * TypeBox schemas of the API's resources (validated on input, serialized on output, published
 * in the OpenAPI document) and the conversions from domain records: times leave the engine as
 * ISO 8601 strings (UTC), the engine keeps milliseconds.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import type { FastifyInstance } from 'fastify'
import type { FastifyRouteSchemaDef, FastifyValidationResult } from 'fastify/types/schema.js'
import type { AgentRecord } from '../domain/acd.js'
import { CONSULTANCY_SECTIONS, ESCALATION_STATUSES, type Escalation } from '../domain/escalations.js'

const iso = (ms: number) => new Date(ms).toISOString()
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()])
/** A string among `values` (one "must be equal to one of the allowed values" error, not one per value). */
export const StringEnum = <const T extends readonly string[]>(values: T, options: { description?: string; default?: T[number] } = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options })
export const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]*$' })
export const DateTime = Type.String({ format: 'date-time', description: 'ISO 8601 with a time zone, e.g. 2026-11-23T09:30:00+01:00' })

export const AgentStateSchema = StringEnum(['logged_out', 'ready', 'reserved', 'on_call', 'wrap_up', 'paused'], {
  description: 'logged_out, ready, reserved (its phone rings), on_call, wrap_up, paused',
})

export const AgentSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    endpoint: Type.String({ description: 'Dial string of the phone the calls ring' }),
    sections: Type.Array(Type.String()),
    skills: Type.Optional(Type.Record(Type.String(), Type.Integer())),
    state: AgentStateSchema,
    since: Type.String({ description: 'Time of the last state change' }),
    idleSince: Type.String(),
    pauseReason: Type.Optional(Type.String()),
    callId: Type.Optional(Type.String()),
  },
  { $id: 'Agent' },
)
export type AgentBody = Static<typeof AgentSchema>

export function agentBody(a: AgentRecord): AgentBody {
  return {
    id: a.id,
    name: a.name,
    endpoint: a.endpoint,
    sections: a.sections,
    ...(a.skills ? { skills: a.skills } : {}),
    state: a.state,
    since: iso(a.since),
    idleSince: iso(a.idleSince),
    ...(a.pauseReason ? { pauseReason: a.pauseReason } : {}),
    ...(a.callId ? { callId: a.callId } : {}),
  }
}

export const SectionSchema = StringEnum(CONSULTANCY_SECTIONS, { description: 'Section of the regional consultancy centre' })
export const StatusSchema = StringEnum(ESCALATION_STATUSES)
export const KindSchema = StringEnum(['ticket', 'appointment'])

const Phone = Type.String({ pattern: '^\\+?[0-9][0-9 ]{4,19}$', description: 'Phone number, digits (and spaces), optional leading +' })
const citizenProps = {
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  phone: Type.Optional(Phone),
}
export const CitizenSchema = Type.Object(
  { reference: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Fiscal code or another reference the agency knows' })), ...citizenProps },
  { additionalProperties: false, minProperties: 1 },
)
export const AppointmentCitizenSchema = Type.Object(
  { reference: Type.String({ minLength: 1, maxLength: 64, description: 'Fiscal code or another reference the agency knows' }), ...citizenProps },
  { additionalProperties: false },
)

export const NewTicketSchema = Type.Object(
  {
    section: SectionSchema,
    subject: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 4000 })),
    citizen: CitizenSchema,
    callId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'The call the ticket comes from' })),
  },
  { additionalProperties: false },
)

export const NewAppointmentSchema = Type.Object(
  {
    startsAt: DateTime,
    durationMin: Type.Optional(Type.Integer({ minimum: 5, maximum: 480 })),
    office: Type.String({ minLength: 1, maxLength: 200, description: 'The agency office' }),
    section: Type.Optional(SectionSchema),
    notes: Type.Optional(Type.String({ maxLength: 2000 })),
    citizen: AppointmentCitizenSchema,
    callId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
)

export const StatusChangeSchema = Type.Object(
  { to: StatusSchema, note: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })) },
  { additionalProperties: false },
)

const ChangeSchema = Type.Object({
  seq: Type.Integer(),
  changeId: Type.String(),
  at: Type.String(),
  by: Type.String(),
  from: Nullable(StatusSchema),
  to: StatusSchema,
  note: Type.Optional(Type.String()),
})

export const EscalationSchema = Type.Object(
  {
    id: Type.String(),
    kind: KindSchema,
    status: StatusSchema,
    version: Type.Integer(),
    section: Type.Optional(SectionSchema),
    subject: Type.Optional(Type.String()),
    description: Type.Optional(Type.String()),
    startsAt: Type.Optional(Type.String()),
    durationMin: Type.Optional(Type.Integer()),
    office: Type.Optional(Type.String()),
    notes: Type.Optional(Type.String()),
    citizen: Type.Object({ reference: Type.Optional(Type.String()), name: Type.Optional(Type.String()), phone: Type.Optional(Type.String()) }),
    callId: Type.Optional(Type.String()),
    createdAt: Type.String(),
    createdBy: Type.String(),
    updatedAt: Type.String(),
    history: Type.Array(ChangeSchema),
  },
  { $id: 'Escalation' },
)
export type EscalationBody = Static<typeof EscalationSchema>

export function escalationBody(e: Escalation): EscalationBody {
  const out: Record<string, unknown> = { ...e, createdAt: iso(e.createdAt), updatedAt: iso(e.updatedAt), history: e.history.map((c) => ({ ...c, at: iso(c.at) })) }
  if (e.kind === 'appointment') out.startsAt = iso(e.startsAt)
  return out as EscalationBody
}

export { iso, Nullable }

/**
 * Requests validated with TypeBox itself (the configuration file's schemas carry the
 * `expected` wording its loader prints, which the framework's validator would refuse as an
 * unknown keyword). Failures take the shape of the framework's own (400 with every path).
 */
export function typeboxValidator<S>({ schema }: FastifyRouteSchemaDef<S>): FastifyValidationResult {
  const check = TypeCompiler.Compile(schema as unknown as TSchema)
  return (data: unknown) => {
    if (check.Check(data)) return true
    const err = Object.assign(new Error('invalid request'), {
      validation: [...check.Errors(data)].map((e) => ({ instancePath: e.path, keyword: 'schema', message: e.message })),
    })
    return { error: err }
  }
}

/**
 * The same for the params and querystring only, the body being left to the handler (a
 * campaign definition is checked by validateCampaign with every error's position; a contact
 * list is a stream).
 */
export function bodyLeftToHandler<S>(def: FastifyRouteSchemaDef<S>): FastifyValidationResult {
  return def.httpPart === 'body' ? () => true : typeboxValidator(def)
}

/** The media types a YAML text may be sent as (flows, campaign definitions). */
export const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml']

/** Takes YAML bodies as text, for the handler to parse with positions (the plugin's routes only). */
export function acceptYamlText(app: FastifyInstance): void {
  app.addContentTypeParser(YAML_TYPES, { parseAs: 'string' }, (_req, text, done) => done(null, text))
}
