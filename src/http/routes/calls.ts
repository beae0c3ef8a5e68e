/**
 * Live calls of this engine and the operator's transfers: blind (the caller keeps its place in
 * the target section) or attended (consult a section agent, then complete or cancel). An agent
 * sees and transfers only the call it is on; supervisors any; viewers read. Either may hang the
 * caller up. What the caller typed in the voice portal (e.g. a request number) is given by value
 * to the agent on the call only (it needs it for the case); others see the names.
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { transferableNumber, type CallControl, type LiveCall } from '../../calls/control.js'
import type { TransferResult } from '../../calls/session.js'
import { AppError } from '../../domain/errors.js'
import { errorResponses } from '../errors.js'

const CallSchema = Type.Object(
  {
    callId: Type.String(),
    phase: Type.String(),
    startedAt: Type.Number(),
    caller: Type.Optional(Type.String({ description: 'masked' })),
    section: Type.Optional(Type.String()),
    agentId: Type.Optional(Type.String()),
    trail: Type.Optional(Type.Array(Type.String(), { description: 'the voice-portal nodes the caller went through' })),
    collected: Type.Optional(Type.Array(Type.String(), { description: 'names of what the caller typed in the voice portal' })),
    given: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'what the caller typed, by name: only to the agent on the call' })),
  },
  { $id: 'LiveCall' },
)
const CallRef = Type.Ref(CallSchema)
const Params = Type.Object({ callId: Type.String({ minLength: 1, maxLength: 128 }) })
const Ok = Type.Object({ ok: Type.Literal(true) })

/** The call, if the requester may act on it: supervisors any, an agent only the one it is on. */
function callFor(req: FastifyRequest, calls: CallControl, callId: string): LiveCall {
  const c = calls.get(callId)
  if (!c) throw new AppError('NOT_FOUND', `no call ${callId} on this engine`)
  const p = req.principal
  if (p?.role === 'agent' && c.agentId !== p.agentId) throw new AppError('FORBIDDEN', 'an agent may act only on its own call')
  return c
}

function done(r: TransferResult): { ok: true } {
  if (r.ok) return r
  throw new AppError(r.code === 'NOT_FOUND' ? 'NOT_FOUND' : r.code === 'CALL_GONE' ? 'NOT_FOUND' : 'CONFLICT', r.message, { reason: r.code })
}

export const callRoutes: FastifyPluginAsyncTypebox<{ calls: CallControl }> = async (app, { calls }) => {
  app.addSchema(CallSchema)
  const tags = ['calls']

  app.get(
    '/api/calls',
    { config: { roles: ['supervisor', 'viewer', 'agent'] }, schema: { tags, summary: "This engine's live calls (an agent sees its own)", response: { 200: Type.Array(CallRef), ...errorResponses } } },
    async (req) => {
      const all = calls.list()
      if (req.principal?.role !== 'agent') return all
      return all.filter((c) => c.agentId === req.principal?.agentId).map((c) => ({ ...c, given: calls.given(c.callId) ?? {} }))
    },
  )

  app.post(
    '/api/calls/:callId/transfer',
    {
      config: { roles: ['supervisor', 'agent'] },
      schema: {
        tags,
        summary: 'Transfer a caller to a section: blind (keeps its place) or attended (consult an agent first)',
        params: Params,
        body: Type.Object(
          { section: Type.String({ minLength: 1, maxLength: 64 }), mode: Type.Union([Type.Literal('blind'), Type.Literal('attended')], { default: 'blind' }), priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 9 })) },
          { additionalProperties: false },
        ),
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (req) => {
      callFor(req, calls, req.params.callId)
      return done(await calls.transfer(req.params.callId, { ...req.body, mode: req.body.mode ?? 'blind', by: req.principal?.agentId ?? req.principal?.user }))
    },
  )

  app.post(
    '/api/calls/:callId/transfer-external',
    {
      config: { roles: ['supervisor', 'agent'] },
      schema: {
        tags,
        summary: 'Transfer a caller to an external number (Italian landline or mobile); unanswered, the caller hears transfer_failed',
        params: Params,
        body: Type.Object({ number: Type.String({ minLength: 3, maxLength: 32 }) }, { additionalProperties: false }),
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (req) => {
      callFor(req, calls, req.params.callId)
      const number = transferableNumber(req.body.number)
      if (!number) throw new AppError('BAD_REQUEST', 'number: only Italian landline (0...) or mobile (3...) numbers may be dialed', { field: 'number' })
      return done(await calls.transferExternal(req.params.callId, number, req.principal?.agentId ?? req.principal?.user))
    },
  )

  app.post(
    '/api/calls/:callId/consult/complete',
    { config: { roles: ['supervisor', 'agent'] }, schema: { tags, summary: 'Attended transfer: hand the caller to the consulted agent', params: Params, response: { 200: Ok, ...errorResponses } } },
    async (req) => {
      callFor(req, calls, req.params.callId)
      return done(await calls.completeConsult(req.params.callId))
    },
  )

  app.post(
    '/api/calls/:callId/consult/cancel',
    { config: { roles: ['supervisor', 'agent'] }, schema: { tags, summary: 'Attended transfer called off: the caller back with the operator', params: Params, response: { 200: Ok, ...errorResponses } } },
    async (req) => {
      callFor(req, calls, req.params.callId)
      return done(await calls.cancelConsult(req.params.callId))
    },
  )

  app.post(
    '/api/calls/:callId/hangup',
    { config: { roles: ['supervisor', 'agent'] }, schema: { tags, summary: 'Hang the caller up (an agent: the call it is on)', params: Params, response: { 200: Ok, ...errorResponses } } },
    async (req) => {
      callFor(req, calls, req.params.callId)
      return done(await calls.hangup(req.params.callId, req.principal?.agentId ?? req.principal?.user))
    },
  )
}
