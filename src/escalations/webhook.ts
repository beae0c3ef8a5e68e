/**
 * Delivers escalation changes from the store's outbox to the consultancy centre's webhook:
 * one POST per change, carrying the change's id as Idempotency-Key (a receiver that sees it
 * twice keeps one), per escalation in order, retried with exponential backoff (retryBaseMs,
 * doubling, at most retryMaxMs) for maxAttempts, then set aside in the store (kept, listed and
 * re-queueable) so that a change is never lost, however long the webhook is down. Delivery
 * state lives in the store, not here: a restarted engine carries on where it stopped.
 * Time comes from the Clock (tests drive the backoff with a SimClock); only the POST's own
 * timeout is real time. Logs carry ids and statuses, never the payload.
 */
import { createHmac } from 'node:crypto'
import { request } from 'undici'
import type { Clock, TimerHandle } from '../domain/clock.js'
import type { Escalation, EscalationChange, EscalationStore, OutboxItem } from '../domain/escalations.js'
import { errorMessage } from '../domain/errors.js'
import type { Logger } from '../domain/log.js'

export interface WebhookOptions {
  url: string
  /** When set, X-Centralino-Signature: sha256=<hex HMAC-SHA256 of the body>. */
  secret?: string
  maxAttempts: number
  retryBaseMs: number
  retryMaxMs: number
  timeoutMs: number
  /** How often the outbox is looked at (clock time); default 1000. */
  pollMs?: number
  /** Escalations delivered concurrently per pass; default 8. */
  batch?: number
  /** How long a claimed change is hidden from other engines' posters; default 4 x timeoutMs. */
  leaseMs?: number
}

export interface PostResult {
  status: number
}

/** Sends one request; rejects on network errors and timeouts. */
export type PostFn = (url: string, body: string, headers: Record<string, string>, timeoutMs: number) => Promise<PostResult>

export interface WebhookPosterDeps {
  store: EscalationStore
  clock: Clock
  log: Logger
  options: WebhookOptions
  post?: PostFn
}

export interface PassResult {
  delivered: number
  failed: number
  setAside: number
}

export interface WebhookPayload {
  /** = the change id, also sent as Idempotency-Key. */
  id: string
  type: 'escalation.created' | 'escalation.status_changed'
  occurredAt: string
  escalation: Record<string, unknown>
  change: Record<string, unknown>
}

/** Delay before attempt n+1 after n failed attempts (n >= 1): base x 2^(n-1), at most max. */
export function backoffDelay(failedAttempts: number, baseMs: number, maxMs: number): number {
  const n = Math.max(1, failedAttempts)
  return Math.min(maxMs, baseMs * 2 ** Math.min(n - 1, 40))
}

/** What is posted for a change: the escalation as it was right after it, and the change. */
export function webhookPayload(e: Escalation, c: EscalationChange): WebhookPayload {
  const { history: _history, ...rest } = e
  const escalation: Record<string, unknown> = { ...rest, status: c.to, version: c.seq, updatedAt: new Date(c.at).toISOString(), createdAt: new Date(e.createdAt).toISOString() }
  if (e.kind === 'appointment') escalation.startsAt = new Date(e.startsAt).toISOString()
  return {
    id: c.changeId,
    type: c.seq === 1 ? 'escalation.created' : 'escalation.status_changed',
    occurredAt: new Date(c.at).toISOString(),
    escalation,
    change: { seq: c.seq, at: new Date(c.at).toISOString(), by: c.by, from: c.from, to: c.to, ...(c.note ? { note: c.note } : {}) },
  }
}

export const undiciPost: PostFn = async (url, body, headers, timeoutMs) => {
  const res = await request(url, { method: 'POST', body, headers, headersTimeout: timeoutMs, bodyTimeout: timeoutMs })
  await res.body.dump()
  return { status: res.statusCode }
}

export class WebhookPoster {
  private readonly post: PostFn
  private timer: TimerHandle | undefined
  private running: Promise<void> | undefined
  private again = false
  private stopped = true

  constructor(private readonly d: WebhookPosterDeps) {
    this.post = d.post ?? undiciPost
  }

