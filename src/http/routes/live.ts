/**
 * GET /api/live: Server-Sent Events of the engine's live picture (live.ts): a snapshot, then
 * deltas; resumable with the Last-Event-ID header; a slow client gets a fresh snapshot once
 * it drains instead of a backlog. Clients send the bearer token as a header (fetch-based
 * EventSource readers; the browser's EventSource cannot set headers).
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { LiveHub } from '../live.js'

export const liveRoutes: FastifyPluginAsyncTypebox<{ hub: LiveHub }> = async (app, { hub }) => {
  app.get(
    '/api/live',
    {
      config: { roles: ['supervisor', 'viewer', 'agent', 'campaign_manager'] },
      schema: {
        tags: ['live'],
        summary: 'Live picture as Server-Sent Events: snapshot, then deltas (Last-Event-ID resumes); ?once=true sends the snapshot and closes',
        querystring: Type.Object({ once: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
      },
    },
    async (req, reply) => {
      const last = req.headers['last-event-id']
      if (req.query.once) {
        let frame = ''
        const off = await hub.subscribe({ send: (f) => ((frame ||= f), true), onDrain: () => undefined })
        off()
        return reply.header('content-type', 'text/event-stream; charset=utf-8').header('cache-control', 'no-cache').send(frame)
      }
      reply.hijack()
      const raw = reply.raw
      raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' })
      raw.write('retry: 2000\n\n')
      const subscribed = hub.subscribe({ send: (frame) => raw.write(frame), onDrain: (cb) => raw.once('drain', cb) }, typeof last === 'string' ? last : undefined)
      req.raw.on('close', () => void subscribed.then((off) => off()))
      await subscribed
    },
  )
}
