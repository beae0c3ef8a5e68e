/**
 * Builds a running engine from its configuration: loads the catalogue, sections and flows
 * (every error reported at once), starts the embedded simulator and back office when the
 * configuration says telephony: simulator, connects ARI, and starts the app. Used by main.ts
 * and the demo, so both run exactly the same engine.
 */
import path from 'node:path'
import { createAriTelephony } from '../adapters/ari/index.js'
import { createApp, type App, type AppDeps } from '../app.js'
import type { CampaignStore } from '../domain/campaign-store.js'
import type { EngineConfig } from '../config/engine.js'
import { readSections } from '../config/sections.js'
import { formatErrors } from '../config/errors.js'
import { RealClock, type Clock } from '../domain/clock.js'
import { AppError } from '../domain/errors.js'
import type { Logger } from '../domain/log.js'
import type { Store } from '../domain/store.js'
import type { Telephony } from '../domain/telephony.js'
import { startEngineApi, type EngineApi } from '../http/engine-api.js'
import { EngineMetrics } from '../http/metrics.js'
import { createHttpBackOffice, FlowRegistry, readCatalogue } from '../ivr/index.js'
import { catalogueDurations } from '../prompts/durations.js'
import { startSimulator } from '../sim/index.js'
import type { PhoneResolver, Simulator } from '../sim/types.js'
import { startEmbeddedBackOffice, type EmbeddedBackOffice } from './backoffice.js'
import { LeaseKeeper } from './lease.js'
import { newId } from '../domain/ids.js'
import { campaignStoreFor, openStore } from './store.js'

export interface BootOptions {
  config: EngineConfig
  log: Logger
  clock?: Clock
  store?: Store
  /** Directory the configured paths are relative to (default: the working directory). */
  cwd?: string
  /** Behaviour of simulated phones (agents, external numbers); default: answer after 1.5–4 s. */
  phones?: PhoneResolver
  /** Agents from config start ready (default: yes on the simulator, no on a real Asterisk). */
  loginAgents?: boolean
  /** Watch the flows directory and hot-reload (default true). */
  watchFlows?: boolean
  /** Wraps the ARI telephony adapter (tests simulating a crash freeze it). */
  wrapTelephony?: (t: Telephony) => Telephony
  /** A stable id for this engine (default: a new one per run). */
  engineId?: string
  /**
   * Drive the Asterisk server only while holding its lease in the store: the engine waits
   * (standby) until the lease is free, renews it, and stops acting if it loses it.
   */
  lease?: { ttlMs: number; onLost?: (why: string) => void }
  /** Dispatch period for queues shared with other engines (default: 1000 ms with a Redis store). */
  peerDispatchMs?: number
  /** The campaign store (default: the one following the main store, src/boot/store.ts); false runs no dialer. */
  campaigns?: CampaignStore | false
  /** Dialer timings and an attempt observer (src/dialer/types.ts). */
  dialer?: AppDeps['dialer']
}

export interface Engine {
  app: App
  flows: FlowRegistry
  sim?: Simulator
  backOffice?: EmbeddedBackOffice
  ariUrl: string
  /** Base URL of the HTTP API (/api/..., OpenAPI at /docs). */
  apiUrl: string
  api: EngineApi
  stop(opts?: { drainMs?: number }): Promise<void>
}

export const defaultPhones: PhoneResolver = (endpoint) =>
  endpoint.includes('@') ? { answerAfterMs: 4000 } : { answerAfterMs: 1500 + Math.floor(Math.random() * 2500) }

