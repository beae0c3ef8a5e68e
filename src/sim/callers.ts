/**
 * Simulated citizens calling in over the trunk: placeCall creates a PJSIP trunk channel in
 * state Ring that runs the dialplan (from-trunk by default, where Stasis(centralino,...)
 * hands it to the engine), records what it hears, and can follow a script (wait for a
 * prompt, press digits, give up). DTMF pressed by the caller raises ChannelDtmfReceived on
 * its channel (duration_ms 100).
 */
import type { Sim } from './core.js'
import { sleep } from '../domain/clock.js'
import { Channel, type Indication } from './model/channel.js'
import { queueHangup } from './model/lifecycle.js'
import type { CallerStep, CallResult, InboundCallParams, SimCall, SimCallEvent } from './types.js'

export const DEFAULT_WAIT_TIMEOUT_MS = 120_000
export const DEFAULT_DTMF_GAP_MS = 250

export function raiseDtmf(sim: Sim, ch: Channel, digit: string, durationMs = 100): void {
  sim.bus.channel(ch, 'ChannelDtmfReceived', `,"digit":${JSON.stringify(digit)},"duration_ms":${durationMs}`)
}

class Call implements SimCall {
  readonly heard: string[] = []
  readonly done: Promise<CallResult>
  private resolveDone!: (r: CallResult) => void
  private readonly listeners = new Map<SimCallEvent, Set<(d: unknown) => void>>()
  private readonly started: number
  private bridgedWith: string | undefined
  private answered = false
  private bridged = false
  private ended = false
  private cursor = 0

  constructor(
    private readonly sim: Sim,
    readonly ch: Channel | undefined,
    readonly id: string,
  ) {
    this.started = sim.clock.now()
    this.done = new Promise((r) => (this.resolveDone = r))
  }

  get channelId(): string {
    return this.ch?.id ?? ''
  }

  on(event: SimCallEvent, fn: (detail: unknown) => void): () => void {
    let set = this.listeners.get(event)
    if (!set) this.listeners.set(event, (set = new Set()))
    set.add(fn)
    return () => set.delete(fn)
  }

  private emit(event: SimCallEvent, detail: unknown): void {
    for (const fn of this.listeners.get(event) ?? []) {
      try {
        fn(detail)
      } catch (err) {
        this.sim.logger.warn({ err }, 'SimCall listener failed')
      }
    }
  }

  indicated(kind: Indication): void {
    if (kind === 'answer' && !this.answered) {
      this.answered = true
      this.emit('answered', true)
    }
  }
  hear(uri: string): void {
    this.heard.push(uri)
    this.emit('playback', uri)
  }
  moh(on: boolean, mohClass?: string): void {
    this.emit('moh', { on, mohClass })
  }
  bridgedTo(other: string): void {
    this.bridgedWith = other
    if (!this.bridged) {
      this.bridged = true
      this.emit('bridged', other)
    }
  }

  finish(cause: number): void {
    if (this.ended) return
    this.ended = true
    this.emit('hangup', cause)
    this.resolveDone({ cause, bridgedWith: this.bridgedWith, heard: [...this.heard], durationMs: this.sim.clock.now() - this.started })
  }

  isAnswered(): boolean {
    return this.answered || this.ch?.state === 'Up'
  }
  isBridged(): boolean {
    return this.bridged && this.ch?.bridge !== undefined
  }
  isEnded(): boolean {
    return this.ended
  }

  async sendDtmf(digits: string, gapMs = DEFAULT_DTMF_GAP_MS): Promise<void> {
    const ch = this.ch
    if (!ch) return
    for (let i = 0; i < digits.length; i++) {
      if (i > 0) await sleep(this.sim.clock, gapMs)
      if (ch.destroyed) return
      raiseDtmf(this.sim, ch, digits[i]!)
    }
  }

  hangup(): void {
    if (this.ch && !this.ch.destroyed) queueHangup(this.sim, this.ch, 16)
  }

  /** Resolves true when `pred` holds (checked now and on each event), false after timeoutMs. */
  private waitUntil(events: SimCallEvent[], pred: () => boolean, timeoutMs: number): Promise<boolean> {
    if (pred()) return Promise.resolve(true)
    return new Promise((resolve) => {
      const offs: Array<() => void> = []
      const finish = (v: boolean): void => {
        offs.forEach((o) => o())
        t.cancel()
        resolve(v)
      }
      const t = this.sim.clock.setTimeout(() => finish(false), timeoutMs)
      for (const e of [...events, 'hangup' as const]) offs.push(this.on(e, () => (pred() ? finish(true) : this.ended ? finish(false) : undefined)))
    })
  }

  private matchHeard(media: string | RegExp | undefined): boolean {
    for (let i = this.cursor; i < this.heard.length; i++) {
      const uri = this.heard[i]!
      if (media === undefined || (typeof media === 'string' ? uri === media : media.test(uri))) {
        this.cursor = i + 1
        return true
      }
    }
    return false
  }

  async runScript(steps: CallerStep[]): Promise<void> {
    for (const step of steps) {
      if (this.ended) return
      if ('wait' in step) await sleep(this.sim.clock, step.wait)
      else if ('dtmf' in step) await this.sendDtmf(step.dtmf, step.gapMs)
      else if ('hangup' in step) return this.hangup()
      else {
        const timeout = step.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS
        let ok: boolean
        if (step.waitFor === 'playback') ok = await this.waitUntil(['playback'], () => this.matchHeard(step.media), timeout)
        else if (step.waitFor === 'bridged') ok = await this.waitUntil(['bridged'], () => this.isBridged(), timeout)
        else ok = await this.waitUntil(['answered'], () => this.isAnswered(), timeout)
        if (!ok) return this.hangup()
      }
    }
  }
}

let callSeq = 0

export function placeCall(sim: Sim, p: InboundCallParams): SimCall {
  const context = p.context ?? 'from-trunk'
  const id = `call-${++callSeq}`
  if (!sim.dialplan.exists(context, p.to)) {
    // chan_pjsip answers 404 and creates no channel
    const call = new Call(sim, undefined, id)
    call.finish(1)
    return call
  }
  const now = sim.clock.now()
  const ch = new Channel(sim.registry.newUniqueId(now), `PJSIP/trunk-${sim.registry.nextPjsip()}`, 'PJSIP', 'Ring', context, p.to, now, 'PJSIP/trunk')
  ch.caller = { name: p.callerName ?? '', number: p.from }
  const call = new Call(sim, ch, id)
  ch.hooks = {
    indicated: (k) => call.indicated(k),
    heard: (u) => call.hear(u),
    moh: (on, c) => call.moh(on, c),
    bridged: (o) => call.bridgedTo(o),
    dtmfOut: () => undefined,
    destroyed: (c) => call.finish(c),
  }
  sim.registry.add(ch)
  sim.bus.channel(ch, 'ChannelCreated')
  sim.logger.debug({ channel: ch.id, from: p.from, to: p.to }, 'inbound call')
  sim.svc.startPbx(ch, context, p.to, 1)
  if (p.script?.length) void call.runScript(p.script)
  return call
}
