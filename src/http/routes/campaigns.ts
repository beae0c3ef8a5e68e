/**
 * Outbound campaigns over HTTP: create and edit a definition (JSON, or YAML as application/yaml; validated by
 * src/dialer/campaign-config.ts, every error with its path), upload a contact list (CSV,
 * streamed into src/dialer/import.ts and the store a batch at a time), start / pause / resume
 * / stop, live progress and the results export. The routes act on the CampaignStore only: the
 * dialer of every engine picks the status changes up from the store.
 *
 * Roles: supervisors and campaign managers change; viewers read; agents nothing.
 *
 * Uploads are accepted while the campaign is draft or paused (a running campaign is paused
 * first, so that a list is never half-dialed while it is still being read and merged; a
 * stopped or completed one is over). Several uploads add up: a number already stored by an
 * earlier upload is merged into its contact (counted as merged, not imported).
 */
import type { AuditLog } from '../../domain/audit.js'
import { audited } from './audit.js'
import { Readable } from 'node:stream'
import { Type, type FastifyPluginAsyncTypebox, type Static } from '@fastify/type-provider-typebox'
import { errorCodes, type FastifyRequest } from 'fastify'
import type { CampaignStatus } from '../../domain/campaign.js'
import type { CampaignRecord, CampaignStore } from '../../domain/campaign-store.js'
import { AppError } from '../../domain/errors.js'
import { CampaignSchema, parseCampaign, validateCampaign, type CampaignRefs } from '../../dialer/campaign-config.js'
import { parseYaml } from '../../config/yaml.js'
import { exportCampaignCsv } from '../campaign-csv.js'
import { progressOf } from '../campaign-progress.js'
import { UploadQuery, uploadContacts } from '../campaign-upload.js'
import { errorResponses } from '../errors.js'
import { acceptYamlText, bodyLeftToHandler, iso, Nullable, StringEnum } from '../schemas.js'

export interface CampaignRoutesOptions {
  store: CampaignStore
  clock: { now(): number }
  /** Sections (and flows) a campaign may name; unknown ones are errors when given. A function is read at each check (flows created through the API count at once). */
  refs?: CampaignRefs | (() => CampaignRefs)
  /** Largest contact list accepted, bytes (default 100 MB). */
  uploadLimitBytes?: number
  /** Contacts per store batch of the upload (default 1,000). */
  batchSize?: number
  /** Where configuration changes are recorded (who, what, when, old and new). */
  audit?: AuditLog
}

export const DEFAULT_UPLOAD_LIMIT = 100 * 1024 * 1024
const UPLOAD_STATUSES: readonly CampaignStatus[] = ['draft', 'paused']
const EDIT_STATUSES: readonly CampaignStatus[] = ['draft', 'paused']

/** Status changes: the target and the states it may come from. */
export const TRANSITIONS = {
  start: { to: 'running', from: ['draft'] },
  pause: { to: 'paused', from: ['running'] },
  resume: { to: 'running', from: ['paused'] },
  stop: { to: 'stopped', from: ['draft', 'running', 'paused'] },
} as const satisfies Record<string, { to: CampaignStatus; from: readonly CampaignStatus[] }>

const ID_PATTERN = '^[A-Za-z][A-Za-z0-9_-]*$'
const CampaignId = Type.String({ pattern: ID_PATTERN, maxLength: 64, description: 'Campaign id' })
const Params = Type.Object({ id: CampaignId })
const Status = StringEnum(['draft', 'running', 'paused', 'stopped', 'completed'])

const ConfigOut = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    mode: Type.String(),
    section: Type.String(),
    messageFlow: Type.Optional(Type.String()),
    transferKey: Type.Optional(Type.String()),
    windows: Type.Unknown({ description: 'Calling windows: days, holidays, closedOn, timezone' }),
    retries: Type.Unknown({ description: 'Per outcome: delayMinutes and maxAttempts' }),
    maxAttempts: Type.Integer(),
    abandonCeiling: Type.Number(),
    abandonWindowMs: Type.Integer(),
    ringSeconds: Type.Number(),
    onMachine: Type.String(),
    callerId: Type.String(),
    trunk: Type.String(),
    maxChannels: Type.Integer(),
    maxCallsPerSecond: Type.Number(),
    abandonedCooldownMs: Type.Integer(),
  },
  { additionalProperties: true, description: 'The campaign definition with every default filled in' },
)

