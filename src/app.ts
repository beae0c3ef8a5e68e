/**
 * Composition root: createApp(deps) wires the ports (Telephony, Store, Clock) to the services
 * (flows, queues, call sessions) and returns { start, stop, summary }. No I/O of its own
 * besides what the ports do; main.ts and the demo build the ports and call it.
 */
import { AcdService } from './acd/service.js'
import { runFlow } from './calls/ivr-runner.js'
import { SessionRegistry } from './calls/registry.js'
import { EventRouter } from './calls/router.js'
import type { SessionDeps } from './calls/session.js'
import type { StartFlowParams } from './calls/flow-run.js'
import type { CampaignStore } from './domain/campaign-store.js'
import { DialerService } from './dialer/service.js'
import type { DialerDeps, DialerOptions } from './dialer/types.js'
import { flowIdForEntry, type EngineConfig } from './config/engine.js'
import type { AgentDef, SectionDef } from './domain/acd.js'
import type { Clock } from './domain/clock.js'
import { AppError, isNotFound } from './domain/errors.js'
import type { CallEventType, NewCallEvent } from './domain/events.js'
import { newId } from './domain/ids.js'
import type { Logger } from './domain/log.js'
import type { Store } from './domain/store.js'
import type { Telephony } from './domain/telephony.js'
import type { BackOfficeCall, FlowRegistry } from './ivr/index.js'

export interface AppDeps {
  config: Pick<EngineConfig, 'entries' | 'defaultFlow'> & { ari: { app: string } }
  telephony: Telephony
  store: Store
  clock: Clock
  log: Logger
  flows: FlowRegistry
  sections: SectionDef[]
  agents: AgentDef[]
  backOffice: BackOfficeCall
  /** Agents from config start logged in and ready (until agents log in through the API). */
  loginAgents: boolean
  engineId?: string
  /** The Asterisk server this engine drives: call records are kept per server for recovery. */
  serverId?: string
  /** Set when other engines share the store's queues: dispatch on this period too (ms). */
  peerDispatchMs?: number
  /** Dial string for external transfers; {number} is replaced. */
  externalDialString?: string
  externalTimeoutSec?: number
  /** Campaign store: with it, the outbound dialer runs the campaigns that are 'running' in it (src/dialer). */
  campaigns?: CampaignStore
  dialer?: DialerOptions & { onAttempt?: DialerDeps['onAttempt'] }
}

export interface Summary {
  at: number
  calls: number
  inMenus: number
  waiting: Record<string, number>
  longestWaitMs: number
  talking: number
  agents: Record<string, number>
  totals: Partial<Record<CallEventType, number>>
  /** How voice-portal flows ended: queue, operator, transfer, hangup (self-service or goodbye). */
  flowOutcomes: Record<string, number>
  eventLag: { received: number; malformed: number; reconnects: number }
}

export interface App {
  readonly acd: AcdService
  readonly registry: SessionRegistry
  readonly router: EventRouter
  /** The outbound dialer, when the app was given a campaign store. */
  readonly dialer: DialerService | undefined
  start(): Promise<void>
  /** Stops taking calls, lets those in progress finish for up to drainMs, then ends the rest. */
  stop(opts?: { drainMs?: number }): Promise<void>
  summary(): Promise<Summary>
}

