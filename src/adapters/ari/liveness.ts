/**
 * Ping/pong liveness of one WebSocket: a ping every intervalMs after the last pong; no pong
 * within timeoutMs calls onDead (the events socket terminates and reconnects). Timers run on
 * the Clock port; stop() cancels them.
 */
import type { Clock, TimerHandle } from '../../domain/clock.js'

export interface Pingable {
  ping(): void
  isOpen(): boolean
}

export interface Liveness {
  /** Call on every pong received. */
  pong(): void
  stop(): void
}

export function startLiveness(ws: Pingable, clock: Clock, intervalMs: number, timeoutMs: number, onDead: () => void): Liveness {
  let pingTimer: TimerHandle | undefined
  let pongTimer: TimerHandle | undefined
  let stopped = false
  const schedule = () => {
    pingTimer = clock.setTimeout(() => {
      pingTimer = undefined
      if (stopped || !ws.isOpen()) return
      pongTimer = clock.setTimeout(() => {
        pongTimer = undefined
        if (!stopped) onDead()
      }, timeoutMs)
      ws.ping()
    }, intervalMs)
  }
  schedule()
  return {
    pong() {
      if (stopped || !pongTimer) return
      pongTimer.cancel()
      pongTimer = undefined
      schedule()
    },
    stop() {
      stopped = true
      pingTimer?.cancel()
      pongTimer?.cancel()
      pingTimer = pongTimer = undefined
    },
  }
}
