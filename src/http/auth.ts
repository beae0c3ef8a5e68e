/**
 * Who is calling the API and what they may do. Every route declares in its config the roles
 * allowed (`config: { roles: [...] }`, or 'public'); a route without the declaration is refused
 * at registration. An onRequest hook resolves the caller through an Authenticator (today a
 * static map of bearer tokens from the configuration; the people's-side issue replaces it
 * with logins behind the same interface) and answers 401 (unknown or missing credentials) or
 * 403 (role not allowed) in the API's error shape, before the body is even parsed.
 */
import { createHash } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { ROLES } from '../config/engine-schema.js'
import { AppError } from '../domain/errors.js'

export type Role = (typeof ROLES)[number]
export { ROLES }

export interface Principal {
  user: string
  role: Role
  /** For role agent: the agent this user is. */
  agentId?: string
}

export type RouteRoles = readonly Role[] | 'public'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Roles allowed on the route, or 'public' (health, docs). Required on every route. */
    roles?: RouteRoles
  }
  interface FastifyRequest {
    principal: Principal | undefined
  }
}

/** The credentials a request carries. */
export interface Credentials {
  bearer?: string
  headers: FastifyRequest['headers']
}

/** Resolves credentials to a principal (undefined: not authenticated). */
export interface Authenticator {
  authenticate(c: Credentials): Promise<Principal | undefined>
}

/** Tokens of the demo (embedded simulator only): one per role, one per example agent. */
export const DEMO_TOKENS: Readonly<Record<string, Principal>> = {
  'demo-supervisor': { user: 'supervisor', role: 'supervisor' },
  'demo-manager': { user: 'manager', role: 'campaign_manager' },
  'demo-campaigns': { user: 'campaigns', role: 'campaign_manager' },
  'demo-viewer': { user: 'viewer', role: 'viewer' },
  'demo-op101': { user: 'op101', role: 'agent', agentId: 'op101' },
  'demo-op102': { user: 'op102', role: 'agent', agentId: 'op102' },
  'demo-op201': { user: 'op201', role: 'agent', agentId: 'op201' },
}

/** The demo users (embedded simulator only, when http.users is empty): the demo tokens' users, password 'demo'. */
export const DEMO_PASSWORD_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$4LuG7pAVGEC8F9DZqwYZvVxMZl+wFzbOoKTAKw7OIZk='
export const DEMO_USERS: Readonly<Record<string, Omit<Principal, 'user'> & { password: string }>> = Object.fromEntries(
  Object.values(DEMO_TOKENS).map((p) => [p.user, { role: p.role, ...(p.agentId ? { agentId: p.agentId } : {}), password: DEMO_PASSWORD_HASH }]),
)

const digest = (token: string) => createHash('sha256').update(token).digest('hex')

/** A fixed map of bearer tokens (kept hashed in memory). */
export function tokenAuthenticator(tokens: Readonly<Record<string, Principal>>): Authenticator {
  const byHash = new Map(Object.entries(tokens).map(([t, p]) => [digest(t), { ...p }]))
  return {
    async authenticate(c) {
      if (!c.bearer) return undefined
      const p = byHash.get(digest(c.bearer))
      return p && { ...p }
    },
  }
}

function bearerOf(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization
  const m = typeof h === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(h) : null
  return m?.[1]
}

/** Refuses the request unless its principal is a supervisor or the agent `agentId` itself. */
export function assertSelfOrSupervisor(req: FastifyRequest, agentId: string): void {
  const p = req.principal
  if (p?.role === 'supervisor') return
  if (p?.role === 'agent' && p.agentId === agentId) return
  throw new AppError('FORBIDDEN', p?.role === 'agent' ? 'an agent may act only on itself' : `role ${p?.role ?? 'none'} may not act on agents`)
}

export interface AuthOptions {
  authenticator: Authenticator
  /** Route URLs under these prefixes without a roles declaration are public (plugins' own routes: /docs). */
  publicPrefixes?: string[]
}

/** Installs the checks on the root instance (before any route is registered). */
export function installAuth(app: FastifyInstance, o: AuthOptions): void {
  app.decorateRequest('principal', undefined)
  app.addHook('onRoute', (route) => {
    const roles = route.config?.roles
    if (roles === undefined) {
      if ((o.publicPrefixes ?? []).some((p) => route.url.startsWith(p))) {
        route.config = { ...route.config, roles: 'public' }
        return
      }
      throw new Error(`route ${String(route.method)} ${route.url} declares no roles (config.roles)`)
    }
    if (roles !== 'public' && (roles.length === 0 || roles.some((r) => !ROLES.includes(r)))) {
      throw new Error(`route ${String(route.method)} ${route.url}: invalid roles ${JSON.stringify(roles)}`)
    }
  })
  app.addHook('onRequest', async (req, reply) => {
    if (req.is404) return
    const roles = req.routeOptions.config.roles
    if (roles === 'public') return
    const principal = await o.authenticator.authenticate({ bearer: bearerOf(req), headers: req.headers })
    if (!principal) {
      reply.header('www-authenticate', 'Bearer realm="centralino"')
      throw new AppError('UNAUTHORIZED', 'missing or unknown credentials: send Authorization: Bearer <token>')
    }
    req.principal = principal
    if (!roles?.includes(principal.role)) throw new AppError('FORBIDDEN', `role ${principal.role} may not ${req.method} ${req.routeOptions.url ?? req.url}`)
  })
}