export function createApp(d: AppDeps): App {
  const engineId = d.engineId ?? newId()
  const serverId = d.serverId ?? 'asterisk'
  const app = d.config.ari.app
  const totals: Partial<Record<CallEventType, number>> = {}
  const flowOutcomes: Record<string, number> = {}
  const emit = (e: NewCallEvent) => {
    totals[e.type] = (totals[e.type] ?? 0) + 1
    if (e.type === 'ivr.finished') flowOutcomes[e.outcome] = (flowOutcomes[e.outcome] ?? 0) + 1
    d.store.events.append({ ...e, id: newId(), at: d.clock.now(), engineId } as Parameters<Store['events']['append']>[0]).catch((err: unknown) => d.log.error({ err, type: e.type }, 'event log append failed'))
  }
  const router = new EventRouter(d.telephony.events, d.log)
  const ref: { registry?: SessionRegistry } = {}
  const acd = new AcdService({
    store: d.store,
    clock: d.clock,
    sections: d.sections,
    agents: d.agents,
    log: d.log.child({ component: 'acd' }),
    emit,
    engineId,
    connector: { connect: (req) => ref.registry!.connect(req), callback: (req) => ref.registry!.callback(req) },
    // Queues shared with other engines: offer only the callers this engine runs.
    owns: d.peerDispatchMs ? (callId) => ref.registry?.get(callId) !== undefined : undefined,
    peerDispatchMs: d.peerDispatchMs,
  })
  const dialString = d.externalDialString ?? 'PJSIP/{number}@trunk'
  const sessionDeps = (log: Logger): SessionDeps => ({
    telephony: d.telephony,
    router,
    clock: d.clock,
    log,
    acd,
    emit,
    app,
    externalEndpoint: (n) => dialString.replace('{number}', n),
    externalTimeoutSec: d.externalTimeoutSec ?? 30,
    calls: d.store.calls,
    serverId,
    startFlow: (p) => {
      if (p.restore) {
        const flow = d.flows.get(p.restore.id, p.restore.version)
        if (flow) {
          log.info({ flowId: flow.id, version: flow.version }, 'flow resumed')
          return runFlow({ telephony: d.telephony, router, clock: d.clock, log, backOffice: d.backOffice }, flow, p)
        }
        // That version is gone (the file changed and the engine restarted): start the current one over.
        log.warn({ flowId: p.restore.id, version: p.restore.version }, 'flow version of a resumed call is no longer loaded; starting the current version')
        p = { ...p, restore: undefined }
      }
      return startFlowById(flowIdForEntry(d.config, p.entry), p, log)
    },
  })
  /** Starts the current version of a flow on a call (an entry's flow, or a campaign's message flow). */
  const startFlowById = (flowId: string, p: StartFlowParams, log: Logger) => {
    const flow = d.flows.current(flowId)
    if (!flow) throw new AppError('NOT_FOUND', `no flow '${flowId}' loaded for entry '${p.entry ?? ''}'`)
    log.info({ flowId, version: flow.version }, 'flow started')
    return runFlow({ telephony: d.telephony, router, clock: d.clock, log, backOffice: d.backOffice }, flow, p)
  }
  const registry = new SessionRegistry(sessionDeps, { log: d.log, router, app, calls: d.store.calls, serverId, shared: d.peerDispatchMs !== undefined })
  ref.registry = registry
  const dialer = d.campaigns
    ? new DialerService({
        ...(d.dialer ?? {}),
        campaigns: d.campaigns,
        store: d.store,
        acd,
        registry,
        telephony: d.telephony,
        router,
        clock: d.clock,
        log: d.log.child({ component: 'dialer' }),
        emit,
        engineId,
        app,
        startFlow: (flowId, p) => startFlowById(flowId, p, d.log.child({ callId: p.callId })),
      })
    : undefined

  const offResync = d.telephony.events.onResync(async () => {
    const channels = await d.telephony.channels.list()
    await router.resync(channels, async (id) => {
      try {
        await d.telephony.playbacks.get(id)
        return true
      } catch (err) {
        if (isNotFound(err)) return false
        throw err
      }
    })
    await registry.resync(channels)
    d.log.info({ channels: channels.length, sessions: registry.size }, 'resynchronised after reconnect')
  })
  // The dialer starts once the first resync is over: a channel it created while the router
  // compared its handlers with an older channel list would be taken for gone.
  let offDialerGate: (() => void) | undefined = dialer
    ? d.telephony.events.onResync(async () => {
        offDialerGate?.()
        offDialerGate = undefined
        dialer.start()
      })
    : undefined

  return {
    acd,
    registry,
    router,
    dialer,
    async start() {
      await acd.start(d.loginAgents)
      await d.telephony.start()
      d.log.info({ app, engineId }, 'engine started')
    },
    async stop(opts = {}) {
      const drainMs = opts.drainMs ?? 0
      // No new campaign call; those still ringing get the drain time to end, then are hung up.
      offDialerGate?.()
      await dialer?.stop({ drainMs })
      if (drainMs > 0) {
        let timer: ReturnType<Clock['setTimeout']> | undefined
        await Promise.race([registry.drain(), new Promise<void>((r) => (timer = d.clock.setTimeout(r, drainMs)))])
        timer?.cancel()
      }
      await registry.close()
      await acd.stop()
      offResync()
      await d.telephony.stop()
      router.close()
      d.log.info('engine stopped')
    },
    async summary() {
      const acdSnap = await acd.snapshot()
      const phases = registry.countByPhase()
      const waiting: Record<string, number> = {}
      let longestWaitMs = 0
      for (const s of acdSnap.sections) {
        waiting[s.id] = s.waiting + s.offered
        longestWaitMs = Math.max(longestWaitMs, s.longestWaitMs)
      }
      const st = d.telephony.events.stats()
      return {
        at: d.clock.now(),
        calls: registry.size,
        inMenus: phases.ivr,
        waiting,
        longestWaitMs,
        talking: phases.connected,
        agents: acdSnap.agents,
        totals: { ...totals },
        flowOutcomes: { ...flowOutcomes },
        eventLag: { received: st.received, malformed: st.malformed, reconnects: st.reconnects },
      }
    },
  }
}
