/**
 * What the operator desk needs besides the agent and its call: the pause reasons it offers,
 * the sections a caller may be transferred to, the sections a ticket may go to, and the
 * softphone's settings (Asterisk's WebSocket SIP transport; the SIP user is the agent id, the
 * operator types the password, which the engine never sees).
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { CONSULTANCY_SECTIONS } from '../../domain/escalations.js'
import { errorResponses } from '../errors.js'

export interface DeskSettings {
  pauseReasons: string[]
  webrtc: { wsUrl: string; domain?: string }
}

export interface DeskRoutesOptions {
  settings: DeskSettings
  sections: Array<{ id: string; name?: string }>
}

const DeskSchema = Type.Object({
  agentId: Type.Optional(Type.String({ description: 'The agent the requester is (role agent)' })),
  pauseReasons: Type.Array(Type.String()),
  sections: Type.Array(Type.Object({ id: Type.String(), name: Type.String() }), { description: 'Sections a caller may be transferred to' }),
  escalationSections: Type.Array(Type.String(), { description: 'Sections a ticket or an appointment may name' }),
  softphone: Type.Object({
    configured: Type.Boolean({ description: 'false: no WebSocket SIP transport configured (the simulator); calls ring the agent endpoint' }),
    wsUrl: Type.Optional(Type.String()),
    domain: Type.Optional(Type.String()),
    user: Type.Optional(Type.String({ description: 'SIP user (the agent id)' })),
  }),
})

/** The SIP domain: as configured, else the host of the WebSocket URL. */
export function sipDomain(w: DeskSettings['webrtc']): string | undefined {
  if (w.domain) return w.domain
  try {
    return new URL(w.wsUrl).hostname || undefined
  } catch {
    return undefined
  }
}

export const deskRoutes: FastifyPluginAsyncTypebox<DeskRoutesOptions> = async (app, o) => {
  app.get(
    '/api/desk',
    { config: { roles: ['agent', 'supervisor'] }, schema: { tags: ['agents'], summary: "The operator desk's settings: pause reasons, sections, softphone", response: { 200: DeskSchema, ...errorResponses } } },
    async (req) => {
      const agentId = req.principal?.agentId
      const w = o.settings.webrtc
      const domain = sipDomain(w)
      const configured = w.wsUrl !== '' && domain !== undefined
      return {
        ...(agentId ? { agentId } : {}),
        pauseReasons: o.settings.pauseReasons,
        sections: o.sections.map((s) => ({ id: s.id, name: s.name ?? s.id })),
        escalationSections: [...CONSULTANCY_SECTIONS],
        softphone: configured ? { configured, wsUrl: w.wsUrl, domain, ...(agentId ? { user: agentId } : {}) } : { configured },
      }
    },
  )
}
