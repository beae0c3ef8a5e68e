/**
 * Holding the lease on an Asterisk server: only the engine holding it drives the server's
 * ARI application. `acquire` waits until the lease is free (a standby waits here while the
 * active engine renews); `start` renews every third of the TTL. The holder gives up acting
 * (`onLost`) when a renewal is refused (someone else holds it) or when it could not renew for a
 * whole TTL (the store is unreachable: another engine may have taken over meanwhile).
 */
import type { Clock, TimerHandle } from '../domain/clock.js'
import type { Logger } from '../domain/log.js'
import type { LeaseStore } from '../domain/store.js'

export interface LeaseOptions {
  leases: LeaseStore
  name: string
  owner: string
  ttlMs: number
  clock: Clock
  log: Logger
  onLost: (why: string) => void
}

export class LeaseKeeper {
  private timer: TimerHandle | undefined
  private lastOk = 0
  private stopped = false
  private held = false

  constructor(private readonly o: LeaseOptions) {}

  get holding(): boolean {
    return this.held
  }

  /** Resolves once the lease is ours; rejects if stopped first. */
  async acquire(): Promise<void> {
    const every = Math.max(50, Math.floor(this.o.ttlMs / 3))
    let announced = false
    for (;;) {
      if (this.stopped) throw new Error('lease keeper stopped before acquiring')
      const now = this.o.clock.now()
      const ok = await this.o.leases.acquire(this.o.name, this.o.owner, this.o.ttlMs, now).catch((err: unknown) => {
        this.o.log.warn({ err, lease: this.o.name }, 'could not reach the store to take the lease; retrying')
        return false
      })
      if (ok) {
        this.held = true
        this.lastOk = now
        this.o.log.info({ lease: this.o.name, owner: this.o.owner }, 'lease acquired: this engine drives the server')
        return
      }
      if (!announced) {
        announced = true
        const holder = await this.o.leases.holder(this.o.name, now).catch(() => undefined)
        this.o.log.info({ lease: this.o.name, holder }, 'standing by: another engine holds the lease')
      }
      await new Promise<void>((r) => (this.timer = this.o.clock.setTimeout(r, every)))
    }
  }

  /** Keeps renewing until stopped or lost. */
  start(): void {
    const every = Math.max(50, Math.floor(this.o.ttlMs / 3))
    const tick = async () => {
      if (this.stopped || !this.held) return
      const now = this.o.clock.now()
      let ok: boolean | undefined
      try {
        ok = await this.o.leases.renew(this.o.name, this.o.owner, this.o.ttlMs, now)
      } catch (err) {
        this.o.log.warn({ err, lease: this.o.name }, 'could not renew the lease; retrying')
      }
      if (this.stopped) return
      if (ok === true) this.lastOk = now
      else if (ok === false) return this.lose('another engine holds the lease')
      else if (this.o.clock.now() - this.lastOk >= this.o.ttlMs) return this.lose('lease not renewed for a whole TTL')
      this.timer = this.o.clock.setTimeout(() => void tick(), every)
    }
    this.timer = this.o.clock.setTimeout(() => void tick(), every)
  }

  async stop(release = true): Promise<void> {
    this.stopped = true
    this.timer?.cancel()
    if (release && this.held) await this.o.leases.release(this.o.name, this.o.owner).catch(() => undefined)
    this.held = false
  }

  private lose(why: string): void {
    if (!this.held) return
    this.held = false
    this.o.log.error({ lease: this.o.name, why }, 'lease lost: this engine stops driving the server')
    this.o.onLost(why)
  }
}
