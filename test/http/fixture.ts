/**
 * An HTTP API over the in-memory stores with a simulated clock, for fastify.inject tests:
 * three agents (op1, op2 in operators; op3 in pensions), tokens per role, an ARI events
 * state the test can flip, the dispatch calls counted, and an in-memory campaign store
 * (campaigns may name the sections operators and pensions, and the flow national).
 */
import type { Test } from 'tap'
import { createMemoryEscalationStore } from '../../src/adapters/memory/escalations.js'
import { createMemoryStore } from '../../src/adapters/memory/store.js'
import { createMemoryCampaignStore } from '../../src/adapters/memory/campaigns.js'
import type { CampaignStore } from '../../src/domain/campaign-store.js'
import { SimClock } from '../../src/domain/clock.js'
import type { EscalationStore } from '../../src/domain/escalations.js'
import { silentLogger } from '../../src/domain/log.js'
import type { Store } from '../../src/domain/store.js'
import type { ConnectionState } from '../../src/domain/telephony.js'
import { EscalationService } from '../../src/escalations/service.js'
import { DEMO_PASSWORD_HASH, tokenAuthenticator, type Principal } from '../../src/http/auth.js'
import { buildHttpServer, type HttpServer } from '../../src/http/server.js'
import { LiveHub } from '../../src/http/live.js'
import { createMemoryAuditLog } from '../../src/adapters/memory/audit.js'
import { LoginService } from '../../src/http/login.js'
import type { AuditLog } from '../../src/domain/audit.js'
import { EngineMetrics } from '../../src/http/metrics.js'
import type { CallControl, LiveCall } from '../../src/calls/control.js'
import { agentRec } from '../helpers/acd-fixtures.js'
import { testFlows, type TestFlows } from './flows-fixture.js'
import { configFixture, type ConfigFixture } from './config-fixture.js'
import type { DeskSettings } from '../../src/http/routes/desk.js'

export const TOKENS: Record<string, Principal> = {
  'tok-supervisor': { user: 'sup', role: 'supervisor' },
  'tok-viewer': { user: 'view', role: 'viewer' },
  'tok-manager': { user: 'mgr', role: 'campaign_manager' },
  'tok-op1': { user: 'op1', role: 'agent', agentId: 'op1' },
  'tok-op2': { user: 'op2', role: 'agent', agentId: 'op2' },
}

export const auth = (token: string) => ({ authorization: `Bearer ${token}` })

/** A valid campaign definition (the API's POST body) on the operators section. */
export const campaignDefinition = (id = 'info', extra: Record<string, unknown> = {}) => ({
  id,
  name: 'Informativa',
  mode: 'predictive',
  section: 'operators',
  callerId: '+390659051',
  trunk: 'Local/{number}@callees',
  ...extra,
})

/** A fake of the engine's live calls: c-1 is op1's call, c-2 op2's; transfers are recorded. */
export function fakeCalls(): CallControl & { requests: Array<{ callId: string } & Record<string, unknown>> } {
  const calls: LiveCall[] = [
    { callId: 'c-1', phase: 'connected', startedAt: 0, caller: '+*********567', section: 'operators', agentId: 'op1', trail: ['welcome', 'main'], collected: [] },
    { callId: 'c-2', phase: 'connected', startedAt: 0, section: 'operators', agentId: 'op2' },
  ]
  const requests: Array<{ callId: string } & Record<string, unknown>> = []
  const known = (callId: string) => calls.some((c) => c.callId === callId)
  const result = (callId: string) => (known(callId) ? ({ ok: true } as const) : ({ ok: false, code: 'NOT_FOUND', message: 'no such call on this engine' } as const))
  return {
    requests,
    list: () => calls,
    get: (id) => calls.find((c) => c.callId === id),
    transfer: async (callId, r) => (requests.push({ callId, ...r }), r.section === 'busy' ? { ok: false, code: 'NO_AGENT', message: 'no agent of busy is free' } : result(callId)),
    transferExternal: async (callId, number, by) => (requests.push({ callId, number, by }), result(callId)),
    completeConsult: async (callId) => (requests.push({ callId, op: 'complete' }), result(callId)),
    cancelConsult: async (callId) => (requests.push({ callId, op: 'cancel' }), result(callId)),
    hangup: async (callId, by) => (requests.push({ callId, op: 'hangup', by }), result(callId)),
    given: (callId): Record<string, string> | undefined => (callId === 'c-1' ? { request_number: '12345678' } : known(callId) ? {} : undefined),
  }
}

export interface Api {
  app: HttpServer
  calls: ReturnType<typeof fakeCalls>
  store: Store
  escalations: EscalationStore
  clock: SimClock
  dispatches: { count: number }
  ari: { state: ConnectionState }
  /** Campaigns and the opt-out register (in memory, on the simulated clock). */
  campaigns: CampaignStore
  audit: AuditLog
  /** The flows behind /api/flows (a temporary copy of config/flows: flows-fixture.ts). */
  flows: TestFlows
  /** The sections file behind /api/sections, the agents' profiles and /api/callbacks (config-fixture.ts). */
  config: ConfigFixture
}

export async function startApi(t: Test, o: { docs?: boolean; uploadLimitBytes?: number; desk?: DeskSettings } = {}): Promise<Api> {
  const store = createMemoryStore()
  const escalations = createMemoryEscalationStore()
  const clock = new SimClock()
  const log = silentLogger()
  await store.agents.upsert(agentRec('op1', ['operators'], { state: 'logged_out', since: clock.now(), idleSince: clock.now() }))
  await store.agents.upsert(agentRec('op2', ['operators'], { state: 'ready', since: clock.now(), idleSince: clock.now() }))
  await store.agents.upsert(agentRec('op3', ['pensions'], { state: 'on_call', callId: 'c-1', since: clock.now(), idleSince: clock.now() }))
  const dispatches = { count: 0 }
  const ari = { state: 'open' as ConnectionState }
  const calls = fakeCalls()
  const campaigns = createMemoryCampaignStore(clock)
  const audit = createMemoryAuditLog()
  const logins = new LoginService({ users: { alice: { role: 'supervisor', password: DEMO_PASSWORD_HASH }, bob: { role: 'agent', agentId: 'op1', password: DEMO_PASSWORD_HASH } }, clock })
  const config = configFixture()
  const flows = await testFlows(t, clock)
  const app = await buildHttpServer({
    flows: flows.registry,
    configuration: { control: config.control, store },
    campaigns: { store: campaigns, flows: () => flows.registry.ids(), ...(o.uploadLimitBytes !== undefined ? { uploadLimitBytes: o.uploadLimitBytes } : {}) },
    calls,
    desk: o.desk ?? { pauseReasons: ['break', 'lunch'], webrtc: { wsUrl: '' } },
    log,
    clock,
    store,
    dispatch: () => dispatches.count++,
    sections: [{ id: 'operators' }, { id: 'pensions', serviceLevel: { withinSec: 30 } }],
    ariEvents: { state: () => ari.state },
    escalations: { service: new EscalationService({ store: escalations, clock, log }), store: escalations },
    auth: logins.authenticator(tokenAuthenticator(TOKENS)),
    logins,
    docs: o.docs ?? false,
    metrics: new EngineMetrics({ calls: () => ({ ivr: 1 }) }),
    live: new LiveHub({ clock, read: async () => ({ 'calls.ivr': 1 }) }),
    audit,
  })
  t.teardown(() => app.close())
  return { app, calls, store, escalations, clock, dispatches, ari, campaigns, audit, config, flows }
}
