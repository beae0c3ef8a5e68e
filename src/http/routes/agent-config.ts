/**
 * Agents' configuration over HTTP (supervisors): add an agent, change its profile (name, phone,
 * sections it is a member of, skills with levels), remove one that is logged out. Each change
 * is made on config/sections.yaml through src/acd/config-control.ts (checked as the file is,
 * written atomically, used by routing at once) and audited with the old and new version. The
 * agents' states are the other routes' (src/http/routes/agents.ts).
 *
 * A removed agent's record stays in the store (the store has no removal), emptied of sections
 * and skills, so that no engine routes to it even after a restart; the running engine forgets
 * it at once.
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { EDITABLE_AGENT_KEYS, type EditableAgentKey, type Patch } from '../../acd/config-control.js'
import { AgentFileSchema, type AgentConfig } from '../../config/sections.js'
import type { AgentRecord } from '../../domain/acd.js'
import { AppError } from '../../domain/errors.js'
import { errorResponses } from '../errors.js'
import { AgentStateSchema, typeboxValidator } from '../schemas.js'
import { audited } from './audit.js'
import type { ConfigRoutesOptions } from './sections.js'

const AgentId = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_-]*$', maxLength: 64 })

export const AgentProfileSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    endpoint: Type.String({ description: 'The phone the agent is registered with (logging in may name another)' }),
    sections: Type.Array(Type.String(), { description: 'Sections it is a member of (it serves them whatever its skills)' }),
    skills: Type.Optional(Type.Record(Type.String(), Type.Integer({ description: '1 basic ... 5 expert' }))),
    state: AgentStateSchema,
  },
  { $id: 'AgentProfile', description: "An agent's configuration and its current state" },
)

const AgentPatchSchema = Type.Partial(Type.Pick(AgentFileSchema, [...EDITABLE_AGENT_KEYS]), {
  additionalProperties: false,
  minProperties: 1,
  description: 'Fields to change (not the id); each replaces the field whole',
})

export const agentConfigRoutes: FastifyPluginAsyncTypebox<ConfigRoutesOptions> = async (app, o) => {
  app.addSchema(AgentProfileSchema)
  const tags = ['agents']
  const Profile = Type.Ref(AgentProfileSchema)
  const Params = Type.Object({ id: AgentId })
  const profile = (a: AgentConfig, rec: AgentRecord | undefined) => ({ ...a, state: rec?.state ?? 'logged_out' })
  const sup = { roles: ['supervisor'] as const }

  app.post(
    '/api/agents',
    {
      config: sup,
      validatorCompiler: typeboxValidator,
      schema: {
        tags,
        summary: 'Add an agent (logged out until it logs in); written to the sections file; audited',
        body: AgentFileSchema,
        response: { 201: Profile, ...errorResponses },
      },
    },
    async (req, reply) => {
      const b = req.body
      const r = await o.control.addAgent({ id: b.id, name: b.name, endpoint: b.endpoint, sections: b.sections ?? [], ...(b.skills ? { skills: b.skills } : {}) })
      await audited(o.audit, req, o.clock.now(), 'agent.create', `agent:${b.id}`, undefined, r.after)
      return reply.status(201).send(profile(r.after!, await o.store.agents.get(b.id)))
    },
  )

  app.put(
    '/api/agents/:id/profile',
    {
      config: sup,
      validatorCompiler: typeboxValidator,
      schema: {
        tags,
        summary: "Change an agent's name, phone, sections or skills; used by routing at once; audited",
        params: Params,
        body: AgentPatchSchema,
        response: { 200: Profile, ...errorResponses },
      },
    },
    async (req) => {
      const id = req.params.id
      const r = await o.control.updateAgent(id, req.body as Patch<EditableAgentKey>)
      await audited(o.audit, req, o.clock.now(), 'agent.update', `agent:${id}`, r.before, r.after)
      return profile(r.after!, await o.store.agents.get(id))
    },
  )

  app.delete(
    '/api/agents/:id',
    {
      config: sup,
      validatorCompiler: typeboxValidator,
      schema: { tags, summary: 'Remove an agent (only when logged out); audited', params: Params, response: { 200: Profile, ...errorResponses } },
    },
    async (req) => {
      const id = req.params.id
      const r = await o.control.removeAgent(id, async () => {
        const rec = await o.store.agents.get(id)
        if (rec && rec.state !== 'logged_out') throw new AppError('CONFLICT', `agent ${id} is logged in (${rec.state}): it must log out first`, { state: rec.state })
      })
      const rec = await o.store.agents.get(id)
      if (rec?.state === 'logged_out') {
        const { skills: _skills, ...rest } = rec
        await o.store.agents.upsert({ ...rest, sections: [] })
      }
      await audited(o.audit, req, o.clock.now(), 'agent.delete', `agent:${id}`, r.before, undefined)
      return profile(r.before!, rec)
    },
  )
}
