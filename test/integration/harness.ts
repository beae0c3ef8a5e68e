/**
 * The whole engine against the simulator over real HTTP and WebSocket: bootEngine on a copy
 * of the example configuration (so a test may rewrite flows), the in-memory store whose event
 * log the tests read, and a clock running `factor` times faster than real time, starting in
 * office hours so the queues are open.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { bootEngine, type Engine } from '../../src/boot/engine.js'
import { parseEngineConfig } from '../../src/config/engine.js'
import { ScaledClock, type Clock } from '../../src/domain/clock.js'
import type { CallEvent, CallEventType } from '../../src/domain/events.js'
import { createLogger } from '../../src/domain/log.js'
import type { Store } from '../../src/domain/store.js'
import { createMemoryStore } from '../../src/adapters/memory/store.js'
import { officeMorning } from '../../src/demo/office-hours.js'
import type { CallerStep, PhoneResolver, Simulator } from '../../src/sim/types.js'
import type { Telephony } from '../../src/domain/telephony.js'
import { waitUntil } from '../helpers/async.js'

const ROOT = path.resolve(import.meta.dirname, '../..')

export interface Harness {
  engine: Engine
  store: Store
  dir: string
  clock: Clock
  events(): Promise<CallEvent[]>
  eventsOf(callId: string): Promise<CallEvent[]>
  /** Waits (real time) for an event of this call matching type (and pred). */
  waitEvent<T extends CallEventType>(callId: string, type: T, pred?: (e: Extract<CallEvent, { type: T }>) => boolean, timeoutMs?: number): Promise<Extract<CallEvent, { type: T }>>
  close(): Promise<void>
}

export interface HarnessOptions {
  factor?: number
  phones?: PhoneResolver
  /** Drive this (already running) simulator over ARI instead of starting an embedded one. */
  sim?: Simulator
  store?: Store
  clock?: Clock
  wrapTelephony?: (t: Telephony) => Telephony
  engineId?: string
  lease?: { ttlMs: number }
  peerDispatchMs?: number
}

export async function startHarness(o: HarnessOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(path.join(tmpdir(), 'centralino-it-'))
  cpSync(path.join(ROOT, 'config'), path.join(dir, 'config'), { recursive: true })
  cpSync(path.join(ROOT, 'prompts/catalogue.yaml'), path.join(dir, 'prompts/catalogue.yaml'))
  const r = parseEngineConfig(undefined, 'defaults', {})
  const base = { ...r.config, http: { ...r.config.http, port: 0, host: '127.0.0.1' } }
  const config = o.sim
    ? { ...base, telephony: 'ari' as const, ari: { ...r.config.ari, url: o.sim.url } }
    : { ...base, telephony: 'simulator' as const, simulator: { port: 0, speed: 1 } }
  const clock = o.clock ?? new ScaledClock(o.factor ?? 10, officeMorning(Date.now()))
  const store = o.store ?? createMemoryStore()
  const log = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' })
  const engine = await bootEngine({
    config,
    log,
    clock,
    store,
    cwd: dir,
    phones: o.phones ?? (() => ({ answerAfterMs: 1000 })),
    loginAgents: true,
    wrapTelephony: o.wrapTelephony,
    engineId: o.engineId,
    lease: o.lease,
    peerDispatchMs: o.peerDispatchMs,
  })
  if (o.sim) (engine as { sim?: Simulator }).sim = o.sim
  const events = () => store.events.read()
  const eventsOf = async (callId: string) => (await events()).filter((e) => e.callId === callId)
  return {
    engine,
    store,
    dir,
    clock,
    events,
    eventsOf,
    async waitEvent(callId, type, pred, timeoutMs = 20_000) {
      let found: CallEvent | undefined
      const look = async () => {
        found = (await eventsOf(callId)).find((e) => e.type === type && (!pred || pred(e as never)))
        return found !== undefined
      }
      try {
        await waitUntil(look, timeoutMs, `${type} for call ${callId}`)
      } catch (err) {
        const got = (await eventsOf(callId)).map((e) => e.type).join(', ')
        throw new Error(`${(err as Error).message}; its events: ${got || 'none'}`)
      }
      return found as never
    },
    async close() {
      await engine.stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Waits for a prompt of the catalogue to start on the caller's channel. */
export const heard = (id: string, timeoutMs = 60_000): CallerStep => ({ waitFor: 'playback', media: new RegExp(`centralino/${id}$`), timeoutMs })
