/**
 * Simulating kill -9 in one process: a deep proxy whose methods, once frozen, return promises
 * that never settle (and whose other functions do nothing). The frozen engine keeps its
 * objects but can no longer act on Asterisk or the store, as if its process were gone.
 */
import type { Clock, TimerHandle } from '../../src/domain/clock.js'

export interface Freezable<T> {
  value: T
  freeze(): void
  readonly frozen: boolean
}

export function freezable<T extends object>(target: T): Freezable<T> {
  const state = { frozen: false }
  const cache = new WeakMap<object, unknown>()
  const wrap = <U extends object>(obj: U): U => {
    const hit = cache.get(obj)
    if (hit) return hit as U
    const p = new Proxy(obj, {
      get(o, key, recv) {
        const v = Reflect.get(o, key, recv) as unknown
        if (typeof v === 'function') {
          return (...args: unknown[]) => {
            if (state.frozen) return new Promise(() => undefined)
            return (v as (...a: unknown[]) => unknown).apply(o, args)
          }
        }
        if (v && typeof v === 'object') return wrap(v)
        return v
      },
    })
    cache.set(obj, p)
    return p
  }
  return {
    value: wrap(target),
    freeze: () => {
      state.frozen = true
    },
    get frozen() {
      return state.frozen
    },
  }
}

/** A clock sharing another's time whose timers can all be dropped at once (the process died). */
export class KillableClock implements Clock {
  private readonly handles = new Set<TimerHandle>()
  private dead = false
  constructor(private readonly inner: Clock) {}
  now(): number {
    return this.inner.now()
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    if (this.dead) return { cancel: () => undefined }
    const h: TimerHandle = this.inner.setTimeout(() => {
      this.handles.delete(h)
      fn()
    }, ms)
    this.handles.add(h)
    return {
      cancel: () => {
        this.handles.delete(h)
        h.cancel()
      },
    }
  }
  kill(): void {
    this.dead = true
    for (const h of this.handles) h.cancel()
    this.handles.clear()
  }
}
