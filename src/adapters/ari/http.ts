/**
 * The ARI HTTP client: one bounded keep-alive undici Pool per Asterisk, Basic auth, query
 * strings as ARI reads them (lists joined with commas), JSON bodies, one deadline per request,
 * and every failure turned into an AppError: ARI_HTTP (status, body, method, path),
 * ARI_TIMEOUT or ARI_UNAVAILABLE. Retry rule (docs/decisions/0001-ari-client.md): only a GET
 * whose connection was reset before a reply is sent again, once; nothing else is retried.
 */
import { Pool } from 'undici'
import { AppError, isAppError } from '../../domain/errors.js'
import type { Clock } from '../../domain/clock.js'
import type { Logger } from '../../domain/log.js'

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE'
export type QueryValue = string | number | boolean | readonly string[] | undefined
export type Query = Record<string, QueryValue>

export interface AriRequest {
  method: HttpMethod
  /** Path below /ari, with every id segment already encoded (use `ariPath`). */
  path: string
  query?: Query
  /** Sent as JSON with content-type application/json. */
  body?: unknown
}

export interface AriHttpOptions {
  /** Origin only, e.g. http://127.0.0.1:8088 */
  origin: string
  /** Path prefix up to and including /ari, e.g. /ari */
  basePath: string
  username: string
  password: string
  connections: number
  requestTimeoutMs: number
  clock: Clock
  logger: Logger
  /** Called once per request with its outcome (HTTP status, or 0 when no reply came) and duration: metrics. */
  onRequest?: (method: string, path: string, status: number, ms: number) => void
}

/** Details carried by every ARI_HTTP error. */
export interface AriHttpErrorDetails {
  status: number
  body: unknown
  method: HttpMethod
  path: string
}

/** Socket-level failures after which a GET is sent once more (the reply never came). */
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET'])

/** Builds '/a/b/c' from segments, percent-encoding each (so `;2` of a Local leg becomes %3B2). */
export function ariPath(...segments: string[]): string {
  return '/' + segments.map((s) => encodeURIComponent(s)).join('/')
}

