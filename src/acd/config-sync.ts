/**
 * Sections and agents changed through one engine reach the others serving the same national
 * queues: the engine that made the change posts the file's whole text on the board (Redis),
 * and every engine looks at the board every few seconds and adopts a newer text
 * (ConfigControl.adopt: checked as its own changes are, written to its own file so a restart
 * keeps it, applied to routing). A text this engine cannot take (its sections differ: that
 * takes a restart) is refused with an error in the log, and it keeps its own.
 *
 * Only texts posted after the engine started are followed: an engine restarted with a file
 * edited by hand keeps its file (the board could hold an older text). Two changes posted at
 * once on two engines: the later version wins on every engine.
 */
import type { Clock, TimerHandle } from '../domain/clock.js'
import type { ConfigBoard } from '../domain/config-board.js'
import type { Logger } from '../domain/log.js'
import type { ConfigControl } from './config-control.js'

export interface ConfigFollowerOptions {
  board: ConfigBoard
  control: Pick<ConfigControl, 'adopt'>
  kind: string
  clock: Clock
  log: Logger
  /** How often the board is read (default 2 s). */
  everyMs?: number
}

export class ConfigFollower {
  private seen = 0
  private timer: TimerHandle | undefined
  private stopped = false
  private running: Promise<unknown> = Promise.resolve()

  constructor(private readonly o: ConfigFollowerOptions) {}

  /** Notes the board's version now (not adopted), then looks again every everyMs. */
  async start(): Promise<void> {
    this.seen = Math.max(this.seen, (await this.o.board.latest(this.o.kind))?.version ?? 0)
    this.schedule()
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.timer?.cancel()
    await this.running
  }

  /** Posts a text this engine changed, and remembers its version as seen. */
  async post(text: string, by: string): Promise<void> {
    this.seen = Math.max(this.seen, await this.o.board.post(this.o.kind, text, by))
  }

  /** Looks at the board once: adopts a newer text. */
  async tick(): Promise<'none' | 'applied' | 'unchanged' | 'refused'> {
    const p = await this.o.board.latest(this.o.kind)
    if (!p || p.version <= this.seen) return 'none'
    this.seen = p.version
    try {
      const r = await this.o.control.adopt(p.text)
      if (r === 'applied') this.o.log.info({ kind: this.o.kind, version: p.version, by: p.by }, 'configuration changed on another engine: applied here')
      return r
    } catch (err) {
      this.o.log.error({ err, kind: this.o.kind, version: p.version, by: p.by }, 'configuration changed on another engine refused here: this engine keeps its own')
      return 'refused'
    }
  }

  private schedule(): void {
    if (this.stopped) return
    this.timer = this.o.clock.setTimeout(() => {
      this.running = this.tick()
        .catch((err: unknown) => this.o.log.warn({ err }, 'configuration board not read'))
        .finally(() => this.schedule())
    }, this.o.everyMs ?? 2000)
  }
}
