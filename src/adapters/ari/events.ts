/**
 * The ARI events WebSocket (/ari/events?app=...): connects with Basic auth, reconnects forever
 * with jittered exponential backoff (reset once a connection stayed open stableMs), checks
 * liveness with ping/pong (no pong in time -> terminate -> reconnect), validates every frame
 * (validate.ts) and hands known events to EventDelivery, which runs the resync handlers after
 * every reconnect before delivering. A 401 before the first open fails start(); an
 * ApplicationReplaced stops the socket for good (docs/decisions/0001-ari-client.md).
 */
import WebSocket from 'ws'
import type { AriEvent } from '../../domain/ari-models.js'
import type { Clock, TimerHandle } from '../../domain/clock.js'
import { AppError } from '../../domain/errors.js'
import type { Logger } from '../../domain/log.js'
import { redactText } from '../../domain/redact.js'
import type { ConnectionState, EventStream, EventStreamStats } from '../../domain/telephony.js'
import { backoffDelay, type BackoffOptions } from './backoff.js'
import { EventDelivery } from './delivery.js'
import { startLiveness, type Liveness } from './liveness.js'
import { parseAriTimestamp, parseFrame } from './validate.js'

export interface EventSocketOptions {
  /** ws:// or wss:// URL of /ari/events with app and subscribeAll in the query. */
  url: string
  app: string
  username: string
  password: string
  logger: Logger
  clock: Clock
  backoff: BackoffOptions & { stableMs: number }
  pingIntervalMs: number
  pongTimeoutMs: number
  handshakeTimeoutMs: number
  random: () => number
}

/** How long stop() waits for the close handshake before cutting the socket. */
const CLOSE_GRACE_MS = 1_000

export class AriEventSocket implements EventStream {
  private readonly delivery: EventDelivery
  private readonly stateHandlers = new Set<(s: ConnectionState) => void>()
  private readonly counters: EventStreamStats = { received: 0, malformed: 0, unknown: 0, reconnects: 0, lastLagMs: 0 }
  private current: ConnectionState = 'closed'
  private ws: WebSocket | undefined
  private attempt = 0
  private everOpened = false
  private openedAt: number | undefined
  private stopped = false
  private wasReplaced = false
  private startPromise: Promise<void> | undefined
  private startWaiter: { resolve(): void; reject(e: unknown): void } | undefined
  private stopping: Promise<void> | undefined
  private reconnectTimer: TimerHandle | undefined
  private liveness: Liveness | undefined
  private readonly authorization: string

  constructor(private readonly o: EventSocketOptions) {
    this.delivery = new EventDelivery(o.logger)
    this.authorization = 'Basic ' + Buffer.from(`${o.username}:${o.password}`).toString('base64')
  }

  onEvent(handler: (e: AriEvent) => void): () => void {
    return this.delivery.onEvent(handler)
  }

  onResync(handler: () => Promise<void>): () => void {
    return this.delivery.onResync(handler)
  }

  onStateChange(handler: (s: ConnectionState) => void): () => void {
    const box = (s: ConnectionState) => handler(s)
    this.stateHandlers.add(box)
    return () => this.stateHandlers.delete(box)
  }

  state(): ConnectionState {
    return this.current
  }

  stats(): EventStreamStats {
    return { ...this.counters }
  }

  /** True once another process took the Stasis application (ApplicationReplaced). */
  replaced(): boolean {
    return this.wasReplaced
  }

  /** True while resync handlers run after a reconnect and events are held back. */
  resyncing(): boolean {
    return this.delivery.isResyncing()
  }

  /** Connects; resolves on the first open, rejects on 401 or when stopped first. */
  start(): Promise<void> {
    if (this.startPromise) return this.startPromise
    if (this.stopped) return Promise.reject(new AppError('ARI_UNAVAILABLE', 'the ARI events socket was stopped'))
    this.startPromise = new Promise<void>((resolve, reject) => {
      this.startWaiter = { resolve, reject }
    })
    this.connect()
    return this.startPromise
  }

  /** Closes the socket; nothing reconnects afterwards. Calling it again waits for the same close. */
  stop(): Promise<void> {
    this.stopping ??= this.close()
    return this.stopping
  }

