/**
 * The whole engine against a REAL Asterisk (opt-in: CENTRALINO_LIVE_ARI_URL). Like
 * test/integration/harness.ts but with telephony 'ari': bootEngine on a copy of config/ whose
 * agents ring Local/<id>@live-agents (a context of the test Asterisk that answers and waits),
 * the embedded back office, the in-memory store whose event log the tests read, a clock at
 * real speed set in office hours, and the caller application (ari-caller.ts) placing calls.
 *
 * Optionally the engine reaches Asterisk through a TCP proxy (proxy: true) that can cut the
 * events WebSocket, as a network failure would, while leaving the REST connections alone.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startEmbeddedBackOffice, type EmbeddedBackOffice } from '../../src/boot/backoffice.js'
import { bootEngine, type Engine } from '../../src/boot/engine.js'
import { parseEngineConfig, type EngineConfig } from '../../src/config/engine.js'
import { ScaledClock } from '../../src/domain/clock.js'
import type { CallEvent, CallEventType } from '../../src/domain/events.js'
import { createLogger } from '../../src/domain/log.js'
import type { Store } from '../../src/domain/store.js'
import { createMemoryStore } from '../../src/adapters/memory/store.js'
import { officeMorning } from '../../src/demo/office-hours.js'
import { waitUntil } from '../helpers/async.js'
import { AriClient, LiveCaller, type AriJson, type LiveEnv } from './ari-caller.js'

const ROOT = path.resolve(import.meta.dirname, '../..')

/** The dialplan context of the test Asterisk where agents' Local channels are answered. */
export const AGENTS_CONTEXT = 'live-agents'

/** That context, to add to the test Asterisk's extensions.conf (asterisk-config/README.md). */
export const LIVE_AGENTS_DIALPLAN = `
[${AGENTS_CONTEXT}]
exten => _[a-z].,1,Answer()
 same => n,Wait(600)
 same => n,Hangup()
`

export interface LiveHarness {
  engine: Engine
  store: Store
  backOffice: EmbeddedBackOffice
  caller: LiveCaller
  /** REST on the real Asterisk (the caller app's credentials). */
  ari: AriClient
  proxy?: EventsProxy
  events(): Promise<CallEvent[]>
  eventsOf(callId: string): Promise<CallEvent[]>
  waitEvent<T extends CallEventType>(callId: string, type: T, pred?: (e: Extract<CallEvent, { type: T }>) => boolean, timeoutMs?: number): Promise<Extract<CallEvent, { type: T }>>
  /** The bridges of Asterisk that hold this channel. */
  bridgesOf(channelId: string): Promise<AriJson[]>
  close(): Promise<void>
}

/** Agents' endpoints rewritten to Local channels into the answering context. */
export function liveSections(yaml: string): string {
  return yaml.replace(/endpoint:\s*PJSIP\/([A-Za-z0-9_-]+)/g, `endpoint: Local/$1@${AGENTS_CONTEXT}`)
}

/** Channels of the live tests (ours, or the engine's agent legs into live-agents). */
const isTestChannel = (c: AriJson) => String(c.id).startsWith('live-') || String(c.name).includes(`@${AGENTS_CONTEXT}-`) || String(c.name).includes('@from-trunk-')

/** Hangs up whatever a live test left on the test Asterisk. */
export async function hangupTestChannels(ari: AriClient): Promise<number> {
  const channels = (await ari.rest('GET', '/channels')) as AriJson[]
  const mine = channels.filter(isTestChannel)
  await Promise.all(mine.map((c) => ari.rest('DELETE', `/channels/${c.id}`).catch(() => undefined)))
  return mine.length
}

