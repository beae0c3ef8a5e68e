/**
 * The citizen's side of a live call on a real Asterisk, without SIP phones: the test has its
 * own Stasis application ('live-caller') and originates Local/<number>@from-trunk into it. The
 * ;1 half is the caller's handset (the test answers nothing, it waits for Up, sends DTMF and
 * hangs up); the ;2 half runs the from-trunk dialplan into Stasis(centralino,...), i.e. it is
 * the channel the engine drives. The caller app subscribes to that ;2 channel too, so the test
 * sees the prompts the engine plays to it (PlaybackStarted with the media URI).
 */
import { randomUUID } from 'node:crypto'
import WebSocket from 'ws'

export interface LiveEnv {
  url: string
  user: string
  password: string
}

export const LIVE_URL_VAR = 'CENTRALINO_LIVE_ARI_URL'

/** The live settings, or undefined when CENTRALINO_LIVE_ARI_URL is not set. */
export function liveEnv(): LiveEnv | undefined {
  const url = process.env[LIVE_URL_VAR]
  if (!url) return undefined
  return {
    url: url.replace(/\/+$/, '').replace(/\/ari$/i, ''),
    user: process.env.CENTRALINO_LIVE_ARI_USER ?? 'engine',
    password: process.env.CENTRALINO_LIVE_ARI_PASSWORD ?? 'engine',
  }
}

export const SKIP_MESSAGE = `live Asterisk tests: set ${LIVE_URL_VAR} (e.g. http://127.0.0.1:8088; CENTRALINO_LIVE_ARI_USER/PASSWORD default engine/engine) to run them`

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AriJson = any

export interface AriEventRecord {
  type: string
  [k: string]: AriJson
}

export class AriRestError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    what: string,
  ) {
    super(`${what} -> ${status} ${body}`)
  }
}

/** Plain REST and an events socket on one Stasis application. */
export class AriClient {
  readonly events: AriEventRecord[] = []
  private readonly listeners = new Set<(e: AriEventRecord) => void>()
  private ws: WebSocket | undefined
  private readonly auth: string

  constructor(
    readonly env: LiveEnv,
    readonly app: string,
  ) {
    this.auth = 'Basic ' + Buffer.from(`${env.user}:${env.password}`).toString('base64')
  }

  async connect(): Promise<void> {
    const wsUrl = `${this.env.url.replace(/^http/, 'ws')}/ari/events?app=${encodeURIComponent(this.app)}&subscribeAll=false`
    const ws = new WebSocket(wsUrl, { headers: { authorization: this.auth } })
    this.ws = ws
    ws.on('message', (data) => {
      const e = JSON.parse(String(data)) as AriEventRecord
      this.events.push(e)
      for (const l of [...this.listeners]) l(e)
    })
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve())
      ws.once('error', reject)
    })
  }

  async rest(method: string, path: string, query: Record<string, string | number | undefined> = {}, body?: unknown): Promise<AriJson> {
    const q = new URLSearchParams()
    for (const [k, v] of Object.entries(query)) if (v !== undefined) q.set(k, String(v))
    const qs = q.toString()
    const res = await fetch(`${this.env.url}/ari${path}${qs ? `?${qs}` : ''}`, {
      method,
      headers: { authorization: this.auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    if (!res.ok) throw new AriRestError(res.status, text, `${method} ${path}`)
    return text ? JSON.parse(text) : undefined
  }

  /** Resolves with the first event (already received or to come) matching pred. */
  waitEvent(pred: (e: AriEventRecord) => boolean, timeoutMs: number, what: string, fromIndex = 0): Promise<AriEventRecord> {
    const seen = this.events.slice(fromIndex).find(pred)
    if (seen) return Promise.resolve(seen)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(l)
        reject(new Error(`timed out (${timeoutMs} ms) waiting for ${what}`))
      }, timeoutMs)
      const l = (e: AriEventRecord) => {
        if (!pred(e)) return
        clearTimeout(timer)
        this.listeners.delete(l)
        resolve(e)
      }
      this.listeners.add(l)
    })
  }

  /** Calls l with every event from now on; returns the unsubscribe. */
  onEvent(l: (e: AriEventRecord) => void): () => void {
    this.listeners.add(l)
    return () => this.listeners.delete(l)
  }

  async close(): Promise<void> {
    const ws = this.ws
    if (!ws || ws.readyState === WebSocket.CLOSED) return
    await new Promise<void>((resolve) => {
      ws.once('close', () => resolve())
      ws.close()
    })
  }
}

export interface PlaceCallOptions {
  to: string
  from: string
}

