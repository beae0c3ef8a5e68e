/**
 * Escalations: tickets for the regional consultancy centre and appointments with an agency
 * official, opened by operators (agents) and supervisors; status changes with their history;
 * the webhook outbox for supervisors (what is waiting, what was set aside, retry by hand).
 * Agents see and change the escalations they opened; supervisors and viewers see all.
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import type { Escalation, EscalationStore } from '../../domain/escalations.js'
import { AppError } from '../../domain/errors.js'
import type { EscalationService } from '../../escalations/service.js'
import { errorResponses } from '../errors.js'
import {
  escalationBody,
  EscalationSchema,
  KindSchema,
  NewAppointmentSchema,
  NewTicketSchema,
  SectionSchema,
  StatusChangeSchema,
  StatusSchema,
} from '../schemas.js'

export interface EscalationRoutesOptions {
  service: EscalationService
  outbox: EscalationStore['outbox']
  clock: { now(): number }
  /** A change was requeued: deliver now. */
  kick?: () => void
}

const Params = Type.Object({ id: Type.String({ format: 'uuid' }) })
const Ref = Type.Ref(EscalationSchema)

export const escalationRoutes: FastifyPluginAsyncTypebox<EscalationRoutesOptions> = async (app, o) => {
  app.addSchema(EscalationSchema)
  const tags = ['escalations']
  const who = (req: FastifyRequest) => req.principal!.user
  /** Agents reach only what they opened. */
  const visible = (req: FastifyRequest, e: Escalation) => {
    if (req.principal?.role === 'agent' && e.createdBy !== req.principal.user) throw new AppError('FORBIDDEN', 'an agent sees only the escalations it opened')
    return e
  }

  app.post(
    '/api/escalations/tickets',
    {
      config: { roles: ['supervisor', 'agent'] },
      schema: { tags, summary: 'Open a ticket for the regional consultancy centre', body: NewTicketSchema, response: { 201: Ref, ...errorResponses } },
    },
    async (req, reply) => reply.status(201).send(escalationBody(await o.service.createTicket(req.body, who(req)))),
  )

  app.post(
    '/api/escalations/appointments',
    {
      config: { roles: ['supervisor', 'agent'] },
      schema: { tags, summary: 'Book an appointment with an agency official (in the future)', body: NewAppointmentSchema, response: { 201: Ref, ...errorResponses } },
    },
    async (req, reply) => {
      const { startsAt, ...rest } = req.body
      const e = await o.service.createAppointment({ ...rest, startsAt: Date.parse(startsAt) }, who(req))
      return reply.status(201).send(escalationBody(e))
    },
  )

  app.get(
    '/api/escalations',
    {
      config: { roles: ['supervisor', 'viewer', 'agent'] },
      schema: {
        tags,
        summary: 'Escalations, newest first (an agent: those it opened)',
        querystring: Type.Object(
          {
            status: Type.Optional(StatusSchema),
            kind: Type.Optional(KindSchema),
            section: Type.Optional(SectionSchema),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(Ref), ...errorResponses },
      },
    },
    async (req) => {
      const mine = req.principal?.role === 'agent' ? { createdBy: who(req) } : {}
      return (await o.service.list({ ...req.query, ...mine })).map(escalationBody)
    },
  )

  // Static paths before /:id (the router prefers them anyway).
  app.get(
    '/api/escalations/outbox',
    {
      config: { roles: ['supervisor'] },
      schema: {
        tags,
        summary: 'Webhook delivery: changes waiting, and those set aside after every attempt failed',
        response: {
          200: Type.Object({
            pending: Type.Integer(),
            setAside: Type.Array(Type.Object({ escalationId: Type.String(), changeId: Type.String(), seq: Type.Integer(), attempts: Type.Integer(), lastError: Type.Optional(Type.String()) })),
          }),
          ...errorResponses,
        },
      },
    },
    async () => ({ pending: await o.outbox.pendingCount(), setAside: await o.outbox.listSetAside() }),
  )

  app.post(
    '/api/escalations/outbox/:changeId/retry',
    {
      config: { roles: ['supervisor'] },
      schema: { tags, summary: 'Deliver a change that was set aside again', params: Type.Object({ changeId: Type.String({ format: 'uuid' }) }), response: { 202: Type.Object({ requeued: Type.Literal(true) }), ...errorResponses } },
    },
    async (req, reply) => {
      if (!(await o.outbox.requeue(req.params.changeId, o.clock.now()))) throw new AppError('NOT_FOUND', `no change ${req.params.changeId} set aside`)
      o.kick?.()
      return reply.status(202).send({ requeued: true as const })
    },
  )

  app.get(
    '/api/escalations/:id',
    { config: { roles: ['supervisor', 'viewer', 'agent'] }, schema: { tags, summary: 'One escalation with its history', params: Params, response: { 200: Ref, ...errorResponses } } },
    async (req) => escalationBody(visible(req, await o.service.get(req.params.id))),
  )

  app.post(
    '/api/escalations/:id/status',
    {
      config: { roles: ['supervisor', 'agent'] },
      schema: {
        tags,
        summary: 'Change the status: open -> in_charge | closed, in_charge -> open | closed, closed -> open (else 409)',
        params: Params,
        body: StatusChangeSchema,
        response: { 200: Ref, ...errorResponses },
      },
    },
    async (req) => {
      visible(req, await o.service.get(req.params.id))
      return escalationBody(await o.service.changeStatus(req.params.id, req.body.to, who(req), req.body.note))
    },
  )
}
