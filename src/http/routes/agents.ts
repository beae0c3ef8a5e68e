/**
 * Agents: list and read them; the agent actions (log in with an endpoint, ready, pause with a
 * reason, end wrap-up, log out). An agent acts on itself only; supervisors act on anyone;
 * viewers read.
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AgentActions } from '../../acd/agent-actions.js'
import { assertSelfOrSupervisor } from '../auth.js'
import { errorResponses } from '../errors.js'
import { agentBody, AgentSchema, Id } from '../schemas.js'

const Params = Type.Object({ id: Id })
const AgentRef = Type.Ref(AgentSchema)

export const agentRoutes: FastifyPluginAsyncTypebox<{ actions: AgentActions }> = async (app, { actions }) => {
  app.addSchema(AgentSchema)
  const tags = ['agents']

  app.get(
    '/api/agents',
    { config: { roles: ['supervisor', 'viewer'] }, schema: { tags, summary: 'Every agent and its state', response: { 200: Type.Array(AgentRef), ...errorResponses } } },
    async () => (await actions.list()).map(agentBody),
  )

  app.get(
    '/api/agents/:id',
    { config: { roles: ['supervisor', 'viewer', 'agent'] }, schema: { tags, summary: 'One agent (an agent reads itself only)', params: Params, response: { 200: AgentRef, ...errorResponses } } },
    async (req) => {
      if (req.principal?.role === 'agent') assertSelfOrSupervisor(req, req.params.id)
      return agentBody(await actions.get(req.params.id))
    },
  )

  const act = { roles: ['supervisor', 'agent'] as const }

  app.post(
    '/api/agents/:id/login',
    {
      config: act,
      schema: {
        tags,
        summary: 'Log in on an endpoint: logged_out -> ready (409 when already logged in)',
        params: Params,
        body: Type.Object({ endpoint: Type.String({ maxLength: 200, pattern: '^[A-Za-z]+/[^\\s]+$', description: 'Dial string, e.g. PJSIP/op101' }) }, { additionalProperties: false }),
        response: { 200: AgentRef, ...errorResponses },
      },
    },
    async (req) => {
      assertSelfOrSupervisor(req, req.params.id)
      return agentBody(await actions.login(req.params.id, req.body.endpoint))
    },
  )

  app.post(
    '/api/agents/:id/ready',
    { config: act, schema: { tags, summary: 'paused or wrap_up -> ready', params: Params, response: { 200: AgentRef, ...errorResponses } } },
    async (req) => {
      assertSelfOrSupervisor(req, req.params.id)
      return agentBody(await actions.ready(req.params.id))
    },
  )

  app.post(
    '/api/agents/:id/pause',
    {
      config: act,
      schema: {
        tags,
        summary: 'ready, wrap_up or paused -> paused with a reason',
        params: Params,
        body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
        response: { 200: AgentRef, ...errorResponses },
      },
    },
    async (req) => {
      assertSelfOrSupervisor(req, req.params.id)
      return agentBody(await actions.pause(req.params.id, req.body.reason))
    },
  )

  app.post(
    '/api/agents/:id/wrap-up/end',
    { config: act, schema: { tags, summary: 'End wrap-up early: wrap_up -> ready', params: Params, response: { 200: AgentRef, ...errorResponses } } },
    async (req) => {
      assertSelfOrSupervisor(req, req.params.id)
      return agentBody(await actions.endWrapUp(req.params.id))
    },
  )

  app.post(
    '/api/agents/:id/logout',
    { config: act, schema: { tags, summary: 'Log out (409 while a call rings or is in progress)', params: Params, response: { 200: AgentRef, ...errorResponses } } },
    async (req) => {
      assertSelfOrSupervisor(req, req.params.id)
      return agentBody(await actions.logout(req.params.id))
    },
  )
}