export const CampaignRecordSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    mode: Type.String(),
    status: Status,
    createdAt: Type.String(),
    history: Type.Array(Type.Object({ status: Status, at: Type.String() })),
    config: ConfigOut,
  },
  { $id: 'Campaign' },
)
const RecordRef = Type.Ref(CampaignRecordSchema)

const Counts = Type.Record(Type.String(), Type.Integer(), { description: 'Attempts by outcome (reached, busy, no_answer, machine, abandoned, failed, invalid)' })

export const ImportReportSchema = Type.Object(
  {
    campaignId: Type.String(),
    rows: Type.Integer({ description: 'Data rows read (blank rows are skipped and not counted)' }),
    imported: Type.Integer({ description: 'New contacts' }),
    merged: Type.Integer({ description: 'Rows merged into a contact of the same number (this list or an earlier one)' }),
    rejected: Type.Integer(),
    optedOut: Type.Integer(),
    noConsent: Type.Integer(),
    rejectedRows: Type.Array(Type.Object({ line: Type.Integer(), reason: Type.String(), value: Type.Optional(Type.String()) }), { description: 'The first 1,000 rejected rows, in file order' }),
  },
  { $id: 'ImportReport' },
)

export const ProgressSchema = Type.Object(
  {
    campaignId: Type.String(),
    status: Status,
    at: Type.String(),
    contacts: Type.Object({
      total: Type.Integer(),
      pending: Type.Integer(),
      dialing: Type.Integer(),
      done: Type.Integer(),
      failed: Type.Integer(),
      excluded: Type.Integer(),
    }),
    attempts: Type.Integer(),
    byOutcome: Counts,
    byAttempt: Type.Record(Type.String(), Counts, { description: 'Attempt number (1 = first call) -> outcomes' }),
    byHour: Type.Record(Type.String(), Counts, { description: 'Hour bucket (local hour, as the dialer writes it) -> outcomes' }),
    answered: Type.Integer({ description: 'Answered by a person or a machine (reached + abandoned + machine)' }),
    human: Type.Integer({ description: "Answered by a person (counter 'human', else reached + abandoned)" }),
    machine: Type.Integer({ description: "Answering machines (counter 'machine', else the machine outcomes)" }),
    putThrough: Type.Integer({ description: "Put through to an agent (counter 'put_through')" }),
    transfers: Type.Integer({ description: "Transfers to an operator section from a message (counter 'transfers')" }),
    abandon: Type.Object({
      windowMs: Type.Integer(),
      answers: Type.Integer({ description: 'Live answers in the rolling window' }),
      abandons: Type.Integer(),
      rate: Nullable(Type.Number({ description: 'abandons / answers, 0..1 (null: no answer yet)' })),
      ceiling: Type.Number(),
    }),
    reached: Type.Integer({ description: 'Contacts reached so far' }),
    reachedRate: Nullable(Type.Number({ description: 'Reached / contacts, 0..1' })),
    reachedFirstAttempt: Type.Integer({ description: 'Contacts reached at their first call' }),
    inFlight: Type.Record(Type.String(), Type.Integer(), { description: 'Contacts each engine is dialing now' }),
    window: Type.Object(
      {
        open: Type.Boolean({ description: 'Calls may be launched now (a calling window is open)' }),
        closesAt: Nullable(Type.String({ description: 'When the open window closes' })),
        nextOpensAt: Nullable(Type.String({ description: 'When the next window opens (null: none within a year)' })),
      },
      { description: 'The calling windows at `at`' },
    ),
    counters: Type.Record(Type.String(), Type.Number(), { description: 'Every named counter of the campaign' }),
  },
  { $id: 'CampaignProgress' },
)

export function recordBody(r: CampaignRecord) {
  return {
    id: r.config.id,
    name: r.config.name,
    mode: r.config.mode,
    status: r.status,
    createdAt: iso(r.createdAt),
    history: r.history.map((h) => ({ status: h.status, at: iso(h.at) })),
    config: r.config as unknown as Static<typeof ConfigOut>,
  }
}

/** 'windows.days.mon.0' -> '/body/windows/days/mon/0' (the API's paths are JSON pointers). */
const pointer = (path: string) => `/body${path === '' ? '' : `/${path.split('.').join('/')}`}`



const isCsvType = (req: FastifyRequest) => /^(text\/csv|application\/csv|text\/plain)\b/i.test(req.headers['content-type'] ?? '')

/** The request body a chunk at a time, refused past `max` bytes (413). */
async function* limited(src: AsyncIterable<Buffer>, max: number): AsyncGenerator<Buffer> {
  let n = 0
  for await (const chunk of src) {
    n += chunk.length
    if (n > max) throw new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE()
    yield chunk
  }
}

