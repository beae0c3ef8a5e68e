/**
 * Liveness (the process answers) and readiness (the engine can take calls: the ARI events
 * socket is open; other checks, such as the store, plug in as more ReadinessCheck entries).
 * Both public: orchestrators probe them without credentials.
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { ErrorCode } from '../../domain/errors.js'
import { errorBody, errorResponses } from '../errors.js'

export interface ReadinessCheck {
  name: string
  /** The error code answered when this check fails (the first failing check's). */
  code: ErrorCode
  check(): Promise<{ ok: boolean; detail?: string }> | { ok: boolean; detail?: string }
}

const Check = Type.Object({ ok: Type.Boolean(), detail: Type.Optional(Type.String()) })

export const healthRoutes: FastifyPluginAsyncTypebox<{ checks: ReadinessCheck[]; startedAt: number }> = async (app, o) => {
  app.get(
    '/api/health',
    {
      config: { roles: 'public' },
      schema: { tags: ['health'], summary: 'Liveness: the engine process answers', response: { 200: Type.Object({ status: Type.Literal('ok'), uptimeSec: Type.Number() }) } },
    },
    async () => ({ status: 'ok' as const, uptimeSec: Math.round((Date.now() - o.startedAt) / 1000) }),
  )

  app.get(
    '/api/ready',
    {
      config: { roles: 'public' },
      schema: {
        tags: ['health'],
        summary: 'Readiness: 200 when every check passes (ARI events socket connected), else 503',
        response: { 200: Type.Object({ ready: Type.Literal(true), checks: Type.Record(Type.String(), Check) }), ...errorResponses },
      },
    },
    async (_req, reply) => {
      const checks: Record<string, { ok: boolean; detail?: string }> = {}
      for (const c of o.checks) {
        try {
          checks[c.name] = await c.check()
        } catch (err) {
          checks[c.name] = { ok: false, detail: err instanceof Error ? err.message : String(err) }
        }
      }
      const failing = o.checks.filter((c) => !checks[c.name]!.ok)
      if (failing.length > 0) return reply.status(503).send(errorBody(failing[0]!.code, `not ready: ${failing.map((c) => c.name).join(', ')}`, { checks }))
      return { ready: true as const, checks }
    },
  )
}
