/**
 * GET /metrics: the engine's Prometheus metrics (metrics.ts), in the text exposition format.
 * Public like the health checks: scrapers do not carry the API's bearer tokens; keep the port
 * on the operations network.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { EngineMetrics } from '../metrics.js'

export const metricsRoutes: FastifyPluginAsyncTypebox<{ metrics: EngineMetrics }> = async (app, { metrics }) => {
  app.get('/metrics', { config: { roles: 'public' }, schema: { tags: ['health'], summary: 'Prometheus metrics (text format)' } }, async (_req, reply) => {
    reply.header('content-type', metrics.contentType)
    return metrics.render()
  })
}