export const campaignRoutes: FastifyPluginAsyncTypebox<CampaignRoutesOptions> = async (app, o) => {
  const refs = (): CampaignRefs | undefined => (typeof o.refs === 'function' ? o.refs() : o.refs)
  app.addSchema(CampaignRecordSchema)
  app.addSchema(ImportReportSchema)
  app.addSchema(ProgressSchema)
  const tags = ['campaigns']
  const change = { roles: ['supervisor', 'campaign_manager'] as const }
  const read = { roles: ['supervisor', 'campaign_manager', 'viewer'] as const }
  const store = o.store
  const limit = o.uploadLimitBytes ?? DEFAULT_UPLOAD_LIMIT

  // The contact list reaches the handler as the raw request stream (never buffered).
  app.addContentTypeParser(['text/csv', 'application/csv', 'text/plain'], (_req, payload, done) => done(null, payload))
  // A definition may be sent as YAML (the files' format; JSON is YAML too) as well as JSON.
  acceptYamlText(app)

  const get = async (id: string) => {
    const r = await store.get(id)
    if (!r) throw new AppError('NOT_FOUND', `no campaign ${id}`)
    return r
  }

  const isPlain = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)
  /** A JSON body (parsed) or YAML text (application/yaml: errors with the line and column of the text sent). */
  const definition = (body: unknown, id?: string) => {
    let r: ReturnType<typeof validateCampaign>
    if (typeof body === 'string') {
      const parsed = parseYaml(body, '<request>').source.value
      r = id !== undefined && isPlain(parsed) && !('id' in parsed) ? validateCampaign({ id, ...parsed }, '<request>', refs()) : parseCampaign(body, '<request>', refs())
    } else r = validateCampaign(id !== undefined && isPlain(body) && !('id' in body) ? { id, ...body } : body, '<request>', refs())
    if (!r.config) {
      const errors = r.errors.filter((e) => e.severity !== 'warning').map((e) => ({ path: pointer(e.path), message: e.message, line: e.line, column: e.column }))
      const first = errors[0]
      throw new AppError('BAD_REQUEST', first ? `invalid campaign: ${first.path} ${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}` : 'invalid campaign', { errors })
    }
    if (id !== undefined && r.config.id !== id) {
      throw new AppError('BAD_REQUEST', `invalid campaign: /body/id must be the campaign's id (${id})`, { errors: [{ path: '/body/id', message: `must be ${id}` }] })
    }
    return r.config
  }

  app.post(
    '/api/campaigns',
    {
      config: change,
      validatorCompiler: bodyLeftToHandler,
      schema: {
        tags,
        summary: 'Create a campaign (draft) from its definition; 400 lists every error with its path, 409 when the id is taken',
        consumes: ['application/json', 'application/yaml'],
        body: CampaignSchema,
        response: { 201: RecordRef, ...errorResponses },
      },
    },
    async (req, reply) => {
      const config = definition(req.body)
      if (await store.get(config.id)) throw new AppError('CONFLICT', `campaign ${config.id} already exists`)
      await store.put(config, o.clock.now())
      await audited(o.audit, req, o.clock.now(), 'campaign.create', `campaign:${config.id}`, undefined, config)
      return reply.status(201).send(recordBody(await get(config.id)))
    },
  )

  app.get(
    '/api/campaigns',
    { config: read, schema: { tags, summary: 'Every campaign, by creation time', response: { 200: Type.Array(RecordRef), ...errorResponses } } },
    async () => (await store.list()).map(recordBody),
  )

  app.get(
    '/api/campaigns/:id',
    { config: read, schema: { tags, summary: 'One campaign with its status history', params: Params, response: { 200: RecordRef, ...errorResponses } } },
    async (req) => recordBody(await get(req.params.id)),
  )

  app.put(
    '/api/campaigns/:id',
    {
      config: change,
      validatorCompiler: bodyLeftToHandler,
      schema: {
        tags,
        summary: 'Replace the definition of a draft or paused campaign (409 otherwise); the id may be left out of the body',
        consumes: ['application/json', 'application/yaml'],
        params: Params,
        body: CampaignSchema,
        response: { 200: RecordRef, ...errorResponses },
      },
    },
    async (req) => {
      const id = req.params.id
      const config = definition(req.body, id)
      const r = await get(id)
      if (!EDIT_STATUSES.includes(r.status)) throw new AppError('CONFLICT', `campaign ${id} is ${r.status}: only a draft or paused campaign can be edited`, { status: r.status })
      await store.put(config)
      await audited(o.audit, req, o.clock.now(), 'campaign.update', `campaign:${id}`, r.config, config)
      return recordBody(await get(id))
    },
  )

  app.post(
    '/api/campaigns/:id/contacts',
    {
      config: change,
      bodyLimit: limit,
      validatorCompiler: bodyLeftToHandler,
      schema: {
        tags,
        summary: 'Upload a contact list (text/csv, streamed; draft or paused campaigns): the import report with every rejected row, its line and reason',
        description:
          'Header row required: a number column (number, phone, telefono, numero, cellulare, tel, mobile), optionally name/nome and consent/consenso (yes/no); every other column is kept. ' +
          `Valid rows are stored even when others are rejected; duplicates are merged; numbers in the opt-out register are rejected. At most ${limit} bytes.`,
        params: Params,
        querystring: UploadQuery,
        consumes: ['text/csv'],
        body: Type.String({ description: 'The CSV file' }),
        response: { 200: Type.Ref(ImportReportSchema), ...errorResponses },
      },
    },
    async (req) => {
      const id = req.params.id
      const declared = Number(req.headers['content-length'])
      if (Number.isFinite(declared) && declared > limit) throw new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE()
      if (!isCsvType(req) || !((req.body as unknown) instanceof Readable)) {
        throw new AppError('BAD_REQUEST', 'send the contact list as text/csv', { errors: [{ path: '/headers/content-type', message: 'must be text/csv' }] })
      }
      const body = req.body as unknown as Readable
      const r = await get(id)
      if (!UPLOAD_STATUSES.includes(r.status)) {
        body.resume() // let the client finish sending; nothing is read
        throw new AppError('CONFLICT', `campaign ${id} is ${r.status}: lists are uploaded to a draft or paused campaign`, { status: r.status })
      }
      const report = await uploadContacts(store, id, limited(body, limit), req.query, o.batchSize)
      const { rejectedRows: _rows, ...summary } = report
      await audited(o.audit, req, o.clock.now(), 'campaign.upload', `campaign:${id}`, undefined, summary)
      return report
    },
  )

  for (const [action, t] of Object.entries(TRANSITIONS)) {
    app.post(
      `/api/campaigns/:id/${action}`,
      {
        config: change,
        schema: {
          tags,
          summary: `${action[0]!.toUpperCase()}${action.slice(1)}: ${t.from.join(' | ')} -> ${t.to} (409 otherwise)`,
          params: Params,
          response: { 200: RecordRef, ...errorResponses },
        },
      },
      async (req) => {
        const id = req.params.id
        const cur = await get(id)
        if (action === 'start' && cur.status === 'draft' && Object.values(await store.counts(id)).every((n) => n === 0)) {
          throw new AppError('CONFLICT', `campaign ${id} has no contacts: upload a list before starting it`, { status: cur.status })
        }
        const next = await store.setStatus(id, t.to, o.clock.now(), [...t.from])
        if (!next) {
          const now = await get(id)
          throw new AppError('CONFLICT', `campaign ${id} is ${now.status}: ${action} needs ${t.from.join(' or ')}`, { status: now.status, from: t.from })
        }
        await audited(o.audit, req, o.clock.now(), `campaign.${action}`, `campaign:${id}`, cur.status, next.status)
        return recordBody(next)
      },
    )
  }

  app.get(
    '/api/campaigns/:id/progress',
    {
      config: read,
      schema: {
        tags,
        summary: 'Live progress: contacts by status, attempts by outcome, attempt number and hour, answered, human/machine, put through, abandon rate over the rolling window, reached',
        params: Params,
        response: { 200: Type.Ref(ProgressSchema), ...errorResponses },
      },
    },
    async (req) => progressOf(store, await get(req.params.id), o.clock.now()),
  )

  app.get(
    '/api/campaigns/:id/results.csv',
    {
      config: read,
      schema: {
        tags,
        summary: 'Results export (streamed CSV, one row per contact): number, name, consent, status, attempts, outcomes, last_outcome, reached_at, lines, then the original columns',
        params: Params,
        produces: ['text/csv'],
        response: { 200: Type.String({ description: 'text/csv' }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const r = await get(req.params.id)
      const name = `${r.config.id}-results.csv`
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}"`)
        .send(Readable.from(exportCampaignCsv(store, r.config.id)) as unknown as string) // a stream: sent as it is read, not serialized
    },
  )
}
