/**
 * Clock port: the only way engine code reads time or schedules work.
 * RealClock for production, SimClock for tests and simulations (time moves only when
 * advanced), ScaledClock to run real-time components faster (demo, end-to-end tests).
 */

export interface TimerHandle {
  cancel(): void
}

export interface Clock {
  /** Milliseconds since the Unix epoch, in this clock's time. */
  now(): number
  /** Runs fn after ms of this clock's time. */
  setTimeout(fn: () => void, ms: number): TimerHandle
}

export class RealClock implements Clock {
  now(): number {
    return Date.now()
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const t = setTimeout(fn, Math.max(0, ms))
    return { cancel: () => clearTimeout(t) }
  }
}

/** Runs `factor` times faster than real time, from `start` (defaults to now). */
export class ScaledClock implements Clock {
  private readonly realStart = Date.now()
  constructor(
    readonly factor: number,
    private readonly start: number = Date.now(),
  ) {
    if (!(factor > 0)) throw new RangeError('ScaledClock factor must be > 0')
  }
  now(): number {
    return this.start + (Date.now() - this.realStart) * this.factor
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const t = setTimeout(fn, Math.max(0, ms) / this.factor)
    return { cancel: () => clearTimeout(t) }
  }
}

interface SimTimer {
  at: number
  seq: number
  fn: () => void
  cancelled: boolean
}

/**
 * Discrete simulated time. Timers fire in (time, creation order) when the clock is advanced;
 * a timer scheduled by a firing timer for a time within the advance also fires.
 */
export class SimClock implements Clock {
  private t: number
  private seq = 0
  private timers: SimTimer[] = []

  constructor(start = Date.UTC(2026, 10, 23, 9, 0, 0)) {
    this.t = start
  }

  now(): number {
    return this.t
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer: SimTimer = { at: this.t + Math.max(0, ms), seq: this.seq++, fn, cancelled: false }
    this.timers.push(timer)
    return {
      cancel: () => {
        timer.cancelled = true
      },
    }
  }

  /** Number of timers still scheduled. */
  pending(): number {
    return this.timers.filter((x) => !x.cancelled).length
  }

  /** Time of the next scheduled timer, or undefined. */
  nextAt(): number | undefined {
    let best: SimTimer | undefined
    for (const x of this.timers) if (!x.cancelled && (!best || x.at < best.at || (x.at === best.at && x.seq < best.seq))) best = x
    return best?.at
  }

  /** Moves time forward by ms, firing every timer due on the way. */
  advance(ms: number): void {
    this.advanceTo(this.t + ms)
  }

  advanceTo(target: number): void {
    for (;;) {
      let idx = -1
      for (let i = 0; i < this.timers.length; i++) {
        const x = this.timers[i]!
        if (x.cancelled || x.at > target) continue
        const b = idx >= 0 ? this.timers[idx]! : undefined
        if (!b || x.at < b.at || (x.at === b.at && x.seq < b.seq)) idx = i
      }
      if (idx < 0) break
      const timer = this.timers[idx]!
      this.timers.splice(idx, 1)
      this.t = Math.max(this.t, timer.at)
      timer.fn()
    }
    this.timers = this.timers.filter((x) => !x.cancelled)
    this.t = Math.max(this.t, target)
  }

  /** Advances to the next timer and fires it (and any due at the same time). Returns false when none. */
  step(): boolean {
    const at = this.nextAt()
    if (at === undefined) return false
    this.advanceTo(at)
    return true
  }
}

/** Resolves after ms of the given clock's time. */
export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms))
}
