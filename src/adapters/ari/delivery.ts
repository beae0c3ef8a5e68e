/**
 * Event delivery for the events socket: calls the engine's handlers in arrival order (a
 * throwing or rejecting handler is logged and does not stop the others), and implements the
 * resync contract: while the onResync handlers run after a reconnect (awaited, in order),
 * events are buffered; then the buffer is delivered and live delivery resumes.
 */
import type { AriEvent } from '../../domain/ari-models.js'
import type { Logger } from '../../domain/log.js'

type EventHandler = (e: AriEvent) => void
type ResyncHandler = () => Promise<void>

export class EventDelivery {
  private readonly eventHandlers = new Set<EventHandler>()
  private readonly resyncHandlers = new Set<ResyncHandler>()
  private buffer: AriEvent[] = []
  private buffering = false
  private again = false
  private running: Promise<void> | undefined
  private disposed = false

  constructor(private readonly log: Logger) {}

  onEvent(h: EventHandler): () => void {
    const box: EventHandler = (e) => h(e)
    this.eventHandlers.add(box)
    return () => this.eventHandlers.delete(box)
  }

  onResync(h: ResyncHandler): () => void {
    const box: ResyncHandler = () => h()
    this.resyncHandlers.add(box)
    return () => this.resyncHandlers.delete(box)
  }

  /** True while resync handlers run and events are held back. */
  isResyncing(): boolean {
    return this.buffering
  }

  /** Delivers e now, or holds it until the running resync has finished. */
  push(e: AriEvent): void {
    if (this.disposed) return
    if (this.buffering) this.buffer.push(e)
    else this.deliver(e)
  }

  /**
   * Starts buffering at once and runs the resync handlers. A resync requested while one runs
   * makes it run the handlers once more before the buffer is delivered.
   */
  resync(): Promise<void> {
    if (this.disposed) return Promise.resolve()
    this.buffering = true
    if (this.running) {
      this.again = true
      return this.running
    }
    this.running = this.runResync()
    return this.running
  }

  /** Drops held events and stops delivering (the socket is stopping). */
  dispose(): void {
    this.disposed = true
    if (this.buffer.length) this.log.debug({ dropped: this.buffer.length }, 'ARI events held during resync dropped at stop')
    this.buffer = []
    this.buffering = false
  }

  private async runResync(): Promise<void> {
    // Always yield once, so `running` is assigned before this run can end and clear it.
    await Promise.resolve()
    try {
      do {
        this.again = false
        for (const h of [...this.resyncHandlers]) {
          if (this.disposed) return
          try {
            await h()
          } catch (err) {
            this.log.error({ err }, 'ARI resync handler failed')
          }
        }
      } while (this.again && !this.disposed)
      if (this.disposed) return
      const held = this.buffer
      this.buffer = []
      this.buffering = false
      if (held.length) this.log.debug({ held: held.length }, 'ARI resync done, delivering held events')
      for (const e of held) this.deliver(e)
    } finally {
      this.running = undefined
    }
  }

  private deliver(e: AriEvent): void {
    for (const h of [...this.eventHandlers]) {
      try {
        const r = h(e) as unknown
        if (r && typeof (r as Promise<unknown>).then === 'function') {
          ;(r as Promise<unknown>).then(undefined, (err: unknown) => this.log.error({ err, event: e.type }, 'ARI event handler failed'))
        }
      } catch (err) {
        this.log.error({ err, event: e.type }, 'ARI event handler failed')
      }
    }
  }
}
