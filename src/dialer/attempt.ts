/**
 * One outbound dial attempt, up to the moment its fate is known: the callee answered (the
 * channel is handed back, in the Stasis application, for the campaign to act on), or the call
 * ended unanswered (busy, no answer, failed, invalid), classified by outcome.ts from the Dial
 * events and the Q.850 causes.
 *
 * - Without AMD: create + dial (the channel enters Stasis at create, idle, then is dialed), so
 *   the Dial statuses and the real causes come (as recorded Asterisk 22 create + dial calls
 *   show). A final Dial failure (BUSY, CONGESTION...) is known at once: the channel is hung up then instead of
 *   waiting for the dial timeout, which would otherwise hold the trunk channel for nothing.
 * - With AMD: ARI cannot run AMD, so the call is an originate into the [centralino-amd] context,
 *   which runs AMD() and then Stasis(centralino,amd,STATUS,CAUSE). An originate into dialplan
 *   sends no events to the application before Stasis(), so the channel is subscribed to
 *   (applications/{app}/subscription channel:{id}) right after the originate: its Dial events
 *   and ChannelDestroyed say busy / no answer / failed. A channel gone before the subscription
 *   took (the callee refused within a few ms) is classified from what was seen: failed.
 * - A safety timer (ring time + detection + margin) ends an attempt whose events were lost.
 */
import type { AriEvent, Channel } from '../domain/ari-models.js'
import type { Clock } from '../domain/clock.js'
import { AppError, isNotFound } from '../domain/errors.js'
import type { Logger } from '../domain/log.js'
import type { Telephony } from '../domain/telephony.js'
import type { EventRouter } from '../calls/router.js'
import { DialTracker, dialStatusOutcome, type Classification } from './outcome.js'

/** AMD's longest analysis (total_analysis_time 5 s) and the latency of the hand-over. */
const AMD_MAX_MS = 6_000
const SAFETY_MARGIN_MS = 10_000

export interface AttemptDeps {
  telephony: Telephony
  router: EventRouter
  clock: Clock
  log: Logger
  /** The Stasis application (ari.app). */
  app: string
}

export interface AttemptParams {
  channelId: string
  /** The dial string (the campaign's trunk template with the number in it). */
  endpoint: string
  callerId: string
  ringSeconds: number
  amd: boolean
  /** Stasis arguments of a create + dial channel (the registry ignores 'dialer' channels). */
  appArgs: string[]
  variables?: Record<string, string>
}

export type AttemptEnd =
  | {
      kind: 'answered'
      channel: Channel
      /** So far: human/machine from AMD (or human without AMD); agentFree is decided by the caller. */
      classification: Classification
      tracker: DialTracker
      launchedAt: number
      answeredAt: number
    }
  | { kind: 'ended'; classification: Classification; tracker: DialTracker; launchedAt: number; endedAt: number }

export function placeAttempt(d: AttemptDeps, p: AttemptParams): Promise<AttemptEnd> {
  const { telephony, router, clock, log } = d
  const tracker = new DialTracker(p.channelId)
  const launchedAt = clock.now()
  return new Promise<AttemptEnd>((resolve) => {
    let done = false
    const offs: Array<() => void> = []
    const finish = (r: AttemptEnd) => {
      if (done) return
      done = true
      for (const off of offs) off()
      timer.cancel()
      resolve(r)
    }
    const ended = (why?: string) => {
      const c = tracker.classify()
      finish({ kind: 'ended', classification: why && c.detail === 'no dial status and no cause' ? { ...c, detail: why } : c, tracker, launchedAt, endedAt: clock.now() })
    }
    const hangup = () => telephony.channels.hangup(p.channelId).catch(() => undefined)
    const onEvent = (e: AriEvent) => {
      if (done) return
      tracker.observe(e)
      const ev = tracker.evidence
      if (p.amd) {
        if (e.type === 'StasisStart' && ev.amd) return finish({ kind: 'answered', channel: e.channel, classification: tracker.classify(), tracker, launchedAt, answeredAt: clock.now() })
      } else if (ev.answered && (e.type === 'Dial' || e.type === 'ChannelStateChange')) {
        const ch = e.type === 'Dial' ? e.peer : e.channel
        return finish({ kind: 'answered', channel: ch, classification: tracker.classify(), tracker, launchedAt, answeredAt: clock.now() })
      } else if (e.type === 'Dial' && ev.dialStatus && dialStatusOutcome(ev.dialStatus)) {
        // Known now (BUSY, CONGESTION...): free the channel rather than wait for the dial timeout.
        void hangup()
        return ended()
      }
      // create + dial: the channel entered Stasis at create, so StasisEnd comes before the cause; wait for ChannelDestroyed.
      if (p.amd ? tracker.ended : e.type === 'ChannelDestroyed' && e.channel.id === p.channelId) ended()
    }
    offs.push(router.onChannel(p.channelId, onEvent))
    offs.push(router.onChannel(`${p.channelId};2`, onEvent))
    const safetyMs = p.ringSeconds * 1000 + (p.amd ? AMD_MAX_MS : 0) + SAFETY_MARGIN_MS
    const timer = clock.setTimeout(() => {
      if (done) return
      log.warn({ channelId: p.channelId }, 'dial attempt outlived its ring time and detection: ending it')
      void hangup()
      ended('no end seen within the ring time')
    }, safetyMs)
    const failed = (err: unknown, what: string) => {
      if (done) return
      if (isNotFound(err) || (err instanceof AppError && err.code === 'ARI_HTTP')) {
        log.debug({ err }, `${what} refused`)
      } else log.warn({ err }, `${what} failed`)
      ended(`${what} refused: ${err instanceof AppError ? err.code : 'error'}`)
    }
    if (p.amd) {
      telephony.channels
        .originate({
          endpoint: p.endpoint,
          channelId: p.channelId,
          context: 'centralino-amd',
          extension: 's',
          priority: 1,
          callerId: p.callerId,
          timeoutSec: p.ringSeconds,
          ...(p.variables ? { variables: p.variables } : {}),
        })
        .then(
          () =>
            telephony.applications.subscribe(d.app, `channel:${p.channelId}`).then(
              () => undefined,
              // Gone before we could watch it (refused at once), or already in Stasis (answered): StasisStart tells the latter.
              () => {
                if (done || tracker.evidence.stasis) return
                return telephony.channels.get(p.channelId).then(
                  () => undefined,
                  () => ended('ended before it could be watched'),
                )
              },
            ),
          (err: unknown) => failed(err, 'originate'),
        )
    } else {
      telephony.channels
        .create({
          endpoint: p.endpoint,
          app: d.app,
          appArgs: p.appArgs,
          channelId: p.channelId,
          variables: { 'CALLERID(num)': callerNumber(p.callerId), ...(p.variables ?? {}) },
        })
        .then(() => (done ? undefined : telephony.channels.dial(p.channelId, { timeoutSec: p.ringSeconds })))
        .catch((err: unknown) => {
          void hangup()
          failed(err, 'create + dial')
        })
    }
  })
}

/** The number of a caller id ('"INPS" <803164>' → '803164'). */
export function callerNumber(callerId: string): string {
  const m = /<([^>]*)>/.exec(callerId)
  return (m ? m[1]! : callerId).trim()
}
