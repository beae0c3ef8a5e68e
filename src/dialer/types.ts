/** What the dialer service and its campaign runners are built from (wired in src/app.ts). */
import type { AcdService } from '../acd/service.js'
import type { FlowRun, StartFlowParams } from '../calls/flow-run.js'
import type { SessionRegistry } from '../calls/registry.js'
import type { EventRouter } from '../calls/router.js'
import type { DialOutcome } from '../domain/campaign.js'
import type { CampaignStore } from '../domain/campaign-store.js'
import type { Clock } from '../domain/clock.js'
import type { NewCallEvent } from '../domain/events.js'
import type { Logger } from '../domain/log.js'
import type { Store } from '../domain/store.js'
import type { Telephony } from '../domain/telephony.js'

export interface DialerOptions {
  /** Pacing period of each campaign (default 1000 ms; a call's end also triggers a decision). */
  tickMs?: number
  /** How often the store is read for campaigns started or stopped elsewhere (default 1000 ms). */
  pollMs?: number
  /** Contact lock lease (default 5 min; renewed while the call rings). */
  leaseMs?: number
  /** Lapsed locks released and own locks renewed this often (default 30 s). */
  housekeepingMs?: number
}

export interface DialerDeps {
  campaigns: CampaignStore
  store: Store
  acd: AcdService
  registry: SessionRegistry
  telephony: Telephony
  router: EventRouter
  clock: Clock
  log: Logger
  emit(e: NewCallEvent): void
  engineId: string
  /** The Stasis application. */
  app: string
  startFlow(flowId: string, p: StartFlowParams): FlowRun
  tickMs: number
  leaseMs: number
  housekeepingMs: number
  /** Observer of every recorded attempt (benchmarks, tests). */
  onAttempt?(campaignId: string, outcome: DialOutcome): void
}