export async function bootEngine(o: BootOptions): Promise<Engine> {
  const { config, log } = o
  const cwd = o.cwd ?? process.cwd()
  const at = (p: string) => path.resolve(cwd, p)
  const clock = o.clock ?? new RealClock()

  const cat = readCatalogue(at(config.paths.prompts))
  const secs = readSections(at(config.paths.sections))
  const errors = [...cat.errors, ...secs.errors]
  if (errors.length > 0) throw new AppError('CONFIG_INVALID', `invalid configuration:\n${formatErrors(errors)}`, { errors })
  const catalogue = cat.catalogue!
  const sections = secs.config!
  // The store configured (memory unless store.kind is redis), unless the caller brings one.
  const store = o.store ?? (await openStore(config.store, log))

  let sim: Simulator | undefined
  let backOffice: EmbeddedBackOffice | undefined
  let ariUrl = config.ari.url
  let backOfficeCfg = config.backOffice
  if (config.telephony === 'simulator') {
    sim = await startSimulator({
      port: config.simulator.port,
      clock,
      users: { [config.ari.username]: config.ari.password },
      soundDuration: catalogueDurations(catalogue, at('prompts/audio')),
      phones: o.phones ?? defaultPhones,
      logger: log.child({ component: 'sim' }),
    })
    ariUrl = sim.url
    backOffice = await startEmbeddedBackOffice()
    backOfficeCfg = { ...config.backOffice, baseUrl: backOffice.url }
    log.info({ ari: sim.ariUrl, backOffice: backOffice.url }, 'embedded Asterisk simulator and back office started')
  }

  const flows = new FlowRegistry({ dir: at(config.paths.flows), catalogue, sections: sections, engine: config, logger: log.child({ component: 'flows' }), clock })
  const loaded = o.watchFlows === false ? await flows.load() : await flows.start()
  if (loaded.loaded.length === 0) throw new AppError('CONFIG_INVALID', `no valid flow in ${config.paths.flows}`)

  const serverId = `${config.ari.app}@${ariUrl}`
  const engineId = o.engineId ?? newId()
  let keeper: LeaseKeeper | undefined
  if (o.lease) {
    const onLost = o.lease.onLost
    keeper = new LeaseKeeper({
      leases: store.leases,
      name: `server:${serverId}`,
      owner: engineId,
      ttlMs: o.lease.ttlMs,
      clock,
      log,
      onLost: (why) => {
        // Someone else drives the server now: stop acting at once, leaving every call to it.
        void app.stop().finally(() => onLost?.(why))
      },
    })
    await keeper.acquire()
    keeper.start()
  }

  // Built before the ARI client, which reports every request's latency to it.
  const metrics = new EngineMetrics()
  const ari = createAriTelephony({ url: ariUrl, username: config.ari.username, password: config.ari.password, app: config.ari.app, logger: log, clock, onRequest: metrics.observeAriRequest })
  // One campaign store for the dialer and the API (with the memory store, two would be two lists).
  const campaigns = o.campaigns === false ? undefined : (o.campaigns ?? campaignStoreFor(store, clock))
  const telephony = o.wrapTelephony ? o.wrapTelephony(ari) : ari
  const app = createApp({
    config,
    telephony,
    engineId,
    // A Redis store may be shared by other engines serving the same national queues.
    peerDispatchMs: o.peerDispatchMs ?? (config.store.kind === 'redis' ? 1000 : undefined),
    // Call records are kept per Asterisk server: a restarted engine or a standby finds them.
    serverId,
    store,
    clock,
    log,
    flows,
    sections: sections.sections,
    agents: sections.agents,
    backOffice: createHttpBackOffice(backOfficeCfg, { logger: log.child({ component: 'backoffice' }) }),
    loginAgents: o.loginAgents ?? config.telephony === 'simulator',
    ...(campaigns ? { campaigns } : {}),
    ...(o.dialer ? { dialer: o.dialer } : {}),
  })
  // The API listens before calls are taken (readiness says when ARI is connected). If it
  // cannot, or the app cannot start, what was started is closed again.
  let api: EngineApi | undefined
  try {
    api = await startEngineApi({ config, app, store, telephony, clock, log, sections: sections.sections, sectionsFile: at(config.paths.sections), metrics, ...(campaigns ? { campaigns } : {}), flows: () => flows.ids(), flowRegistry: flows })
    await app.start()
  } catch (err) {
    await api?.close()
    await Promise.allSettled([keeper?.stop(), flows.close(), backOffice?.close(), sim?.close(), store !== o.store ? store.close() : undefined])
    throw err
  }

  return {
    app,
    flows,
    sim,
    backOffice,
    ariUrl,
    apiUrl: api.url,
    api,
    async stop(opts) {
      await api.close()
      await app.stop(opts)
      await keeper?.stop()
      await flows.close()
      await backOffice?.close()
      await sim?.close()
      if (store !== o.store) await store.close()
    },
  }
}