export async function startLiveHarness(env: LiveEnv, o: { proxy?: boolean; http?: Partial<EngineConfig['http']> } = {}): Promise<LiveHarness> {
  const dir = mkdtempSync(path.join(tmpdir(), 'centralino-live-'))
  cpSync(path.join(ROOT, 'config'), path.join(dir, 'config'), { recursive: true })
  cpSync(path.join(ROOT, 'prompts/catalogue.yaml'), path.join(dir, 'prompts/catalogue.yaml'))
  const sectionsFile = path.join(dir, 'config/sections.yaml')
  writeFileSync(sectionsFile, liveSections(readFileSync(sectionsFile, 'utf8')))

  const ari = new AriClient(env, 'live-caller')
  await hangupTestChannels(ari)

  const proxy = o.proxy ? await startEventsProxy(env.url) : undefined
  const backOffice = await startEmbeddedBackOffice()
  const r = parseEngineConfig(undefined, 'defaults', {})
  const config = {
    ...r.config,
    // The engine's HTTP API on a free loopback port (as test/integration/harness.ts does).
    http: { ...r.config.http, ...o.http, port: 0, host: '127.0.0.1' },
    telephony: 'ari' as const,
    ari: { ...r.config.ari, url: proxy?.url ?? env.url, username: env.user, password: env.password },
    backOffice: { ...r.config.backOffice, baseUrl: backOffice.url },
  }
  const store = createMemoryStore()
  const log = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' })
  const engine = await bootEngine({
    config,
    log,
    // Real speed (prompts really play), in office hours so the queues are open.
    clock: new ScaledClock(1, officeMorning(Date.now())),
    store,
    cwd: dir,
    loginAgents: true,
    watchFlows: false,
  })
  const caller = new LiveCaller(env)
  await caller.connect()

  const events = () => store.events.read()
  const eventsOf = async (callId: string) => (await events()).filter((e) => e.callId === callId)
  return {
    engine,
    store,
    backOffice,
    caller,
    ari,
    proxy,
    events,
    eventsOf,
    async waitEvent(callId, type, pred, timeoutMs = 30_000) {
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
    async bridgesOf(channelId) {
      const bridges = (await ari.rest('GET', '/bridges')) as AriJson[]
      return bridges.filter((b) => (b.channels as string[]).includes(channelId))
    },
    async close() {
      await engine.stop()
      await caller.close()
      await hangupTestChannels(ari)
      await backOffice.close()
      await proxy?.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export interface EventsProxy {
  url: string
  /** Cuts every open events WebSocket connection (both ways), as a network failure would. */
  dropEventSockets(): number
  /**
   * Black-holes every open events WebSocket connection: nothing more passes either way, but
   * neither side is told (a half-open connection). Asterisk keeps the application active and
   * its calls keep entering Stasis; the engine finds out by its ping getting no pong.
   */
  stallEventSockets(): number
  close(): Promise<void>
}

/**
 * A TCP proxy to Asterisk's HTTP server that knows which of its connections carry the
 * events WebSocket (the first request line is GET .../events), so a test can cut just those.
 */
export async function startEventsProxy(target: string): Promise<EventsProxy> {
  const t = new URL(target)
  const open = new Map<Socket, { upstream: Socket; events: boolean; stalled: boolean }>()
  const server = createServer((client) => {
    const upstream = createConnection({ host: t.hostname, port: Number(t.port || 80) })
    const entry = { upstream, events: false, stalled: false }
    open.set(client, entry)
    let first = true
    const end = () => {
      client.destroy()
      upstream.destroy()
      open.delete(client)
    }
    client.on('data', (d) => {
      if (first) {
        first = false
        entry.events = /^GET [^ ]*\/events[? ]/.test(d.toString('latin1', 0, Math.min(d.length, 512)))
      }
      if (!entry.stalled) upstream.write(d)
    })
    upstream.on('data', (d) => {
      if (!entry.stalled) client.write(d)
    })
    client.on('close', end).on('error', end)
    upstream.on('close', end).on('error', end)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    dropEventSockets() {
      let n = 0
      for (const [client, e] of [...open]) {
        if (!e.events) continue
        n++
        client.destroy()
        e.upstream.destroy()
        open.delete(client)
      }
      return n
    },
    stallEventSockets() {
      let n = 0
      for (const e of open.values()) {
        if (!e.events || e.stalled) continue
        e.stalled = true
        n++
      }
      return n
    },
    async close() {
      for (const [client, e] of open) {
        client.destroy()
        e.upstream.destroy()
      }
      await new Promise((r) => server.close(r))
    },
  }
}
