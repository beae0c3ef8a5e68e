/**
 * The whole engine with its dialer against the simulator over real HTTP and WebSocket, for
 * the dialer's integration tests: a copy of the example configuration, the memory stores (or
 * those given), a ScaledClock starting Monday 23 November 2026 at 10:05 in Rome, trunk callees
 * from a callee model (numbers pinned per test), agents answering in 200 ms (auto-answer), and
 * every ARI event the engine receives kept with the engine clock time it arrived.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createMemoryStore } from '../../src/adapters/memory/store.js'
import { createMemoryCampaignStore } from '../../src/adapters/memory/campaigns.js'
import { bootEngine, type Engine } from '../../src/boot/engine.js'
import { parseEngineConfig } from '../../src/config/engine.js'
import type { AriEvent } from '../../src/domain/ari-models.js'
import type { CampaignConfig } from '../../src/domain/campaign.js'
import type { CampaignStore, NewContact } from '../../src/domain/campaign-store.js'
import { ScaledClock, type Clock } from '../../src/domain/clock.js'
import { createLogger } from '../../src/domain/log.js'
import type { Store } from '../../src/domain/store.js'
import { DEFAULT_RETRIES } from '../../src/dialer/retry.js'
import { calleeModel, type CalleeModel } from '../../src/sim/callees.js'
import type { Simulator } from '../../src/sim/types.js'

const ROOT = path.resolve(import.meta.dirname, '../..')

/** Monday 23 November 2026, 10:05 in Rome (09:05 UTC). */
export const MONDAY_10_05 = Date.UTC(2026, 10, 23, 9, 5, 0)

export interface DialerHarness {
  engine: Engine
  store: Store
  campaigns: CampaignStore
  callees: CalleeModel
  clock: Clock
  /** ARI events received by the engine, with the engine clock time of arrival. */
  ari: Array<{ at: number; e: AriEvent }>
  close(): Promise<void>
}

export interface DialerHarnessOptions {
  factor?: number
  start?: number
  store?: Store
  campaigns?: CampaignStore
  sim?: Simulator
  engineId?: string
  seed?: number
  clock?: Clock
}

export async function startDialerHarness(o: DialerHarnessOptions = {}): Promise<DialerHarness> {
  const dir = mkdtempSync(path.join(tmpdir(), 'centralino-dialer-'))
  cpSync(path.join(ROOT, 'config'), path.join(dir, 'config'), { recursive: true })
  cpSync(path.join(ROOT, 'prompts/catalogue.yaml'), path.join(dir, 'prompts/catalogue.yaml'))
  const r = parseEngineConfig(undefined, 'defaults', {})
  const base = { ...r.config, http: { ...r.config.http, port: 0, host: '127.0.0.1' } }
  const config = o.sim ? { ...base, telephony: 'ari' as const, ari: { ...r.config.ari, url: o.sim.url } } : { ...base, telephony: 'simulator' as const, simulator: { port: 0, speed: 1 } }
  const clock = o.clock ?? new ScaledClock(o.factor ?? 4, o.start ?? MONDAY_10_05)
  const store = o.store ?? createMemoryStore()
  const campaigns = o.campaigns ?? createMemoryCampaignStore(clock)
  const callees = calleeModel({ busy: 0, noAnswer: 0, machine: 0, ringMs: [1000, 1000], talkMs: [4000, 4000] }, o.seed ?? 1, () => ({ answerAfterMs: 200 }))
  const ari: DialerHarness['ari'] = []
  const engine = await bootEngine({
    config,
    log: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    clock,
    store,
    cwd: dir,
    phones: callees.resolver,
    loginAgents: true,
    engineId: o.engineId,
    campaigns,
    dialer: { tickMs: 500, pollMs: 500 },
    wrapTelephony: (t) => {
      t.events.onEvent((e) => ari.push({ at: clock.now(), e }))
      return t
    },
  })
  return {
    engine,
    store,
    campaigns,
    callees,
    clock,
    ari,
    async close() {
      await engine.stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** A campaign with every field set: windows all day every day unless given, short retries. */
export function campaign(over: Partial<CampaignConfig> & Pick<CampaignConfig, 'id' | 'mode'>): CampaignConfig {
  const allDay = ['00:00-24:00']
  return {
    name: over.id,
    section: 'contributions',
    windows: { days: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay }, holidays: 'none', timezone: 'Europe/Rome' },
    retries: { ...DEFAULT_RETRIES },
    maxAttempts: 5,
    abandonCeiling: 0.03,
    abandonWindowMs: 24 * 3600_000,
    ringSeconds: 15,
    onMachine: 'hangup',
    callerId: '+390659051',
    trunk: 'PJSIP/{number}@trunk',
    maxChannels: 30,
    maxCallsPerSecond: 10,
    abandonedCooldownMs: 5 * 86_400_000,
    ...over,
  }
}

export function contacts(numbers: string[]): NewContact[] {
  return numbers.map((n, i) => ({ id: n, number: n, fields: {}, lines: [i + 2] }))
}

/** Puts the campaign with its contacts in the store and starts it. */
export async function runCampaign(h: DialerHarness, c: CampaignConfig, numbers: string[]): Promise<void> {
  await h.campaigns.put(c, h.clock.now())
  await h.campaigns.addContacts(c.id, contacts(numbers))
  await h.campaigns.setStatus(c.id, 'running', h.clock.now())
  h.engine.app.dialer?.kick()
}
