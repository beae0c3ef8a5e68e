/**
 * The simulator's shared state: clock, channels, bridges, playbacks, applications, the event
 * bus and the dialplan. Behaviour lives in the modules that take a Sim; the few calls that
 * would make those modules import each other in a circle go through `svc`, filled in once by
 * index.ts.
 */
import type { Clock } from '../domain/clock.js'
import type { Logger } from '../domain/log.js'
import { AppRegistry } from './apps.js'
import { EventBus } from './events.js'
import type { Channel } from './model/channel.js'
import { ChannelRegistry } from './model/registry.js'
import type { Bridge } from './model/bridge.js'
import type { Playback } from './playback.js'
import type { Dialplan } from './dialplan/parse.js'
import type { PhoneBehaviour, PhoneResolver } from './types.js'

export interface Services {
  /** Runs the dialplan on a channel from context/exten/priority. */
  startPbx(ch: Channel, context: string, exten: string, priority: number): void
  /** Called when a channel is destroyed: stop its playbacks, MoH, leave its bridge. */
  channelGone(ch: Channel): void
  /** Takes a channel out of its bridge, with the events (no-op when not bridged). */
  leaveBridge(ch: Channel): void
}

export interface SimConfig {
  clock: Clock
  asteriskId: string
  logger: Logger
  dialplan: Dialplan
  soundDuration: (name: string, lang: string) => number | undefined
  phones?: PhoneResolver
}

export class Sim {
  readonly clock: Clock
  readonly logger: Logger
  readonly registry = new ChannelRegistry()
  readonly apps = new AppRegistry()
  readonly bus: EventBus
  readonly bridges = new Map<string, Bridge>()
  readonly playbacks = new Map<string, Playback>()
  readonly phoneOverrides = new Map<string, PhoneBehaviour>()
  dialplan: Dialplan
  readonly soundDuration: (name: string, lang: string) => number | undefined
  readonly phones: PhoneResolver | undefined
  svc!: Services
  httpRequests = 0
  private queue: Array<() => void> = []
  private flushing = false
  private closed = false

  constructor(cfg: SimConfig) {
    this.clock = cfg.clock
    this.logger = cfg.logger
    this.bus = new EventBus(cfg.clock, this.apps, cfg.asteriskId)
    this.dialplan = cfg.dialplan
    this.soundDuration = cfg.soundDuration
    this.phones = cfg.phones
  }

  /** Runs fn after the current work, in FIFO order (another "thread" reacting). */
  defer(fn: () => void): void {
    if (this.closed) return
    this.queue.push(fn)
    if (!this.flushing) {
      this.flushing = true
      setImmediate(() => this.flush())
    }
  }

  private flush(): void {
    for (let i = 0; i < 10_000 && this.queue.length > 0; i++) {
      const batch = this.queue
      this.queue = []
      for (const fn of batch) {
        try {
          fn()
        } catch (err) {
          this.logger.error({ err }, 'simulator task failed')
        }
      }
    }
    this.flushing = false
    if (this.queue.length > 0) {
      this.flushing = true
      setImmediate(() => this.flush())
    }
  }

  /** A timer on the simulator's clock that is dropped once the simulator is closed. */
  after(ms: number, fn: () => void): { cancel(): void } {
    return this.clock.setTimeout(() => {
      if (this.closed) return
      try {
        fn()
      } catch (err) {
        this.logger.error({ err }, 'simulator timer failed')
      }
    }, ms)
  }

  phoneFor(endpoint: string): PhoneBehaviour | undefined {
    return this.phoneOverrides.get(endpoint) ?? this.phones?.(endpoint)
  }

  /** Shutting down, as `core stop now` would: every channel left is gone (cause 16, no events). */
  close(): void {
    this.closed = true
    this.queue = []
    for (const ch of this.registry.visible()) {
      try {
        ch.hooks?.destroyed(16)
      } catch (err) {
        this.logger.warn({ err }, 'channel hook failed at shutdown')
      }
    }
  }
}
