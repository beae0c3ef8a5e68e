/**
 * Queue statistics from the event log (src/acd/stats.ts), per section and interval: JSON with
 * per-interval rows and totals, or CSV (RFC 4180, header row) for spreadsheets.
 * Range: from (inclusive) .. to (exclusive), ISO 8601 or epoch milliseconds; default the last
 * 24 hours; at most 31 days and 20,000 rows.
 */
import { Type, type Static, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { computeStats, computeTotals, INTERVALS, statsCsv, type StatsRow } from '../../acd/stats.js'
import type { EventLog } from '../../domain/store.js'
import { AppError } from '../../domain/errors.js'
import { errorResponses } from '../errors.js'
import { iso, Nullable, StringEnum } from '../schemas.js'

export interface StatsRoutesOptions {
  events: Pick<EventLog, 'read'>
  clock: { now(): number }
  /** Configured sections in display order, with their service-level target (seconds), if any. */
  sections: Array<{ id: string; targetSec?: number }>
}

const DAY = 86_400_000
const MAX_RANGE = 31 * DAY
const MAX_ROWS = 20_000

const Time = Type.String({ minLength: 1, maxLength: 40, description: 'ISO 8601 date-time or epoch milliseconds' })
const Query = Type.Object(
  {
    from: Type.Optional(Time),
    to: Type.Optional(Time),
    interval: Type.Optional(StringEnum([...(Object.keys(INTERVALS) as Array<keyof typeof INTERVALS>), 'all'], { default: '15m', description: '5m, 15m, 30m, 1h, or all (one row per section)' })),
    section: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
)
type QueryT = Static<typeof Query>

const Row = Type.Object({
  section: Type.String(),
  from: Type.String(),
  to: Type.String(),
  offered: Type.Integer(),
  answered: Type.Integer(),
  abandoned: Type.Integer(),
  abandonRate: Nullable(Type.Number({ description: 'abandoned / (answered + abandoned), 0..1' })),
  targetSec: Type.Number(),
  answeredWithinTarget: Type.Integer(),
  serviceLevel: Nullable(Type.Number({ description: 'answered within targetSec / (answered + abandoned), 0..1' })),
  avgWaitMs: Nullable(Type.Integer()),
  longestWaitMs: Nullable(Type.Integer()),
  avgAnswerMs: Nullable(Type.Integer()),
  avgHandleMs: Nullable(Type.Integer({ description: 'Talk time (connect to hang-up or transfer)' })),
  handled: Type.Integer(),
})

function parseTime(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined
  const ms = /^\d+$/.test(v) ? Number(v) : Date.parse(v)
  if (!Number.isFinite(ms)) throw new AppError('BAD_REQUEST', `invalid request: /querystring/${name} is not a date-time`, { errors: [{ path: `/querystring/${name}`, message: 'must be an ISO 8601 date-time or epoch milliseconds' }] })
  return ms
}

const rowBody = (r: StatsRow) => ({ ...r, from: iso(r.from), to: iso(r.to) })

export const statsRoutes: FastifyPluginAsyncTypebox<StatsRoutesOptions> = async (app, o) => {
  const known = o.sections.map((s) => s.id)
  const targets = Object.fromEntries(o.sections.filter((s) => s.targetSec !== undefined).map((s) => [s.id, s.targetSec!]))

  const compute = async (q: QueryT) => {
    const to = parseTime(q.to, 'to') ?? o.clock.now()
    const from = parseTime(q.from, 'from') ?? to - DAY
    if (from >= to) throw new AppError('BAD_REQUEST', 'invalid request: from must be before to', { errors: [{ path: '/querystring/from', message: 'must be before to' }] })
    if (to - from > MAX_RANGE) throw new AppError('BAD_REQUEST', 'invalid request: the range may span 31 days at most', { errors: [{ path: '/querystring/to', message: 'at most 31 days after from' }] })
    if (q.section !== undefined && !known.includes(q.section)) throw new AppError('NOT_FOUND', `no section ${q.section}`)
    const interval = q.interval ?? '15m'
    const intervalMs = interval === 'all' ? ('all' as const) : INTERVALS[interval as keyof typeof INTERVALS]
    const sections = q.section !== undefined ? [q.section] : undefined
    const buckets = intervalMs === 'all' ? 1 : Math.ceil((to - from) / intervalMs) + 1
    if (buckets * (sections?.length ?? Math.max(1, known.length)) > MAX_ROWS) {
      throw new AppError('BAD_REQUEST', 'invalid request: too many rows; use a longer interval or a shorter range', { errors: [{ path: '/querystring/interval', message: 'too many rows' }] })
    }
    const events = await o.events.read()
    const opts = { from, to, known, targets, ...(sections ? { sections } : {}) }
    return { from, to, interval, rows: computeStats(events, { ...opts, intervalMs }), totals: computeTotals(events, opts) }
  }

  app.get(
    '/api/stats',
    {
      config: { roles: ['supervisor', 'viewer', 'campaign_manager', 'agent'] },
      schema: {
        tags: ['stats'],
        summary: 'Per section and interval: offered, answered, abandoned, abandon rate, service level, waits, handle time',
        querystring: Query,
        response: {
          200: Type.Object({ from: Type.String(), to: Type.String(), interval: Type.String(), rows: Type.Array(Row), totals: Type.Array(Row) }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const r = await compute(req.query)
      return { from: iso(r.from), to: iso(r.to), interval: r.interval, rows: r.rows.map(rowBody), totals: r.totals.map(rowBody) }
    },
  )

  app.get(
    '/api/stats.csv',
    {
      config: { roles: ['supervisor', 'viewer', 'campaign_manager', 'agent'] },
      schema: {
        tags: ['stats'],
        summary: 'The same rows as CSV (RFC 4180, header row, times in UTC)',
        querystring: Query,
        produces: ['text/csv'],
        response: { 200: Type.String({ description: 'text/csv' }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const r = await compute(req.query)
      const name = `centralino-stats-${new Date(r.from).toISOString().slice(0, 16).replace(/[-:T]/g, '')}-${r.interval}.csv`
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(statsCsv(r.rows))
    },
  )
}
