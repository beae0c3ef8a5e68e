/**
 * The HTTP API of a running engine, from its configuration: who may call it (http.tokens; the
 * demo tokens on the simulator when none are set; nobody on a real Asterisk then), the
 * escalations with their webhook poster (escalations.*), and the server on http.host:http.port.
 * bootEngine starts it before taking calls and closes it first on stop.
 */
import { createMemoryEscalationStore } from '../adapters/memory/escalations.js'
import { createRedisEscalationStore } from '../adapters/redis/escalations.js'
import { isRedisStore } from '../adapters/redis/store.js'
import { createRedisAuditLog } from '../adapters/redis/audit.js'
import { createMemoryAuditLog } from '../adapters/memory/audit.js'
import type { App } from '../app.js'
import type { EngineConfig } from '../config/engine.js'
import type { Clock } from '../domain/clock.js'
import type { EscalationStore } from '../domain/escalations.js'
import type { Logger } from '../domain/log.js'
import type { Store } from '../domain/store.js'
import type { Telephony } from '../domain/telephony.js'
import { EscalationService } from '../escalations/service.js'
import { WebhookPoster } from '../escalations/webhook.js'
import { DEMO_TOKENS, DEMO_USERS, tokenAuthenticator, type Authenticator } from './auth.js'
import { LoginService, type LoginUser } from './login.js'
import { createRedisSessionStore } from '../adapters/redis/sessions.js'
import { buildHttpServer, startHttpServer, type HttpServer } from './server.js'
import type { FlowSource } from './routes/flows.js'
import { callControl } from '../calls/control.js'
import { campaignStoreFor } from '../boot/store.js'
import type { CampaignStore } from '../domain/campaign-store.js'
import { LiveHub } from './live.js'
import { EngineMetrics } from './metrics.js'
import { wallboardState } from './wallboard.js'
import { ConfigControl } from '../acd/config-control.js'
import { ConfigFollower } from '../acd/config-sync.js'
import { createRedisConfigBoard } from '../adapters/redis/config-board.js'

export interface EngineApiOptions {
  config: Pick<EngineConfig, 'http' | 'escalations' | 'telephony' | 'store'>
  app: Pick<App, 'acd' | 'registry'>
  store: Store
  telephony: Pick<Telephony, 'events'>
  clock: Clock
  log: Logger
  sections: Array<{ id: string; name?: string; serviceLevel?: { withinSec: number } }>
  /** Replaces the token map (tests; the logins of a later issue). */
  authenticator?: Authenticator
  /** Where escalations live (default: in memory). */
  escalations?: EscalationStore
  /** The campaigns and the opt-out register (default campaignStoreFor(store, clock)); the dialer must use the same one. */
  campaigns?: CampaignStore
  /** Metrics (built by the boot so the ARI client can report its requests); default: a new one. */
  metrics?: EngineMetrics
  /** Flow ids a message campaign may name (checked when given). */
  flows?: string[] | (() => string[])
  /** The sections file (config/sections.yaml): with it, sections and agents are edited through the API (written back, applied live). */
  sectionsFile?: string
  /** The flow registry: the flow routes (/api/flows) read, validate, upload and roll back through it. */
  flowRegistry?: FlowSource
}

export interface EngineApi {
  url: string
  metrics: EngineMetrics
  live: LiveHub
  server: HttpServer
  escalations: EscalationService
  /** The campaign store the API acts on. */
  campaigns: CampaignStore
  close(): Promise<void>
}

export function authenticatorFor(config: EngineApiOptions['config'], log: Logger): Authenticator {
  const tokens = config.http.tokens
  if (Object.keys(tokens).length > 0) return tokenAuthenticator(tokens)
  if (config.telephony === 'simulator') {
    log.warn('HTTP API: no http.tokens configured; the demo tokens (demo-supervisor, demo-campaigns, demo-viewer, demo-op101, ...) are accepted')
    return tokenAuthenticator(DEMO_TOKENS)
  }
  log.warn('HTTP API: no http.tokens configured; only /api/health, /api/ready and /docs answer')
  return tokenAuthenticator({})
}

/** Users who may log in: http.users, or on the simulator with none configured the demo users (password 'demo'). */
export function loginUsersFor(config: EngineApiOptions['config']): Record<string, LoginUser> {
  const users = config.http.users ?? {}
  if (Object.keys(users).length > 0) return { ...users }
  return config.telephony === 'simulator' ? { ...DEMO_USERS } : {}
}

