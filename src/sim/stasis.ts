/**
 * A channel inside a Stasis application (res_stasis control): entering (STASISSTATUS "",
 * StasisStart, or FAILED when the app is not registered or has no socket), the command
 * queue that runs ARI operations one at a time (playbacks block what follows, as in the
 * control thread), and leaving (bridge left, StasisEnd, STASISSTATUS SUCCESS, application
 * shown restored) on hangup or continue.
 */
import type { Sim } from './core.js'
import type { App } from './apps.js'
import type { Activity, Channel } from './model/channel.js'
import { restoreApp, setDialplan, setVar } from './model/lifecycle.js'

export interface Command {
  run(done: () => void): void
  /** The channel hangs up while this runs: finish now (and call done). */
  interrupt?(): void
  /** Removed from the queue without running. */
  drop?(): void
}

export interface DialplanTarget {
  context: string
  exten: string
  priority: number
}

export type StasisExit = (status: 'SUCCESS' | 'FAILED', next?: DialplanTarget) => void

const controls = new WeakMap<Channel, StasisControl>()

export function controlOf(ch: Channel): StasisControl | undefined {
  const c = controls.get(ch)
  return c && !c.leaving ? c : undefined
}

export class StasisControl implements Activity {
  readonly kind = 'stasis'
  leaving = false
  private queue: Command[] = []
  private running: Command | undefined

  constructor(
    private readonly sim: Sim,
    readonly ch: Channel,
    readonly app: App,
    readonly args: string[],
    private readonly prevActivity: Activity | undefined,
    private readonly prevApp: { name: string; data: string },
    private readonly onExit: StasisExit,
  ) {}

  enqueue(cmd: Command): void {
    if (this.leaving) {
      cmd.drop?.()
      return
    }
    this.queue.push(cmd)
    this.pump()
  }

  /** Runs fn in the control thread; resolves once it ran (false when it never will). */
  exec(fn: (done: () => void) => void): Promise<boolean> {
    return new Promise((resolve) => {
      this.enqueue({
        run: (done) =>
          fn(() => {
            done()
            resolve(true)
          }),
        drop: () => resolve(false),
        interrupt: undefined,
      })
    })
  }

  busy(): boolean {
    return this.running !== undefined
  }

  private pump(): void {
    if (this.running || this.leaving) return
    const next = this.queue.shift()
    if (!next) return
    this.running = next
    let finished = false
    next.run(() => {
      if (finished) return
      finished = true
      if (this.running === next) this.running = undefined
      this.pump()
    })
  }

  hangup(): void {
    this.leave()
  }

  /** Leaves Stasis (hangup, or continue to `next`). */
  leave(next?: DialplanTarget): void {
    if (this.leaving) return
    this.leaving = true
    const { sim, ch } = this
    const running = this.running
    this.running = undefined
    running?.interrupt?.()
    for (const q of this.queue) q.drop?.()
    this.queue = []
    sim.svc.leaveBridge(ch)
    sim.bus.channelTo(this.app, ch, 'StasisEnd')
    sim.apps.unsubscribeChannel(this.app, ch)
    setVar(sim, ch, 'STASISSTATUS', 'SUCCESS')
    restoreApp(ch, this.prevApp.name, this.prevApp.data)
    controls.delete(ch)
    ch.activity = this.prevActivity
    sim.apps.cleanup()
    this.onExit('SUCCESS', next)
  }
}

/**
 * Stasis(app,args): the channel enters the application. `onExit` runs when it leaves (or at
 * once with FAILED when the app does not exist or is inactive).
 */
export function enterStasis(sim: Sim, ch: Channel, appName: string, args: string[], onExit: StasisExit): void {
  const prevApp = { name: ch.appName, data: ch.appData }
  if (ch.appName !== 'Stasis') setDialplan(sim, ch, ch.context, ch.exten, ch.priority, 'Stasis', [appName, ...args].join(','))
  setVar(sim, ch, 'STASISSTATUS', '')
  const app = sim.apps.get(appName)
  if (!app || !app.active()) {
    sim.logger.debug({ app: appName }, `Stasis app '${appName}' doesn't exist or is not active`)
    setVar(sim, ch, 'STASISSTATUS', 'FAILED')
    restoreApp(ch, prevApp.name, prevApp.data)
    onExit('FAILED')
    return
  }
  ch.started = true
  const control = new StasisControl(sim, ch, app, args, ch.activity, prevApp, onExit)
  controls.set(ch, control)
  ch.activity = control
  sim.apps.subscribeChannel(app, ch)
  sim.bus.channelTo(app, ch, 'StasisStart', `,"args":${JSON.stringify(args)}`)
  if (ch.hangupRequested) sim.defer(() => control.leave())
}
