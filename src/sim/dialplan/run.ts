/**
 * Runs dialplan on a channel (the pbx loop): each priority shows its application in the
 * channel's dialplan (ChannelDialplan), runs it, restores the application shown before it
 * (pbx_exec) and moves on. A hangup interrupts the running application; when the dialplan
 * ends (hangup, an application returning -1, or no next priority) the channel gets the
 * APPUNLOAD soft hangup (ChannelHangupRequest 16 soft) and is destroyed.
 */
import type { Sim } from '../core.js'
import type { Activity, Channel } from '../model/channel.js'
import { SOFT } from '../model/causes.js'
import { destroy, restoreApp, setDialplan } from '../model/lifecycle.js'
import { substitute } from './subst.js'
import { runApp, type AppResult } from './apps.js'

export class PbxRun implements Activity {
  readonly kind = 'pbx'
  private cancel: (() => void) | undefined
  private ended = false
  private readonly saved: { name: string; data: string }

  constructor(
    private readonly sim: Sim,
    readonly ch: Channel,
    private context: string,
    private exten: string,
    private priority: number,
  ) {
    this.saved = { name: ch.appName, data: ch.appData }
  }

  start(): void {
    this.ch.started = true
    this.ch.activity = this
    this.step()
  }

  /** The running application registers how to interrupt it. */
  setCancel(fn: (() => void) | undefined): void {
    this.cancel = fn
  }

  hangup(): void {
    const c = this.cancel
    this.cancel = undefined
    if (c) c()
    else if (!this.ended) this.end()
  }

  private step(): void {
    const { sim, ch } = this
    if (this.ended || ch.destroyed) return
    if (ch.hangupRequested) return this.end()
    const step = sim.dialplan.step(this.context, this.exten, this.priority)
    if (!step) return this.end()
    const data = substitute(step.args, ch, { context: this.context, exten: this.exten, priority: this.priority })
    setDialplan(sim, ch, this.context, this.exten, this.priority, step.app, data)
    let returned = false
    runApp(sim, this, step.app, data, (r: AppResult) => {
      if (returned) return
      returned = true
      this.cancel = undefined
      if (this.ended || ch.destroyed) return
      restoreApp(ch, this.saved.name, this.saved.data)
      if (ch.activity !== this && !ch.destroyed) ch.activity = this
      if (r === 'hangup' || ch.hangupRequested) return this.end()
      if (typeof r === 'object') {
        this.context = r.context
        this.exten = r.exten
        this.priority = r.priority
      } else this.priority++
      this.step()
    })
  }

  /** Goto target for a label or priority (Goto(label) / Goto(exten,label) / Goto(ctx,exten,prio)). */
  resolveGoto(args: string[]): { context: string; exten: string; priority: number } | undefined {
    let context = this.context
    let exten = this.exten
    let prio: string
    if (args.length >= 3) [context, exten, prio] = [args[0]!, args[1]!, args[2]!]
    else if (args.length === 2) [exten, prio] = [args[0]!, args[1]!]
    else prio = args[0] ?? '1'
    const n = Number(prio)
    if (Number.isInteger(n) && n > 0) return { context, exten, priority: n }
    const ext = this.sim.dialplan.find(context, exten)
    const p = ext?.labels.get(prio)
    return p === undefined ? undefined : { context, exten, priority: p }
  }

  location(): { context: string; exten: string; priority: number } {
    return { context: this.context, exten: this.exten, priority: this.priority }
  }

  private end(): void {
    if (this.ended) return
    this.ended = true
    const { sim, ch } = this
    if (ch.activity === this) ch.activity = undefined
    if (ch.destroyed) return
    sim.bus.hangupRequest(ch, SOFT.APPUNLOAD, true)
    ch.hangupRequested = true
    destroy(sim, ch)
  }
}

export function startPbx(sim: Sim, ch: Channel, context: string, exten: string, priority: number): PbxRun {
  const run = new PbxRun(sim, ch, context, exten, priority)
  run.start()
  return run
}
