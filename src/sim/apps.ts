/**
 * Stasis applications as res_stasis keeps them. An app is registered by an events socket and
 * stays in the registry while it has subscriptions ("forwards") even after its socket goes
 * away (deactivated: handler gone, events dropped). It is removed lazily, by cleanup() on
 * register, unregister and when a channel leaves Stasis, once it is inactive and has nothing
 * subscribed (res_stasis.c cleanup/app_is_finished).
 */
import type { Channel, Subscriber } from './model/channel.js'

export interface EventSink {
  send(text: string): void
}

/** What an app needs of a bridge to be subscribed to it. */
export interface BridgeRef {
  readonly id: string
  readonly subs: Map<App, number>
}

export class App implements Subscriber {
  session: EventSink | undefined
  subscribeAll = false
  readonly channels = new Map<Channel, number>()
  readonly bridges = new Map<BridgeRef, number>()
  dropped = 0

  constructor(readonly name: string) {}

  active(): boolean {
    return this.session !== undefined
  }

  finished(): boolean {
    return !this.active() && !this.subscribeAll && this.channels.size === 0 && this.bridges.size === 0
  }

  toJson(): Record<string, unknown> {
    if (this.subscribeAll) {
      return {
        name: this.name,
        channel_ids: ['__AST_CHANNEL_ALL_TOPIC'],
        bridge_ids: ['__AST_BRIDGE_ALL_TOPIC'],
        endpoint_ids: ['__AST_ENDPOINT_ALL_TOPIC'],
        device_names: ['__AST_DEVICE_STATE_ALL_TOPIC'],
        events_allowed: [],
        events_disallowed: [],
      }
    }
    return {
      name: this.name,
      channel_ids: [...this.channels.keys()].map((c) => c.id),
      bridge_ids: [...this.bridges.keys()].map((b) => b.id),
      endpoint_ids: [],
      device_names: [],
      events_allowed: [],
      events_disallowed: [],
    }
  }
}

export class AppRegistry {
  private readonly apps = new Map<string, App>()
  /** Apps registered with subscribeAll: they get every channel and bridge event. */
  readonly all = new Set<App>()

  get(name: string): App | undefined {
    return this.apps.get(name)
  }

  list(): App[] {
    return [...this.apps.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  }

  /** A socket registers `name`. Returns the session it replaced, if the app was active. */
  register(name: string, session: EventSink, subscribeAll: boolean): EventSink | undefined {
    let app = this.apps.get(name)
    let replaced: EventSink | undefined
    if (app) {
      replaced = app.session
      app.session = session
    } else {
      app = new App(name)
      app.session = session
      if (subscribeAll) {
        app.subscribeAll = true
        this.all.add(app)
      }
      this.apps.set(name, app)
    }
    this.cleanup()
    return replaced
  }

  /** The socket owning `name` went away: unsubscribe from "all", deactivate, clean up. */
  unregister(name: string): void {
    const app = this.apps.get(name)
    if (!app) return
    if (app.subscribeAll) {
      app.subscribeAll = false
      this.all.delete(app)
    }
    app.session = undefined
    this.cleanup()
  }

  cleanup(): void {
    for (const [name, app] of this.apps) if (app.finished()) this.apps.delete(name)
  }

  subscribeChannel(app: App, ch: Channel): void {
    app.channels.set(ch, (app.channels.get(ch) ?? 0) + 1)
    ch.subs.set(app, (ch.subs.get(app) ?? 0) + 1)
  }

  unsubscribeChannel(app: App, ch: Channel): void {
    const n = (app.channels.get(ch) ?? 0) - 1
    if (n <= 0) {
      app.channels.delete(ch)
      ch.subs.delete(app)
    } else {
      app.channels.set(ch, n)
      ch.subs.set(app, n)
    }
  }

  subscribeBridge(app: App, b: BridgeRef): void {
    app.bridges.set(b, (app.bridges.get(b) ?? 0) + 1)
    b.subs.set(app, (b.subs.get(app) ?? 0) + 1)
  }

  unsubscribeBridge(app: App, b: BridgeRef): void {
    const n = (app.bridges.get(b) ?? 0) - 1
    if (n <= 0) {
      app.bridges.delete(b)
      b.subs.delete(app)
    } else {
      app.bridges.set(b, n)
      b.subs.set(app, n)
    }
  }

  /** A channel was destroyed: every forward to it goes. */
  channelGone(ch: Channel): void {
    for (const sub of ch.subs.keys()) (sub as App).channels.delete(ch)
    ch.subs.clear()
  }

  bridgeGone(b: BridgeRef): void {
    for (const app of b.subs.keys()) app.bridges.delete(b)
    b.subs.clear()
  }
}