  /** Polls the outbox every pollMs until stop(). */
  start(): void {
    this.stopped = false
    this.kick()
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.timer?.cancel()
    this.timer = undefined
    await this.running
  }

  /** Resolves when the pass in progress (if any) is over. */
  async idle(): Promise<void> {
    await this.running
  }

  /** Looks at the outbox now (a change was just recorded). */
  kick(): void {
    if (this.stopped) return
    if (this.running) {
      this.again = true
      return
    }
    this.timer?.cancel()
    this.timer = undefined
    this.running = (async () => {
      do {
        this.again = false
        try {
          await this.drain()
        } catch (err) {
          this.d.log.error({ err }, 'escalation outbox pass failed')
        }
      } while (this.again && !this.stopped)
    })().finally(() => {
      this.running = undefined
      if (!this.stopped) this.timer = this.d.clock.setTimeout(() => this.kick(), this.d.options.pollMs ?? 1000)
    })
  }

  /** Passes until nothing more is due now. */
  async drain(): Promise<PassResult> {
    const total: PassResult = { delivered: 0, failed: 0, setAside: 0 }
    for (;;) {
      const r = await this.runOnce()
      total.delivered += r.delivered
      total.failed += r.failed
      total.setAside += r.setAside
      // A delivered (or set-aside) head makes the escalation's next change due at once.
      if (r.delivered + r.setAside === 0) return total
    }
  }

  /** One pass: claims what is due at clock.now() and tries each once. */
  async runOnce(): Promise<PassResult> {
    const o = this.d.options
    const now = this.d.clock.now()
    const items = await this.d.store.outbox.claimDue(now, o.batch ?? 8, o.leaseMs ?? 4 * o.timeoutMs)
    const results = await Promise.all(items.map((it) => this.deliver(it)))
    return {
      delivered: results.filter((r) => r === 'delivered').length,
      failed: results.filter((r) => r === 'failed').length,
      setAside: results.filter((r) => r === 'set_aside').length,
    }
  }

  private async deliver(item: OutboxItem): Promise<'delivered' | 'failed' | 'set_aside'> {
    const o = this.d.options
    const { outbox } = this.d.store
    const e = await this.d.store.get(item.escalationId)
    const change = e?.history.find((c) => c.seq === item.seq)
    if (!e || !change) {
      await outbox.setAside(item.escalationId, item.changeId, this.d.clock.now(), 'escalation or change not found')
      this.d.log.error({ escalationId: item.escalationId, changeId: item.changeId }, 'outbox change without its escalation; set aside')
      return 'set_aside'
    }
    const payload = webhookPayload(e, change)
    const body = JSON.stringify(payload)
    const attempt = item.attempts + 1
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'idempotency-key': item.changeId,
      'x-centralino-event': payload.type,
      'x-centralino-delivery-attempt': String(attempt),
    }
    if (o.secret) headers['x-centralino-signature'] = `sha256=${createHmac('sha256', o.secret).update(body).digest('hex')}`
    let error: string
    try {
      const res = await this.post(o.url, body, headers, o.timeoutMs)
      if (res.status >= 200 && res.status < 300) {
        await outbox.delivered(item.escalationId, item.changeId, this.d.clock.now())
        this.d.log.debug({ escalationId: item.escalationId, changeId: item.changeId, attempt }, 'escalation change delivered')
        return 'delivered'
      }
      error = `HTTP ${res.status}`
    } catch (err) {
      error = errorMessage(err)
    }
    const now = this.d.clock.now()
    if (attempt >= o.maxAttempts) {
      await outbox.setAside(item.escalationId, item.changeId, now, error)
      this.d.log.error({ escalationId: item.escalationId, changeId: item.changeId, attempts: attempt, error }, 'escalation change not delivered after every attempt; set aside for a retry by hand')
      return 'set_aside'
    }
    const delay = backoffDelay(attempt, o.retryBaseMs, o.retryMaxMs)
    await outbox.failed(item.escalationId, item.changeId, attempt, now + delay, error)
    this.d.log.warn({ escalationId: item.escalationId, changeId: item.changeId, attempt, retryInMs: delay, error }, 'escalation webhook failed; will retry')
    return 'failed'
  }
}
