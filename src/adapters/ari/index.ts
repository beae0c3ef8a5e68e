/**
 * The Telephony port over ARI: createAriTelephony(opts) wires the HTTP pool (http.ts), one
 * module per capability (channels, bridges, playbacks, applications) and the events socket
 * (events.ts). Options are checked here (a bad URL or number is a CONFIG_INVALID error) and
 * the URL is normalised: with or without /ari, with or without a trailing slash.
 */
import { RealClock, type Clock } from '../../domain/clock.js'
import { AppError } from '../../domain/errors.js'
import { silentLogger, type Logger } from '../../domain/log.js'
import type { Telephony } from '../../domain/telephony.js'
import { createApplicationsApi } from './applications.js'
import { backoffProblem, DEFAULT_BACKOFF } from './backoff.js'
import { createBridgesApi } from './bridges.js'
import { createChannelsApi } from './channels.js'
import { AriEventSocket } from './events.js'
import { AriHttp } from './http.js'
import { createPlaybacksApi } from './playbacks.js'

export { isNotFound, ariStatus, type AriHttpErrorDetails } from './http.js'
export { AriEventSocket } from './events.js'

export interface AriOptions {
  /** e.g. http://127.0.0.1:8088 (with or without /ari). */
  url: string
  username: string
  password: string
  /** Stasis application name, e.g. 'centralino'. */
  app: string
  logger?: Logger
  /** Keep-alive pool size, default 8 (Asterisk's listen backlog is 10: stay under). */
  connections?: number
  /** Deadline of one HTTP request, queueing included; default 5000. */
  requestTimeoutMs?: number
  /**
   * Events-socket reconnect backoff: default 250 / 10000 / 0.5, forever. The attempt count
   * resets once a connection stayed open stableMs (default 5000).
   */
  reconnect?: { minMs?: number; maxMs?: number; jitter?: number; stableMs?: number }
  /** Default 5000. */
  pingIntervalMs?: number
  /** Default 5000: no pong within it -> terminate and reconnect. */
  pongTimeoutMs?: number
  /** For tests of the backoff; default Math.random. */
  random?: () => number
  /** Ask Asterisk for every event of every channel, bridge and endpoint (observers only). */
  subscribeAll?: boolean
  /** Timers (request deadlines, backoff, ping); default RealClock. */
  clock?: Clock
  /** Observes every ARI request: method, path, status (0: no reply), duration (ms). */
  onRequest?: (method: string, path: string, status: number, ms: number) => void
}

export interface AriTelephony extends Telephony {
  readonly events: AriEventSocket
}

/** The listen backlog of Asterisk's HTTP server (main/tcptls.c). */
const ASTERISK_LISTEN_BACKLOG = 10

export interface AriEndpoints {
  origin: string
  basePath: string
  eventsUrl: string
}

/** Splits the configured URL into the HTTP origin, the /ari base path and the events URL. */
export function ariEndpoints(url: string, app: string, subscribeAll: boolean): AriEndpoints {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    throw new AppError('CONFIG_INVALID', `ARI url is not a URL: ${url}`)
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new AppError('CONFIG_INVALID', `ARI url must be http:// or https://, got ${u.protocol}`)
  }
  let basePath = u.pathname.replace(/\/+$/, '')
  if (!/\/ari$/i.test(basePath)) basePath += '/ari'
  const wsProto = u.protocol === 'https:' ? 'wss:' : 'ws:'
  const query = `app=${encodeURIComponent(app)}&subscribeAll=${subscribeAll ? 'true' : 'false'}`
  return { origin: u.origin, basePath, eventsUrl: `${wsProto}//${u.host}${basePath}/events?${query}` }
}

function positive(name: string, v: number | undefined, dflt: number, integer = false): number {
  if (v === undefined) return dflt
  if (!Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) {
    throw new AppError('CONFIG_INVALID', `ARI option ${name} must be a ${integer ? 'whole ' : ''}number > 0, got ${v}`)
  }
  return v
}

export function createAriTelephony(opts: AriOptions): AriTelephony {
  if (!opts.app) throw new AppError('CONFIG_INVALID', 'ARI option app (the Stasis application name) is required')
  if (!opts.username) throw new AppError('CONFIG_INVALID', 'ARI option username is required')
  const logger = (opts.logger ?? silentLogger()).child({ component: 'ari' })
  const clock = opts.clock ?? new RealClock()
  const { origin, basePath, eventsUrl } = ariEndpoints(opts.url, opts.app, opts.subscribeAll === true)
  const connections = positive('connections', opts.connections, 8, true)
  if (connections >= ASTERISK_LISTEN_BACKLOG) {
    logger.warn({ connections }, `ARI pool of ${connections} connections reaches Asterisk's listen backlog (${ASTERISK_LISTEN_BACKLOG}); bursts may stall`)
  }
  const requestTimeoutMs = positive('requestTimeoutMs', opts.requestTimeoutMs, 5_000)
  const backoff = {
    minMs: opts.reconnect?.minMs ?? DEFAULT_BACKOFF.minMs,
    maxMs: opts.reconnect?.maxMs ?? DEFAULT_BACKOFF.maxMs,
    jitter: opts.reconnect?.jitter ?? DEFAULT_BACKOFF.jitter,
    stableMs: positive('reconnect.stableMs', opts.reconnect?.stableMs, 5_000),
  }
  const problem = backoffProblem(backoff)
  if (problem) throw new AppError('CONFIG_INVALID', `ARI option ${problem}`)
  const pingIntervalMs = positive('pingIntervalMs', opts.pingIntervalMs, 5_000)
  const pongTimeoutMs = positive('pongTimeoutMs', opts.pongTimeoutMs, 5_000)

  const http = new AriHttp({ origin, basePath, username: opts.username, password: opts.password, connections, requestTimeoutMs, clock, logger, ...(opts.onRequest ? { onRequest: opts.onRequest } : {}) })
  const events = new AriEventSocket({
    url: eventsUrl,
    app: opts.app,
    username: opts.username,
    password: opts.password,
    logger,
    clock,
    backoff,
    pingIntervalMs,
    pongTimeoutMs,
    handshakeTimeoutMs: requestTimeoutMs,
    random: opts.random ?? Math.random,
  })

  return {
    app: opts.app,
    channels: createChannelsApi(http),
    bridges: createBridgesApi(http),
    playbacks: createPlaybacksApi(http),
    applications: createApplicationsApi(http),
    events,
    start: () => events.start(),
    stop: async () => {
      await events.stop()
      await http.close()
    },
  }
}
