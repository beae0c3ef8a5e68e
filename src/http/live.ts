/**
 * Live updates for the wallboard and the desks, over Server-Sent Events.
 *
 * The hub reads the engine's picture (a flat map of keys such as `sections.pensions.waiting`)
 * every intervalMs and numbers each change: a client first gets a `snapshot` (the whole map, with
 * the current sequence number as its id), then `delta` events carrying only the keys that
 * changed (null: the key is gone). Several changes a client could not take are coalesced into
 * one snapshot:
 * - resuming with Last-Event-ID replays the deltas after that id if the hub still holds them
 *   (the last `history` deltas) and the id is of this run of the engine (ids are
 *   `<run>.<seq>`), else sends a snapshot;
 * - a slow client (its socket buffer full: send() returned false) gets nothing more until it
 *   drains, then one snapshot: the hub never waits for a client and never queues for it, so a
 *   slow client cannot slow the engine or grow its memory.
 * The picture is read once per tick whatever the number of clients, and not at all without
 * clients.
 */
import type { Clock, TimerHandle } from '../domain/clock.js'

export type LiveValue = string | number | boolean | null
export type LiveState = Record<string, LiveValue>

export interface LiveClient {
  /** Writes one SSE frame; false when the client's buffer is full (the frame was still queued by the socket). */
  send(frame: string): boolean
  /** Calls back once the buffer has drained. */
  onDrain(cb: () => void): void
}

export interface LiveHubOptions {
  clock: Clock
  /** The engine's picture now, as flat keys. */
  read(): Promise<LiveState>
  intervalMs?: number
  /** Deltas kept for resuming clients (default 120). */
  history?: number
  onError?: (err: unknown) => void
}

interface Sub {
  client: LiveClient
  blocked: boolean
}

export function sseFrame(id: string, event: string, data: unknown): string {
  return `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`
}

/** The keys of `next` that differ from `prev`, and those of `prev` that are gone (null). */
export function diffState(prev: LiveState, next: LiveState): LiveState {
  const d: LiveState = {}
  for (const [k, v] of Object.entries(next)) if (prev[k] !== v) d[k] = v
  for (const k of Object.keys(prev)) if (!(k in next)) d[k] = null
  return d
}

export class LiveHub {
  private state: LiveState = {}
  private seq = 0
  private readonly deltas: Array<{ seq: number; delta: LiveState }> = []
  private readonly subs = new Set<Sub>()
  private timer: TimerHandle | undefined
  private reading: Promise<void> | undefined
  private stopped = false
  /** This run of the hub: ids of another run (an engine restarted) are not resumed. */
  private readonly run = Math.floor(Math.random() * 36 ** 6).toString(36)

  constructor(private readonly o: LiveHubOptions) {}

  private id(seq: number): string {
    return `${this.run}.${seq}`
  }

  get clients(): number {
    return this.subs.size
  }

  get lastId(): string {
    return this.id(this.seq)
  }

  /** Reads the picture now and sends what changed (also run every intervalMs while clients listen). */
  refresh(): Promise<void> {
    this.reading ??= (async () => {
      try {
        const next = await this.o.read()
        const delta = diffState(this.state, next)
        if (Object.keys(delta).length === 0) return
        this.state = next
        this.seq++
        this.deltas.push({ seq: this.seq, delta })
        if (this.deltas.length > (this.o.history ?? 120)) this.deltas.shift()
        const frame = sseFrame(this.id(this.seq), 'delta', delta)
        for (const s of this.subs) if (!s.blocked) this.write(s, frame)
      } catch (err) {
        this.o.onError?.(err)
      } finally {
        this.reading = undefined
      }
    })()
    return this.reading
  }

  /** A client joins: snapshot (or the deltas after lastEventId); returns its unsubscribe. */
  async subscribe(client: LiveClient, lastEventId?: string): Promise<() => void> {
    const sub: Sub = { client, blocked: false }
    if (this.subs.size === 0 || this.seq === 0) await this.refresh()
    const first = this.deltas[0]
    const [run, n] = (lastEventId ?? '').split('.')
    const last = run === this.run && n !== undefined && /^\d+$/.test(n) ? Number(n) : undefined
    if (last !== undefined && last <= this.seq && (last === this.seq || (first && last >= first.seq - 1))) {
      for (const d of this.deltas) if (d.seq > last && !sub.blocked) this.write(sub, sseFrame(this.id(d.seq), 'delta', d.delta))
    } else this.write(sub, sseFrame(this.id(this.seq), 'snapshot', this.state))
    this.subs.add(sub)
    this.schedule()
    return () => {
      this.subs.delete(sub)
    }
  }

  stop(): void {
    this.stopped = true
    this.timer?.cancel()
    this.timer = undefined
    this.subs.clear()
  }

  private write(s: Sub, frame: string): void {
    if (s.client.send(frame)) return
    s.blocked = true
    s.client.onDrain(() => {
      s.blocked = false
      if (this.subs.has(s)) this.write(s, sseFrame(this.id(this.seq), 'snapshot', this.state))
    })
  }

  private schedule(): void {
    if (this.timer || this.stopped) return
    this.timer = this.o.clock.setTimeout(() => {
      this.timer = undefined
      if (this.subs.size === 0 || this.stopped) return
      void this.refresh().finally(() => this.schedule())
    }, this.o.intervalMs ?? 1000)
  }
}
