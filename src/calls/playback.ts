/**
 * Plays media to a channel and resolves when Asterisk says the playback finished.
 * The handler is registered before the request (events can arrive before the HTTP reply);
 * an abort stops the playback (DELETE /playbacks/{id}); a failed request or a missing sound
 * resolves 'failed' rather than throwing, so a bad prompt never blocks a caller.
 */
import { isNotFound } from '../domain/errors.js'
import type { Logger } from '../domain/log.js'
import { mediaUri, type MediaItem } from '../domain/media.js'
import type { Telephony } from '../domain/telephony.js'
import type { EventRouter } from './router.js'

export type PlayResult = 'done' | 'failed' | 'stopped'

/**
 * Abort reason of an engine handing its calls over: local waiting stops, but the playback in
 * Asterisk is left to finish (the next engine waits for it instead of cutting it short).
 */
export const HANDOVER = 'engine stopping: handed over'

export interface PlayTarget {
  telephony: Telephony
  router: EventRouter
  log: Logger
}

export function playToChannel(
  t: PlayTarget,
  channelId: string,
  items: MediaItem[],
  lang: string,
  playbackId: string,
  signal?: AbortSignal,
): Promise<PlayResult> {
  if (items.length === 0) return Promise.resolve('done')
  return followPlayback(t, playbackId, signal, (finish) =>
    t.telephony.channels.play(channelId, { media: items.map(mediaUri), lang, playbackId }).then(
      (pb) => {
        if (pb.state === 'failed' || pb.state === 'done') finish(pb.state === 'failed' ? 'failed' : 'done')
      },
      (err) => {
        t.log.warn({ err, playbackId }, 'play request failed')
        finish('failed')
      },
    ),
  )
}

/**
 * Waits for a playback started earlier (by this engine before a restart): resolves when it
 * finishes, at once 'done' when Asterisk no longer has it. Never starts anything, so a resumed
 * call never hears a prompt twice.
 */
export function awaitPlayback(t: PlayTarget, playbackId: string, signal?: AbortSignal): Promise<PlayResult> {
  return followPlayback(t, playbackId, signal, (finish) =>
    t.telephony.playbacks.get(playbackId).then(
      (pb) => {
        if (pb.state === 'failed' || pb.state === 'done') finish(pb.state === 'failed' ? 'failed' : 'done')
      },
      (err) => finish(isNotFound(err) ? 'done' : 'failed'),
    ),
  )
}

/**
 * Resolves with how the playback ended: PlaybackFinished (the handler is registered before
 * `kick` sends its request, since events can arrive before the HTTP reply), what `kick` learns
 * from Asterisk, or an abort (which stops the playback).
 */
function followPlayback(t: PlayTarget, playbackId: string, signal: AbortSignal | undefined, kick: (finish: (r: PlayResult) => void) => Promise<void>): Promise<PlayResult> {
  if (signal?.aborted) return Promise.resolve('stopped')
  return new Promise<PlayResult>((resolve) => {
    let settled = false
    const finish = (r: PlayResult) => {
      if (settled) return
      settled = true
      off()
      signal?.removeEventListener('abort', onAbort)
      resolve(r)
    }
    const off = t.router.onPlayback(playbackId, (e) => {
      if (e.type === 'PlaybackFinished') finish(e.playback.state === 'failed' ? 'failed' : 'done')
    })
    const onAbort = () => {
      finish('stopped')
      if (signal?.reason === HANDOVER) return
      t.telephony.playbacks.stop(playbackId).catch(() => {
        /* already finished or channel gone: nothing to stop */
      })
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    void kick(finish)
  })
}