/** Query string in ARI's conventions: undefined skipped, lists joined with commas. */
export function encodeQuery(q: Query | undefined): string {
  if (!q) return ''
  const parts: string[] = []
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined) continue
    const s = Array.isArray(v) ? v.join(',') : String(v)
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(s)}`)
  }
  return parts.length ? `?${parts.join('&')}` : ''
}

/** The HTTP status of an ARI_HTTP error, or undefined. */
export function ariStatus(e: unknown): number | undefined {
  if (!isAppError(e, 'ARI_HTTP')) return undefined
  const d = e.details as Partial<AriHttpErrorDetails> | undefined
  return typeof d?.status === 'number' ? d.status : undefined
}

export function isNotFound(e: unknown): boolean {
  return ariStatus(e) === 404
}

/** The message Asterisk gave: body.message, else body.error, else the text (an HTML page's title). */
export function errorText(body: unknown, text: string, status: number): string {
  if (body && typeof body === 'object') {
    const b = body as { message?: unknown; error?: unknown }
    if (typeof b.message === 'string' && b.message) return b.message
    if (typeof b.error === 'string' && b.error) return b.error
  }
  const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1]
  const plain = (title ?? text.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim()
  return plain ? plain.slice(0, 200) : `HTTP ${status}`
}

export class AriHttp {
  private readonly pool: Pool
  private readonly auth: string
  private closed = false

  constructor(private readonly o: AriHttpOptions) {
    this.pool = new Pool(o.origin, {
      connections: o.connections,
      pipelining: 1,
      // Below Asterisk's session_keep_alive (15 s): we drop an idle socket before Asterisk
      // does, so a request is not written into a connection the server is closing.
      keepAliveTimeout: 10_000,
      keepAliveMaxTimeout: 10_000,
      // Our own deadline (below) is the one that counts; these only stop undici's defaults (300 s).
      headersTimeout: o.requestTimeoutMs + 1_000,
      bodyTimeout: o.requestTimeoutMs + 1_000,
      connect: { timeout: o.requestTimeoutMs },
    })
    this.auth = 'Basic ' + Buffer.from(`${o.username}:${o.password}`).toString('base64')
  }

  /** Sends one request; resolves the parsed JSON reply, or undefined for an empty one (204). */
  async request<T = unknown>(r: AriRequest): Promise<T | undefined> {
    if (this.closed) throw new AppError('ARI_UNAVAILABLE', 'ARI client is stopped', { method: r.method, path: r.path })
    const controller = new AbortController()
    let timedOut = false
    const timer = this.o.clock.setTimeout(() => {
      timedOut = true
      controller.abort()
    }, this.o.requestTimeoutMs)
    const started = this.o.clock.now()
    let status = 0
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          const reply = await this.once<T>(r, controller.signal)
          status = 200
          return reply
        } catch (e) {
          status = ariStatus(e) ?? 0
          if (timedOut) {
            throw new AppError('ARI_TIMEOUT', `ARI ${r.method} ${r.path} got no reply within ${this.o.requestTimeoutMs} ms`, {
              method: r.method,
              path: r.path,
              timeoutMs: this.o.requestTimeoutMs,
            })
          }
          if (isAppError(e)) throw e
          const code = socketCode(e)
          if (r.method === 'GET' && attempt === 0 && code && RESET_CODES.has(code) && !this.closed) {
            this.o.logger.debug({ path: r.path, code }, 'ARI GET retried after a connection reset')
            continue
          }
          throw new AppError(
            'ARI_UNAVAILABLE',
            `ARI ${r.method} ${r.path} failed: ${this.closed ? 'client stopped' : (code ?? errMessage(e))}`,
            { method: r.method, path: r.path, code },
            { cause: e },
          )
        }
      }
    } finally {
      timer.cancel()
      const ms = this.o.clock.now() - started
      this.o.logger.trace({ method: r.method, path: r.path, ms }, 'ARI request')
      this.o.onRequest?.(r.method, r.path, status, ms)
    }
  }

  private async once<T>(r: AriRequest, signal: AbortSignal): Promise<T | undefined> {
    const headers: Record<string, string> = { authorization: this.auth, accept: 'application/json' }
    let body: string | undefined
    if (r.body !== undefined) {
      body = JSON.stringify(r.body)
      headers['content-type'] = 'application/json'
    }
    const res = await this.pool.request({
      method: r.method,
      path: this.o.basePath + r.path + encodeQuery(r.query),
      headers,
      body,
      signal,
    })
    const text = await res.body.text()
    const status = res.statusCode
    let parsed: unknown = undefined
    let parseFailed = false
    if (text.length > 0) {
      try {
        parsed = JSON.parse(text)
      } catch {
        parseFailed = true
      }
    }
    if (status >= 200 && status < 300) {
      if (parseFailed) {
        throw new AppError('ARI_HTTP', 'ARI reply is not valid JSON', { status, body: text.slice(0, 500), method: r.method, path: r.path })
      }
      return parsed as T | undefined
    }
    const errBody = parseFailed ? text : (parsed ?? null)
    const details: AriHttpErrorDetails = { status, body: errBody, method: r.method, path: r.path }
    throw new AppError('ARI_HTTP', errorText(parsed, text, status), details)
  }

  /** Closes the pool: lets requests in flight finish for up to graceMs, then aborts them. */
  async close(graceMs = 1_000): Promise<void> {
    if (this.closed) return
    this.closed = true
    let timer: ReturnType<Clock['setTimeout']> | undefined
    const grace = new Promise<'late'>((resolve) => {
      timer = this.o.clock.setTimeout(() => resolve('late'), graceMs)
    })
    const outcome = await Promise.race([this.pool.close().then(() => 'closed' as const), grace])
    timer?.cancel()
    if (outcome === 'late') await this.pool.destroy().catch(() => undefined)
  }
}

function socketCode(e: unknown): string | undefined {
  if (!e || typeof e !== 'object') return undefined
  const c = (e as { code?: unknown }).code
  if (typeof c === 'string') return c
  const inner = (e as { errors?: unknown[]; cause?: unknown }).errors?.[0] ?? (e as { cause?: unknown }).cause
  return inner && inner !== e ? socketCode(inner) : undefined
}

function errMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}