/** Escalations live beside the rest of the state: in the shared Redis when the engine has one, else in memory. */
export function escalationStoreFor(store: Store): EscalationStore {
  return isRedisStore(store) ? createRedisEscalationStore(store) : createMemoryEscalationStore()
}

export async function startEngineApi(o: EngineApiOptions): Promise<EngineApi> {
  const log = o.log.child({ component: 'http' })
  const store = o.escalations ?? escalationStoreFor(o.store)
  const hook = o.config.escalations
  const poster = hook.webhookUrl
    ? new WebhookPoster({
        store,
        clock: o.clock,
        log: o.log.child({ component: 'escalations' }),
        options: { url: hook.webhookUrl, ...(hook.webhookSecret ? { secret: hook.webhookSecret } : {}), maxAttempts: hook.maxAttempts, retryBaseMs: hook.retryBaseMs, retryMaxMs: hook.retryMaxMs, timeoutMs: hook.timeoutMs },
      })
    : undefined
  const campaigns = o.campaigns ?? campaignStoreFor(o.store, o.clock)
  // Sessions shared with the other engines when they share a Redis (a token works on any of them).
  const logins = new LoginService({ users: loginUsersFor(o.config), clock: o.clock, ...(isRedisStore(o.store) ? { sessions: createRedisSessionStore(o.store) } : {}) })
  const metrics = o.metrics ?? new EngineMetrics()
  metrics.setSources({
    calls: () => o.app.registry.countByPhase(),
    acd: () => o.app.acd.snapshot(),
    ari: o.telephony.events,
    campaigns: async () => {
      const now = o.clock.now()
      const out = []
      for (const c of await campaigns.list()) {
        if (c.status === 'draft') continue
        const [stats, window] = await Promise.all([campaigns.stats(c.config.id), campaigns.abandonWindow(c.config.id, now, c.config.abandonWindowMs)])
        out.push({ id: c.config.id, byOutcome: stats.byOutcome, answers: window.answers, abandons: window.abandons })
      }
      return out
    },
  })
  const live = new LiveHub({
    clock: o.clock,
    read: () =>
      wallboardState({ snapshot: () => o.app.acd.snapshot(), sectionEstimates: (waiting) => o.app.acd.sectionEstimates(waiting), callsByPhase: () => o.app.registry.countByPhase() }),
    onError: (err) => log.warn({ err }, 'live picture not read'),
  })
  const service = new EscalationService({ store, clock: o.clock, log: o.log.child({ component: 'escalations' }), onChange: () => poster?.kick() })
  // Sections and agents edited through the API: with engines sharing a Redis, the change is
  // posted for the others, and this engine follows theirs (acd/config-sync.ts).
  const board = isRedisStore(o.store) ? createRedisConfigBoard(o.store) : undefined
  let follower: ConfigFollower | undefined
  const control = o.sectionsFile
    ? await ConfigControl.forFile(o.sectionsFile, (c) => o.app.acd.reconfigure(c.sections, c.agents), board ? (text) => follower!.post(text, 'api') : undefined)
    : undefined
  if (board && control) {
    follower = new ConfigFollower({ board, control, kind: 'sections', clock: o.clock, log: o.log.child({ component: 'config' }) })
  }
  const server = await buildHttpServer({
    log,
    clock: o.clock,
    store: o.store,
    dispatch: () => o.app.acd.dispatch(),
    sections: o.sections,
    ariEvents: o.telephony.events,
    escalations: { service, store, kick: () => poster?.kick() },
    auth: logins.authenticator(o.authenticator ?? authenticatorFor(o.config, log)),
    logins,
    calls: callControl(o.app.registry),
    desk: { pauseReasons: o.config.http.pauseReasons, webrtc: o.config.http.webrtc },
    campaigns: { store: campaigns, ...(o.flows ? { flows: o.flows } : {}) },
    metrics,
    live,
    audit: isRedisStore(o.store) ? createRedisAuditLog(o.store) : createMemoryAuditLog(),
    ...(control ? { configuration: { control, store: o.store } } : {}),
    ...(o.flowRegistry ? { flows: o.flowRegistry } : {}),
  })
  let url: string
  try {
    url = await startHttpServer(server, { port: o.config.http.port, host: o.config.http.host })
  } catch (err) {
    await server.close()
    throw err
  }
  poster?.start()
  await follower?.start()
  log.info({ url }, 'HTTP API listening')
  return {
    url,
    server,
    escalations: service,
    campaigns,
    metrics,
    live,
    async close() {
      live.stop()
      await follower?.stop()
      await server.close()
      await poster?.stop()
    },
  }
}
