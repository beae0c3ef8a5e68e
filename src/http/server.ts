/**
 * The engine's HTTP API (fastify 5, TypeBox schemas): one plugin per area (health, agents,
 * escalations, stats), the auth checks (auth.ts), one error shape (errors.ts), and the OpenAPI
 * document with its browser at /docs. buildHttpServer returns the instance without listening
 * (tests use inject); startHttpServer listens and returns the base URL.
 */
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import { AgentActions } from '../acd/agent-actions.js'
import type { Clock } from '../domain/clock.js'
import { AppError } from '../domain/errors.js'
import type { Logger } from '../domain/log.js'
import type { Store } from '../domain/store.js'
import type { EventStream } from '../domain/telephony.js'
import type { EscalationStore } from '../domain/escalations.js'
import type { EscalationService } from '../escalations/service.js'
import { installAuth, type Authenticator } from './auth.js'
import { installErrorHandling } from './errors.js'
import { agentRoutes } from './routes/agents.js'
import { callRoutes } from './routes/calls.js'
import type { CallControl } from '../calls/control.js'
import { escalationRoutes } from './routes/escalations.js'
import { healthRoutes, type ReadinessCheck } from './routes/health.js'
import { statsRoutes } from './routes/stats.js'
import type { EngineMetrics } from './metrics.js'
import { metricsRoutes } from './routes/metrics.js'
import type { LiveHub } from './live.js'
import { liveRoutes } from './routes/live.js'
import type { AuditLog } from '../domain/audit.js'
import { auditRoutes } from './routes/audit.js'
import type { LoginService } from './login.js'
import { loginRoutes } from './routes/login.js'
import type { CampaignStore } from '../domain/campaign-store.js'
import { campaignRoutes } from './routes/campaigns.js'
import { optOutRoutes } from './routes/optout.js'
import { flowRoutes, type FlowSource } from './routes/flows.js'
import { webRoutes, type WebAssets } from './web.js'
import { sectionRoutes, type ConfigRoutesOptions } from './routes/sections.js'
import { agentConfigRoutes } from './routes/agent-config.js'
import { callbackRoutes } from './routes/callbacks.js'
import { deskRoutes, type DeskSettings } from './routes/desk.js'

export interface HttpDeps {
  log: Logger
  clock: Clock
  store: Pick<Store, 'agents' | 'events'>
  /** The queue service's dispatch (agents who become ready get waiting callers). */
  dispatch: () => void
  /** Sections with their service-level target (serviceLevel.withinSec of the sections file). */
  sections: Array<{ id: string; name?: string; serviceLevel?: { withinSec: number } }>
  /** ARI events socket: readiness. */
  ariEvents: Pick<EventStream, 'state'>
  escalations: { service: EscalationService; store: EscalationStore; kick?: () => void }
  auth: Authenticator
  /** More readiness checks (store, ...). */
  readiness?: ReadinessCheck[]
  /** Serve the OpenAPI document and its browser at /docs (default true). */
  docs?: boolean
  /** This engine's live calls and the operators' transfers. */
  calls?: CallControl
  /** Prometheus metrics served at /metrics. */
  metrics?: EngineMetrics
  /** Live picture over Server-Sent Events at /api/live. */
  live?: LiveHub
  /** The audit log of configuration changes (GET /api/audit). */
  audit?: AuditLog
  /** Logins (POST /api/login, /api/logout); `auth` should then be logins.authenticator(...). */
  logins?: LoginService
  /**
   * Outbound campaigns and the opt-out register (the dialer reads the same store). Campaigns
   * may name the sections above; flows are checked when given.
   */
  campaigns?: { store: CampaignStore; flows?: string[] | (() => string[]); uploadLimitBytes?: number }
  /** The operator desk's settings (pause reasons, softphone): GET /api/desk. */
  desk?: DeskSettings
  /**
   * Sections, agents' profiles and callbacks (GET/PUT /api/sections, POST/PUT/DELETE agents,
   * /api/callbacks): the configuration they change and the queues they read.
   */
  configuration?: Pick<ConfigRoutesOptions, 'control' | 'store'>
  /** Serve the web pages (default true); `assets` replaces their loader (tests). */
  web?: boolean | { assets: () => Promise<WebAssets> }
  /** The flows (FlowRegistry): list, read, validate, upload, roll back (/api/flows). */
  flows?: FlowSource
}

export type HttpServer = FastifyInstance

