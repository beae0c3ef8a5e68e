/**
 * ARI playbacks (res_stasis_playback): one playback plays its media list in order in the
 * channel's (or the bridge announcer's) command queue. Each media raises PlaybackStarted,
 * then PlaybackContinuing (more media follow) or PlaybackFinished "done"/"failed" (missing
 * sound). Stop: a queued playback is cancelled (Finished "done" when its turn comes), a
 * playing sound/tone ends "done" at once, number:/digits: cannot be stopped (500).
 */
import type { Sim } from './core.js'
import type { App } from './apps.js'
import type { Channel } from './model/channel.js'
import { setSpeaking } from './model/local-pair.js'
import { controllable, mediaLength } from './sounds.js'
import type { Command } from './stasis.js'

export type PlaybackState = 'queued' | 'playing' | 'continuing' | 'done' | 'failed'

export interface PlaybackTarget {
  /** Apps that get this playback's events. */
  recipients(): Iterable<App>
  /** Channels that hear it (for simulated callers). */
  hearers(): Channel[]
  /** The channel whose audio it is (AMD on its far end hears voice), if any. */
  speaker?: Channel
}

/**
 * Registers a playback under its id. Asterisk does not refuse a playback id already in use
 * (no 409): its container allows duplicates and a lookup finds the oldest still there.
 */
export function registerPlayback(sim: Sim, pb: Playback): void {
  const first = sim.playbacks.get(pb.id)
  if (first) first.later.push(pb)
  else sim.playbacks.set(pb.id, pb)
}

export class Playback {
  state: PlaybackState = 'queued'
  /** Younger playbacks given the same id, found once this one is gone. */
  later: Playback[] = []
  index = 0
  canceled = false
  private timer: { cancel(): void } | undefined
  private finishMedia: ((how: 'stopped' | 'hangup') => void) | undefined

  constructor(
    private readonly sim: Sim,
    readonly id: string,
    readonly medias: string[],
    readonly targetUri: string,
    readonly language: string,
    readonly target: PlaybackTarget,
  ) {}

  json(): string {
    const next = this.medias[this.index + 1]
    const o: Record<string, string> = { id: this.id, media_uri: this.medias[this.index] ?? '' }
    if (next !== undefined) o.next_media_uri = next
    o.target_uri = this.targetUri
    o.language = this.language
    o.state = this.state === 'continuing' ? 'continuing' : this.state
    return JSON.stringify(o)
  }

  private publish(): void {
    const type = this.state === 'playing' ? 'PlaybackStarted' : this.state === 'continuing' ? 'PlaybackContinuing' : 'PlaybackFinished'
    this.sim.bus.playback(type, this.json(), this.target.recipients())
  }

  private remove(): void {
    const first = this.sim.playbacks.get(this.id)
    if (first !== this) {
      if (first) first.later = first.later.filter((p) => p !== this)
      return
    }
    const next = this.later.shift()
    if (!next) {
      this.sim.playbacks.delete(this.id)
      return
    }
    next.later = this.later
    this.later = []
    this.sim.playbacks.set(this.id, next)
  }

  /**
   * The channel left `bridge`: a channel playback that started while it was in that bridge
   * (Asterisk plays it as a bridge-channel action) ends there, "done", before
   * ChannelLeftBridge; one started outside the bridge plays on. Seen live (test/live/parity).
   */
  leftBridge(bridge: unknown): void {
    if (this.state === 'playing' && this.startedIn !== undefined && this.startedIn === bridge) this.finishMedia?.('stopped')
  }

  /** The bridge the target channel was in when the current media started. */
  private startedIn: unknown

  /** DELETE /playbacks/{id}: 'ok' or 'failed' (cannot stop this media). */
  stop(): 'ok' | 'failed' {
    if (this.state === 'queued') {
      this.canceled = true
      return 'ok'
    }
    if (this.state !== 'playing' || !controllable(this.medias[this.index] ?? '')) return 'failed'
    this.finishMedia?.('stopped')
    return 'ok'
  }

  /** The command that plays this playback in a control queue. */
  command(): Command {
    let done: (() => void) | undefined
    const end = (): void => {
      this.remove()
      if (this.target.speaker) setSpeaking(this.target.speaker, false)
      const d = done
      done = undefined
      d?.()
    }
    const playFrom = (i: number): void => {
      this.index = i
      const uri = this.medias[i]
      if (uri === undefined) return end()
      if (this.canceled) {
        this.state = 'done'
        this.publish()
        return end()
      }
      const len = mediaLength(uri, this.language, this.sim.soundDuration)
      if (len.kind === 'unsupported') {
        this.sim.logger.warn({ uri }, 'Attempted to play URI but scheme is unsupported')
        return playFrom(i + 1)
      }
      this.state = 'playing'
      this.startedIn = this.targetUri.startsWith('channel:') ? this.target.speaker?.bridge : undefined
      this.publish()
      const last = i === this.medias.length - 1
      if (len.kind === 'missing') {
        this.state = last ? 'failed' : 'continuing'
        this.publish()
        return last ? end() : playFrom(i + 1)
      }
      for (const h of this.target.hearers()) h.hooks?.heard(uri)
      if (this.target.speaker) setSpeaking(this.target.speaker, true)
      const finish = (how: 'complete' | 'stopped' | 'hangup'): void => {
        this.finishMedia = undefined
        this.timer?.cancel()
        this.timer = undefined
        if (how === 'hangup') this.state = 'failed'
        else if (how === 'stopped' || last) this.state = 'done'
        else this.state = 'continuing'
        this.publish()
        if (how === 'complete' && !last) playFrom(i + 1)
        else end()
      }
      this.finishMedia = finish
      if (len.kind === 'ms') this.timer = this.sim.after(len.ms, () => finish('complete'))
    }
    return {
      run: (d) => {
        done = d
        playFrom(0)
      },
      interrupt: () => {
        if (this.finishMedia) this.finishMedia('hangup')
        else end()
      },
      drop: () => this.remove(),
    }
  }

  /** Starts and at once fails the whole playback (bridge already has an announcer). */
  failNow(): void {
    this.state = 'playing'
    this.publish()
    this.state = 'failed'
    this.publish()
    this.remove()
  }
}
