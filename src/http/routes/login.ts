/**
 * POST /api/login (public): user and password for a session token (login.ts), 401 on bad
 * credentials, 429 with Retry-After after repeated failures; POST /api/logout ends the session
 * of the token the request carries.
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorResponses } from '../errors.js'
import type { LoginService } from '../login.js'

export const loginRoutes: FastifyPluginAsyncTypebox<{ logins: LoginService }> = async (app, { logins }) => {
  app.post(
    '/api/login',
    {
      config: { roles: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Log in: a session token to send as "Authorization: Bearer <token>"; 429 after repeated failures',
        security: [],
        body: Type.Object({ user: Type.String({ minLength: 1, maxLength: 100 }), password: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
        response: {
          200: Type.Object({ token: Type.String(), expiresAt: Type.String({ format: 'date-time' }), user: Type.String(), role: Type.String(), agentId: Type.Optional(Type.String()) }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const s = await logins.login(req.body.user, req.body.password, req.ip)
      return { token: s.token, expiresAt: new Date(s.expiresAt).toISOString(), ...s.principal }
    },
  )

  app.post(
    '/api/logout',
    {
      config: { roles: ['supervisor', 'campaign_manager', 'agent', 'viewer'] },
      schema: { tags: ['auth'], summary: 'End the session of the token this request carries', response: { 200: Type.Object({ ok: Type.Boolean() }), ...errorResponses } },
    },
    async (req) => {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')
      return { ok: m ? await logins.logout(m[1]!) : false }
    },
  )
}