export async function buildHttpServer(d: HttpDeps): Promise<HttpServer> {
  const app = Fastify({
    loggerInstance: d.log as FastifyBaseLogger,
    // Requests are not logged one by one (the engine logs what it does); errors are.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    ajv: { customOptions: { removeAdditional: false, allErrors: true, coerceTypes: 'array' } },
  }).withTypeProvider<TypeBoxTypeProvider>()

  installErrorHandling(app)
  installAuth(app, { authenticator: d.auth, publicPrefixes: ['/docs'] })

  // JSON only (415 otherwise). An empty JSON body (a POST with the header and nothing else)
  // is no body, not an error.
  app.removeAllContentTypeParsers()
  const json = app.getDefaultJsonParser('error', 'error')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (body === '' || (typeof body === 'string' && body.trim() === '')) return done(null, undefined)
    json(req, body as string, done)
  })

  if (d.docs !== false) {
    await app.register(swagger, {
      // Components named after the schemas' $id (Agent, Escalation, ErrorResponse).
      refResolver: { buildLocalReference: (json, _base, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
      openapi: {
        info: { title: 'centralino API', version: '1', description: 'Contact-centre engine: agents, escalations, statistics, campaigns and the opt-out register. Errors: { error: { code, message, details? } }.' },
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
        security: [{ bearer: [] }],
      },
    })
    await app.register(swaggerUi, { routePrefix: '/docs' })
  }

  const profile = d.configuration?.control
  const actions = new AgentActions({ store: d.store, clock: d.clock, dispatch: d.dispatch, ...(profile ? { profile: (id: string) => profile.agent(id) } : {}) })
  await app.register(healthRoutes, {
    startedAt: Date.now(),
    checks: [
      { name: 'ari', code: 'ARI_UNAVAILABLE', check: () => ({ ok: d.ariEvents.state() === 'open', detail: `events socket ${d.ariEvents.state()}` }) },
      ...(d.readiness ?? []),
    ],
  })
  if (d.metrics) await app.register(metricsRoutes, { metrics: d.metrics })
  if (d.live) await app.register(liveRoutes, { hub: d.live })
  if (d.audit) await app.register(auditRoutes, { log: d.audit })
  if (d.logins) await app.register(loginRoutes, { logins: d.logins })
  await app.register(agentRoutes, { actions })
  if (d.calls) await app.register(callRoutes, { calls: d.calls })
  if (d.desk) await app.register(deskRoutes, { settings: d.desk, sections: d.sections })
  await app.register(escalationRoutes, { service: d.escalations.service, outbox: d.escalations.store.outbox, clock: d.clock, kick: d.escalations.kick })
  await app.register(statsRoutes, {
    events: d.store.events,
    clock: d.clock,
    sections: d.sections.map((s) => ({ id: s.id, ...(s.serviceLevel ? { targetSec: s.serviceLevel.withinSec } : {}) })),
  })
  if (d.campaigns) {
    const { store, flows, uploadLimitBytes } = d.campaigns
    // Read at each check: a flow created through the API may be named at once.
    const refs = () => ({ sections: d.sections.map((s) => s.id), ...(flows ? { flows: typeof flows === 'function' ? flows() : flows } : {}) })
    await app.register(campaignRoutes, { store, clock: d.clock, refs, ...(uploadLimitBytes !== undefined ? { uploadLimitBytes } : {}), ...(d.audit ? { audit: d.audit } : {}) })
    await app.register(optOutRoutes, { store, clock: d.clock, ...(d.audit ? { audit: d.audit } : {}) })
  }
  if (d.configuration) {
    const o = { ...d.configuration, clock: d.clock, ...(d.audit ? { audit: d.audit } : {}) }
    await app.register(sectionRoutes, o)
    await app.register(agentConfigRoutes, o)
    await app.register(callbackRoutes, o)
  }
  if (d.flows) await app.register(flowRoutes, { flows: d.flows, clock: d.clock, ...(d.audit ? { audit: d.audit } : {}) })
  if (d.web !== false) await app.register(webRoutes, typeof d.web === 'object' ? { assets: d.web.assets } : {})
  await app.ready()
  return app
}

/** Listens on host:port (0 = any free port); returns the base URL to reach it. */
export async function startHttpServer(app: HttpServer, opts: { port: number; host: string }): Promise<string> {
  try {
    await app.listen({ port: opts.port, host: opts.host })
  } catch (err) {
    throw new AppError('CONFIG_INVALID', `HTTP API cannot listen on ${opts.host}:${opts.port}: ${(err as Error).message}`, undefined, { cause: err })
  }
  const addr = app.server.address()
  const port = typeof addr === 'object' && addr ? addr.port : opts.port
  const host = opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`
}
