/**
 * What a waiting caller hears: music on hold and, per the section's policy, the number of
 * callers ahead and the estimated wait, on entry and every few seconds, in the caller's
 * language (schedule, wording and the never-growing position in acd/announce.ts). Stopping it
 * (agent answered, caller gone) cancels the timer and cuts an announcement short; music is
 * not restarted after a stop. With callbacks enabled for the section, announcements end with
 * the callback offer once the caller has waited callback.offerAfterSec (the key press itself is
 * handled by the call session).
 */
import { announceOnEntry, announcedAhead, announcementItems, nextAnnouncementAt, type LastAhead } from '../acd/announce.js'
import type { AcdService, QueueStatus } from '../acd/service.js'
import type { SectionDef } from '../domain/acd.js'
import type { Clock, TimerHandle } from '../domain/clock.js'
import type { NewCallEvent } from '../domain/events.js'
import { deriveId } from '../domain/ids.js'
import { prompt } from '../domain/media.js'
import type { Logger } from '../domain/log.js'
import type { Telephony } from '../domain/telephony.js'
import { HANDOVER, playToChannel } from './playback.js'
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
  private lastStartAt: number | undefined
  private lastEndAt: number | undefined
  /** What the caller last heard about its position: the next announcement never says more. */
  private last: LastAhead | undefined

  constructor(
    private readonly d: QueueWaitDeps,
    private readonly callId: string,
    private readonly channelId: string,
    private readonly section: SectionDef,
    private readonly lang: string,
    /** The call's own signal: when the caller goes, everything here stops too. */
    callGone: AbortSignal,
  ) {
    callGone.addEventListener('abort', () => this.stop(callGone.reason === HANDOVER), { once: true })
    if (callGone.aborted) this.stop(callGone.reason === HANDOVER)
  }

  /**
   * @param ahead callers ahead when the caller joined (used if the queue cannot be read).
   * @param o.resumed the call was resumed after an engine restart: no entry announcement again.
   */
  async start(ahead: number, o: { resumed?: boolean } = {}): Promise<void> {
    this.enteredAt = this.d.clock.now()
    await this.moh(true)
    // A call resumed by another engine heard its entry announcement already: next one on schedule.
    if (o.resumed) this.lastStartAt = this.lastEndAt = this.d.clock.now()
    else if (announceOnEntry(this.section.announce)) await this.announce(await this.status(), ahead)
    this.schedule()
  }

  /** Stops announcements and the timer. Music on hold is left to the caller of stop(). */
  stop(handover = false): void {
    this.active = false
    this.timer?.cancel()
    this.abort.abort(handover ? HANDOVER : undefined)
  }

  private schedule(): void {
    if (!this.active) return
    const at = nextAnnouncementAt(this.section.announce, { enteredAt: this.enteredAt, lastStartAt: this.lastStartAt, lastEndAt: this.lastEndAt })
    if (at === undefined) return
    this.timer = this.d.clock.setTimeout(() => void this.periodic(), Math.max(0, at - this.d.clock.now()))
  }

  private async periodic(): Promise<void> {
    if (!this.active) return
    const st = await this.status()
    if (!st) return
    if (st.entry.status === 'waiting') await this.announce(st)
    else this.lastStartAt = this.d.clock.now() // an agent is ringing: skip this one
    this.schedule()
  }

  private status(): Promise<QueueStatus | undefined> {
    return this.d.acd.status(this.callId).catch((err: unknown) => {
      this.d.log.warn({ err }, 'queue status unavailable for the announcement')
      return undefined
    })
  }

  private async announce(st: QueueStatus | undefined, fallbackAhead?: number): Promise<void> {
    if (!this.active) return
    const real = st?.ahead ?? fallbackAhead
    const priority = st?.entry.priority ?? this.last?.priority ?? 0
    const ahead = real === undefined ? undefined : announcedAhead(this.last, real, priority)
    const items = announcementItems(this.section.announce, ahead, st?.waitSec)
    // The callback offer, once the caller has waited the section's offerAfterSec.
    const cb = this.section.callback
    const waited = this.d.clock.now() - (st?.entry.enteredAt ?? this.enteredAt)
    if (cb?.enabled && st?.entry.kind !== 'callback' && waited >= cb.offerAfterSec * 1000) items.push(prompt('callback_offer'))
    if (items.length === 0) return
    if (ahead !== undefined) this.last = { ahead, priority }
    this.lastStartAt = this.d.clock.now()
    await this.moh(false)
    this.d.emit({ type: 'queue.announced', callId: this.callId, section: this.section.id, ahead: ahead ?? real ?? 0 })
    const id = deriveId(this.callId, 'announce', ++this.announcements)
    await playToChannel(this.d, this.channelId, items, this.lang, id, this.abort.signal)
    this.lastEndAt = this.d.clock.now()
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