/** One citizen calling in; see the module comment. */
export class LiveCall {
  /** The media URIs played to the engine's channel, in order of PlaybackStarted. */
  readonly heard: string[] = []
  readonly playbacks: AriEventRecord[] = []
  /** What happened to the call, for failure messages: playback events, DTMF, hangups. */
  readonly trace: string[] = []
  /** The caller's handset leg (Local ;1, in the live-caller app). */
  readonly handsetId: string
  /** The channel the engine drives (Local ;2), i.e. the engine's call id. */
  readonly channelId: string
  private readonly start: number

  constructor(
    private readonly c: AriClient,
    ids: { handset: string; engine: string },
  ) {
    this.handsetId = ids.handset
    this.channelId = ids.engine
    this.start = c.events.length
  }

  private ofMine(e: AriEventRecord, id: string): boolean {
    return e.channel?.id === id || e.playback?.target_uri === `channel:${id}`
  }

  track(): void {
    const t0 = Date.now()
    const look = (e: AriEventRecord) => {
      const onEngine = this.ofMine(e, this.channelId)
      if (!onEngine && !this.ofMine(e, this.handsetId)) return
      const detail = e.playback
        ? `${e.playback.id} ${e.playback.media_uri}${e.playback.next_media_uri ? ` next=${e.playback.next_media_uri}` : ''} ${e.playback.state}`
        : (e.digit ?? e.channel?.state ?? '')
      this.trace.push(`+${Date.now() - t0}ms ${onEngine ? 'engine' : 'handset'} ${e.type} ${detail}`)
      if (e.type === 'PlaybackStarted' && onEngine) {
        this.playbacks.push(e)
        this.heard.push(String(e.playback.media_uri))
      }
    }
    for (const e of this.c.events.slice(this.start)) look(e)
    this.c.onEvent(look)
  }

  /** Waits until the engine plays the catalogue prompt `id` to this caller. */
  heardPrompt(id: string, timeoutMs = 30_000): Promise<AriEventRecord> {
    return this.c.waitEvent(
      (e) => e.type === 'PlaybackStarted' && e.playback?.target_uri === `channel:${this.channelId}` && String(e.playback.media_uri).endsWith(`centralino/${id}`),
      timeoutMs,
      `prompt ${id} (heard so far: ${this.heard.join(', ') || 'nothing'})`,
      this.start,
    )
  }

  /** The handset is answered (the engine answered its channel) and sits in live-caller. */
  answered(timeoutMs = 20_000): Promise<AriEventRecord> {
    return this.c.waitEvent((e) => e.type === 'StasisStart' && e.channel?.id === this.handsetId, timeoutMs, 'the call answered (StasisStart of the handset)', this.start)
  }

  /** Resolves with the ChannelDestroyed of the handset (cause and cause_txt). */
  ended(timeoutMs = 30_000): Promise<AriEventRecord> {
    return this.c.waitEvent((e) => e.type === 'ChannelDestroyed' && this.ofMine(e, this.handsetId), timeoutMs, 'the handset hung up', this.start)
  }

  dtmf(digits: string, betweenMs = 100): Promise<void> {
    return this.c.rest('POST', `/channels/${this.handsetId}/dtmf`, { dtmf: digits, between: betweenMs })
  }

  async hangup(): Promise<void> {
    await this.c.rest('DELETE', `/channels/${this.handsetId}`).catch((e: unknown) => {
      if (!(e instanceof AriRestError && e.status === 404)) throw e
    })
  }
}

/** The caller application: connects 'live-caller' and places calls into the dialplan. */
export class LiveCaller {
  readonly client: AriClient

  constructor(env: LiveEnv, app = 'live-caller') {
    this.client = new AriClient(env, app)
  }

  connect(): Promise<void> {
    return this.client.connect()
  }

  async placeCall(o: PlaceCallOptions): Promise<LiveCall> {
    const ids = { handset: `live-${randomUUID()}`, engine: `live-${randomUUID()}` }
    const call = new LiveCall(this.client, ids)
    await this.client.rest('POST', '/channels', {
      endpoint: `Local/${o.to}@from-trunk`,
      app: this.client.app,
      callerId: `"Citizen" <${o.from}>`,
      channelId: ids.handset,
      otherChannelId: ids.engine,
      timeout: 30,
    })
    // Watch the engine's half too (its playbacks): subscribe before the engine answers it.
    await this.client.rest('POST', `/applications/${this.client.app}/subscription`, { eventSource: `channel:${ids.engine}` })
    call.track()
    return call
  }

  close(): Promise<void> {
    return this.client.close()
  }
}
