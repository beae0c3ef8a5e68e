/**
 * The audit log over HTTP (supervisors): GET /api/audit, newest first; and `audited`, which
 * the routes that change configuration call after a change succeeded (who, what, when, the old
 * and new version).
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import type { AuditLog } from '../../domain/audit.js'
import { errorResponses } from '../errors.js'

/** Appends an entry for the request's principal; an audit write that fails fails the request (nothing changes unrecorded silently). */
export async function audited(log: AuditLog | undefined, req: FastifyRequest, at: number, action: string, target: string, before?: unknown, after?: unknown): Promise<void> {
  if (!log) return
  const p = req.principal
  await log.append({ at, user: p?.user ?? 'anonymous', role: p?.role ?? 'none', action, target, ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) })
}

const Entry = Type.Object({
  id: Type.String(),
  at: Type.String({ format: 'date-time' }),
  user: Type.String(),
  role: Type.String(),
  action: Type.String(),
  target: Type.String(),
  before: Type.Optional(Type.Unknown()),
  after: Type.Optional(Type.Unknown()),
})

export const auditRoutes: FastifyPluginAsyncTypebox<{ log: AuditLog }> = async (app, { log }) => {
  app.get(
    '/api/audit',
    {
      config: { roles: ['supervisor'] },
      schema: {
        tags: ['audit'],
        summary: 'Configuration changes made through the API, newest first: who, what, when, old and new version',
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })), target: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }),
        response: { 200: Type.Array(Entry), ...errorResponses },
      },
    },
    async (req) => (await log.list({ limit: req.query.limit ?? 100, ...(req.query.target ? { target: req.query.target } : {}) })).map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
  )
}
