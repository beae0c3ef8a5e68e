/**
 * What a waiting caller hears: music on hold, the number of callers ahead on entry and
 * every few seconds (the section's policy), in the caller's language. Stopping it (agent
 * answered, caller gone) cancels the timer and cuts an announcement short; music is not
 * restarted after a stop.
 */
import { nextAnnouncementAt, positionItems } from '../acd/announce.js'
import type { AcdService } from '../acd/service.js'
import type { SectionDef } from '../domain/acd.js'
import type { Clock, TimerHandle } from '../domain/clock.js'
import type { NewCallEvent } from '../domain/events.js'
import { deriveId } from '../domain/ids.js'
import type { Logger } from '../domain/log.js'
import type { Telephony } from '../domain/telephony.js'
import { playToChannel } from './playback.js'
import type { EventRouter } from './router.js'

export interface QueueWaitDeps {
  telephony: Telephony
  router: EventRouter
  clock: Clock
  log: Logger
  acd: AcdService
  emit: (e: NewCallEvent) => void
}

export class QueueWait {
  private active = true
  private timer: TimerHandle | undefined
  private readonly abort = new AbortController()
  private announcements = 0
  private enteredAt = 0
  private lastAt: number | undefined

  constructor(
    private readonly d: QueueWaitDeps,
    private readonly callId: string,
    private readonly channelId: string,
    private readonly section: SectionDef,
    private readonly lang: string,
    /** The call's own signal: when the caller goes, everything here stops too. */
    callGone: AbortSignal,
  ) {
    callGone.addEventListener('abort', () => this.stop(), { once: true })
    if (callGone.aborted) this.stop()
  }

  async start(ahead: number): Promise<void> {
    this.enteredAt = this.d.clock.now()
    await this.moh(true)
    if (this.section.announce.onEntry && this.section.announce.position) await this.announce(ahead)
    this.schedule()
  }

  /** Stops announcements and the timer. Music on hold is left to the caller of stop(). */
  stop(): void {
    this.active = false
    this.timer?.cancel()
    this.abort.abort()
  }

  private schedule(): void {
    if (!this.active) return
    const at = nextAnnouncementAt(this.section.announce, this.enteredAt, this.lastAt)
    if (at === undefined) return
    this.timer = this.d.clock.setTimeout(() => void this.periodic(), Math.max(0, at - this.d.clock.now()))
  }

  private async periodic(): Promise<void> {
    if (!this.active) return
    const entry = await this.d.acd.entry(this.callId)
    if (!entry) return
    if (entry.status === 'waiting') {
      const ahead = await this.d.acd.ahead(this.callId)
      if (ahead !== undefined) await this.announce(ahead)
    } else {
      this.lastAt = this.d.clock.now()
    }
    this.schedule()
  }

  private async announce(ahead: number): Promise<void> {
    if (!this.active) return
    this.lastAt = this.d.clock.now()
    await this.moh(false)
    this.d.emit({ type: 'queue.announced', callId: this.callId, section: this.section.id, ahead })
    const id = deriveId(this.callId, 'announce', ++this.announcements)
    await playToChannel(this.d, this.channelId, positionItems(ahead), this.lang, id, this.abort.signal)
    if (this.active) await this.moh(true)
  }

  private async moh(on: boolean): Promise<void> {
    try {
      if (on) await this.d.telephony.channels.startMoh(this.channelId, this.section.mohClass)
      else await this.d.telephony.channels.stopMoh(this.channelId)
    } catch (err) {
      this.d.log.debug({ err, on }, 'music on hold change failed')
    }
  }
}
