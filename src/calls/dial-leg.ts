/**
 * Rings an outgoing leg (an agent's phone, an external number) with create + dial, which
 * gives real Dial statuses and Q.850 causes, and resolves once the outcome is known:
 * answered (the caller of this function then owns the channel), no answer (busy, congestion,
 * unanswered, rejected, gone: the channel is hung up), or the caller gone (aborted).
 */
import { AppError } from '../domain/errors.js'
import type { Clock } from '../domain/clock.js'
import type { Logger } from '../domain/log.js'
import type { Telephony } from '../domain/telephony.js'
import type { EventRouter } from './router.js'

export type LegResult =
  | { kind: 'answered'; channelId: string }
  | { kind: 'no_answer'; cause?: number; status?: string }
  | { kind: 'caller_gone' }
  | { kind: 'failed'; reason: string }

export interface DialLegParams {
  endpoint: string
  channelId: string
  app: string
  appArgs: string[]
  timeoutSec: number
  /** Channel whose caller id the dialed party sees. */
  callerChannelId?: string
  signal: AbortSignal
}

export interface LegDeps {
  telephony: Telephony
  router: EventRouter
  clock: Clock
  log: Logger
}

const FAIL_STATUSES: Record<string, number> = { BUSY: 17, CONGESTION: 34, NOANSWER: 19, CHANUNAVAIL: 20, CANCEL: 16, DONTCALL: 21, TORTURE: 21, INVALIDARGS: 0 }

export function dialLeg(d: LegDeps, p: DialLegParams): Promise<LegResult> {
  const { telephony, router, clock, log } = d
  return new Promise<LegResult>((resolve) => {
    let done = false
    const hangup = () =>
      telephony.channels.hangup(p.channelId).catch(() => {
        /* already gone */
      })
    const finish = (r: LegResult) => {
      if (done) return
      done = true
      off()
      timer.cancel()
      p.signal.removeEventListener('abort', onAbort)
      if (r.kind !== 'answered') void hangup()
      resolve(r)
    }
    const off = router.onChannel(p.channelId, (e) => {
      switch (e.type) {
        case 'Dial':
          if (e.dialstatus === 'ANSWER') finish({ kind: 'answered', channelId: p.channelId })
          else if (e.dialstatus in FAIL_STATUSES) finish({ kind: 'no_answer', cause: FAIL_STATUSES[e.dialstatus], status: e.dialstatus })
          return
        case 'ChannelStateChange':
          if (e.channel.state === 'Up') finish({ kind: 'answered', channelId: p.channelId })
          return
        case 'ChannelHangupRequest':
        case 'StasisEnd':
        case 'ChannelDestroyed':
          finish({ kind: 'no_answer', cause: 'cause' in e ? e.cause : undefined })
          return
      }
    })
    // A little beyond Asterisk's own dial timeout, in case its hangup event is lost.
    const timer = clock.setTimeout(() => finish({ kind: 'no_answer', cause: 19, status: 'NOANSWER' }), (p.timeoutSec + 3) * 1000)
    const onAbort = () => finish({ kind: 'caller_gone' })
    p.signal.addEventListener('abort', onAbort, { once: true })
    if (p.signal.aborted) return onAbort()
    telephony.channels
      .create({ endpoint: p.endpoint, app: p.app, appArgs: p.appArgs, channelId: p.channelId })
      .then(() => (done ? undefined : telephony.channels.dial(p.channelId, { timeoutSec: p.timeoutSec, caller: p.callerChannelId })))
      .catch((err: unknown) => {
        log.warn({ err, endpoint: p.endpoint }, 'could not ring leg')
        const reason = err instanceof AppError ? `${err.code}: ${err.message}` : String(err)
        finish({ kind: 'failed', reason })
      })
  })
}