  private async close(): Promise<void> {
    this.stopped = true
    this.cancelTimers()
    this.delivery.dispose()
    this.settleStart(new AppError('ARI_UNAVAILABLE', 'the ARI events socket was stopped before it opened'))
    const ws = this.ws
    if (ws && ws.readyState !== WebSocket.CLOSED) {
      const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()))
      if (ws.readyState === WebSocket.OPEN) {
        ws.close(1000, 'engine stopping')
        const cut = this.o.clock.setTimeout(() => ws.terminate(), CLOSE_GRACE_MS)
        await closed
        cut.cancel()
      } else {
        ws.terminate()
        await closed
      }
    }
    this.ws = undefined
    this.setState('closed')
  }

  private connect(): void {
    this.reconnectTimer = undefined
    if (this.stopped || this.wasReplaced) return
    this.setState('connecting')
    const ws = new WebSocket(this.o.url, {
      headers: { authorization: this.authorization },
      handshakeTimeout: this.o.handshakeTimeoutMs,
      perMessageDeflate: false,
    })
    this.ws = ws
    let refusedStatus: number | undefined
    let lastError: Error | undefined
    ws.on('unexpected-response', (_req, res) => {
      refusedStatus = res.statusCode
      res.resume()
      ws.terminate()
    })
    ws.on('open', () => this.onOpen(ws))
    ws.on('message', (data) => this.onMessage(ws, data))
    ws.on('pong', () => {
      if (ws === this.ws) this.liveness?.pong()
    })
    ws.on('error', (err) => {
      lastError = err
    })
    ws.on('close', (code, reason) => this.onClose(ws, { code, reason: reason.toString(), refusedStatus, error: lastError }))
  }

  private onOpen(ws: WebSocket): void {
    if (ws !== this.ws || this.stopped) return
    this.openedAt = this.o.clock.now()
    const reconnect = this.everOpened
    this.everOpened = true
    // Resync on every open, the first included: after a reconnect it recovers what this engine
    // missed; on the first open it finds the calls a previous incarnation left in the
    // application (crash, restart, standby taking over). Buffer from now on: no frame of this
    // socket can arrive before 'open' returns.
    void this.delivery.resync()
    if (reconnect) {
      this.counters.reconnects++
      this.o.logger.warn({ app: this.o.app, reconnects: this.counters.reconnects }, 'ARI events socket reconnected; resyncing')
    } else {
      this.o.logger.info({ app: this.o.app }, 'ARI events socket open')
    }
    this.setState('open')
    this.liveness = startLiveness(
      { ping: () => ws.ping(), isOpen: () => ws.readyState === WebSocket.OPEN },
      this.o.clock,
      this.o.pingIntervalMs,
      this.o.pongTimeoutMs,
      () => {
        this.o.logger.warn({ app: this.o.app, pongTimeoutMs: this.o.pongTimeoutMs }, 'no pong from Asterisk; dropping the events socket')
        ws.terminate()
      },
    )
    this.settleStart()
  }

  private onMessage(ws: WebSocket, data: WebSocket.RawData): void {
    if (ws !== this.ws || this.stopped) return
    this.counters.received++
    const text = Array.isArray(data)
      ? Buffer.concat(data).toString('utf8')
      : Buffer.isBuffer(data)
        ? data.toString('utf8')
        : Buffer.from(data).toString('utf8')
    const r = parseFrame(text)
    if (r.kind === 'malformed') {
      this.counters.malformed++
      this.o.logger.warn({ reason: redactText(r.reason), frame: redactText(text.slice(0, 300)) }, 'malformed ARI event ignored')
      return
    }
    if (r.kind === 'unknown') {
      this.counters.unknown++
      this.o.logger.debug({ type: r.type }, 'ARI event type not handled')
      return
    }
    const at = parseAriTimestamp(r.event.timestamp)
    if (at !== undefined) this.counters.lastLagMs = this.o.clock.now() - at
    if (r.event.type === 'ApplicationReplaced') {
      this.onReplaced(ws, r.event)
      return
    }
    this.delivery.push(r.event)
  }

  /**
   * Another socket registered our application: Asterisk sends it everything from now on and
   * this socket gets nothing more. Reconnecting would take the app back and make the other
   * engine do the same, forever; so this socket stands down and the engine is told.
   */
  private onReplaced(ws: WebSocket, e: AriEvent): void {
    this.wasReplaced = true
    this.o.logger.error(
      { app: this.o.app },
      'ARI application taken over by another connection (ApplicationReplaced); events socket closed, not reconnecting',
    )
    this.delivery.push(e)
    this.cancelTimers()
    ws.close(1000, 'application replaced')
  }

  private onClose(ws: WebSocket, c: { code: number; reason: string; refusedStatus?: number; error?: Error }): void {
    if (ws !== this.ws) return
    this.ws = undefined
    this.cancelTimers()
    if (this.stopped) return
    if (this.wasReplaced) {
      this.setState('closed')
      return
    }
    const now = this.o.clock.now()
    if (this.openedAt !== undefined && now - this.openedAt >= this.o.backoff.stableMs) this.attempt = 0
    const wasOpen = this.openedAt !== undefined
    this.openedAt = undefined
    if (c.refusedStatus === 401) {
      const err = new AppError(
        'ARI_HTTP',
        `ARI refused the credentials of user "${this.o.username}" on the events socket (401): check the ARI username and password`,
        { status: 401, body: null, method: 'GET', path: '/events' },
      )
      if (!this.everOpened) {
        this.o.logger.error({ app: this.o.app }, err.message)
        this.settleStart(err)
        this.stopped = true
        this.setState('closed')
        return
      }
      this.o.logger.error({ app: this.o.app }, `${err.message}; retrying`)
    } else if (wasOpen) {
      this.o.logger.warn({ app: this.o.app, code: c.code, reason: c.reason }, 'ARI events socket closed; reconnecting')
    } else {
      const why = c.refusedStatus !== undefined ? `HTTP ${c.refusedStatus}` : (c.error?.message ?? `close ${c.code}`)
      this.o.logger.warn({ app: this.o.app, attempt: this.attempt + 1, why }, 'ARI events socket could not connect; retrying')
    }
    this.setState('connecting')
    const delay = backoffDelay(this.attempt++, this.o.backoff, this.o.random)
    this.reconnectTimer = this.o.clock.setTimeout(() => this.connect(), delay)
  }

  private cancelTimers(): void {
    this.reconnectTimer?.cancel()
    this.reconnectTimer = undefined
    this.liveness?.stop()
    this.liveness = undefined
  }

  private settleStart(err?: unknown): void {
    const w = this.startWaiter
    if (!w) return
    this.startWaiter = undefined
    if (err === undefined) w.resolve()
    else w.reject(err)
  }

  private setState(s: ConnectionState): void {
    if (s === this.current) return
    this.current = s
    for (const h of [...this.stateHandlers]) {
      try {
        h(s)
      } catch (err) {
        this.o.logger.error({ err }, 'ARI connection-state handler failed')
      }
    }
  }
}
