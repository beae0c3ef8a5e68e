/**
 * Pending callbacks over HTTP: every callback entry still in a section's queue with its place,
 * the number (masked: all but the last three digits), when it was asked for and the calls made
 * so far (supervisors and viewers); a supervisor cancels one (audited, with the number in the
 * audit log, which only supervisors read).
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { cancelCallback, pendingCallbacks } from '../../acd/queue-admin.js'
import { maskPhone } from '../../domain/redact.js'
import { errorResponses } from '../errors.js'
import { iso, StringEnum } from '../schemas.js'
import { audited } from './audit.js'
import type { ConfigRoutesOptions } from './sections.js'

export const CallbackSchema = Type.Object(
  {
    id: Type.String({ description: 'The id of the call that asked for it' }),
    section: Type.String(),
    position: Type.Integer({ description: "Place in the section's queue, callers and callbacks together (1 = next)" }),
    number: Type.String({ description: 'The number to call, masked' }),
    requestedAt: Type.String(),
    attempts: Type.Integer({ description: 'Calls placed so far' }),
    maxAttempts: Type.Optional(Type.Integer()),
    status: StringEnum(['waiting', 'calling', 'retry_later'], { description: 'waiting its turn; calling now; retry_later: not reached, offered again from nextAttemptAt' }),
    nextAttemptAt: Type.Optional(Type.String()),
  },
  { $id: 'Callback' },
)

export const callbackRoutes: FastifyPluginAsyncTypebox<ConfigRoutesOptions> = async (app, o) => {
  app.addSchema(CallbackSchema)
  const tags = ['callbacks']
  const Item = Type.Ref(CallbackSchema)

  app.get(
    '/api/callbacks',
    {
      config: { roles: ['supervisor', 'viewer'] },
      schema: {
        tags,
        summary: 'Pending callbacks per section, in queue order (numbers masked)',
        querystring: Type.Object({ section: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false }),
        response: { 200: Type.Array(Item), ...errorResponses },
      },
    },
    async (req) => {
      const sections = o.control.config().sections.filter((s) => !req.query.section || s.id === req.query.section)
      const max = new Map(sections.map((s) => [s.id, s.callback?.maxAttempts]))
      return (await pendingCallbacks(o.store.queues, sections, o.clock.now())).map((c) => ({
        id: c.id,
        section: c.section,
        position: c.position,
        number: maskPhone(c.number),
        requestedAt: iso(c.requestedAt),
        attempts: c.attempts,
        ...(max.get(c.section) !== undefined ? { maxAttempts: max.get(c.section)! } : {}),
        status: c.status,
        ...(c.nextAttemptAt !== undefined ? { nextAttemptAt: iso(c.nextAttemptAt) } : {}),
      }))
    },
  )

  app.delete(
    '/api/callbacks/:id',
    {
      config: { roles: ['supervisor'] },
      schema: {
        tags,
        summary: 'Cancel a pending callback (409 while its call is being placed); audited',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) }),
        response: { 200: Type.Object({ id: Type.String(), section: Type.String(), cancelled: Type.Boolean() }), ...errorResponses },
      },
    },
    async (req) => {
      const e = await cancelCallback(o.store.queues, req.params.id)
      const before = { section: e.section, number: e.recall?.number, requestedAt: e.recall ? iso(e.recall.requestedAt) : undefined, attempts: e.recall?.attempts }
      await audited(o.audit, req, o.clock.now(), 'callback.cancel', `callback:${e.callId}`, before, undefined)
      return { id: e.callId, section: e.section, cancelled: true }
    },
  )
}
