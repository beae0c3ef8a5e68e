/**
 * Builds ARI events as compact JSON text, in Asterisk's key order, and hands one copy per
 * recipient application to its socket (asterisk_id and application appended). Recipients of
 * a channel event are the apps subscribed to the channel plus subscribeAll apps; a bridge
 * event goes to the bridge's subscribers. Work per event depends only on its recipients.
 */
import type { Clock } from '../domain/clock.js'
import type { App, AppRegistry, BridgeRef } from './apps.js'
import type { Channel } from './model/channel.js'
import { formatTimestamp } from './model/time.js'

export interface BusStats {
  eventsSent: number
  eventsDropped: number
  /** Recipient checks made (instrumentation: must not grow with the number of channels). */
  recipientChecks: number
}

export class EventBus {
  readonly stats: BusStats = { eventsSent: 0, eventsDropped: 0, recipientChecks: 0 }
  private readonly tail: string

  constructor(
    private readonly clock: Clock,
    private readonly apps: AppRegistry,
    readonly asteriskId: string,
  ) {
    this.tail = `,"asterisk_id":${JSON.stringify(asteriskId)},"application":`
  }

  now(): string {
    return formatTimestamp(this.clock.now())
  }

  /** `{"type":T,"timestamp":..` plus fields: the common event head. */
  head(type: string, pre = ''): string {
    return `{${pre}"type":"${type}","timestamp":"${this.now()}"`
  }

  /** Sends `body` (an object's JSON without its closing brace) to each app. */
  deliver(body: string, to: Iterable<App>): void {
    for (const app of to) this.sendTo(app, body + this.tail + JSON.stringify(app.name) + '}')
  }

  sendTo(app: App, text: string): void {
    if (app.session) {
      app.session.send(text)
      this.stats.eventsSent++
    } else {
      app.dropped++
      this.stats.eventsDropped++
    }
  }

  /** Apps that see events of these channels (and optionally a bridge). */
  recipients(channels: readonly (Channel | undefined)[], bridge?: BridgeRef): Iterable<App> {
    const set = new Set<App>()
    for (const ch of channels) {
      if (!ch || ch.internal) continue
      for (const app of ch.subs.keys()) {
        this.stats.recipientChecks++
        set.add(app as App)
      }
    }
    if (bridge) {
      for (const app of bridge.subs.keys()) {
        this.stats.recipientChecks++
        set.add(app)
      }
    }
    for (const app of this.apps.all) {
      this.stats.recipientChecks++
      set.add(app)
    }
    return set
  }

  /** A channel event: {pre,type,timestamp,mid,"channel":snapshot}. */
  channel(ch: Channel, type: string, mid = '', pre = ''): void {
    if (ch.internal) return
    const body = `${this.head(type, pre)}${mid},"channel":${ch.snapshotJson()}`
    this.deliver(body, this.recipients([ch]))
  }

  /** Channel event delivered to one app only (StasisStart, StasisEnd). */
  channelTo(app: App, ch: Channel, type: string, mid = ''): void {
    const body = `${this.head(type)}${mid},"channel":${ch.snapshotJson()}`
    this.deliver(body, [app])
  }

  varset(ch: Channel, variable: string, value: string): void {
    this.channel(ch, 'ChannelVarset', '', `"variable":${JSON.stringify(variable)},"value":${JSON.stringify(value)},`)
  }

  hangupRequest(ch: Channel, cause: number, soft: boolean): void {
    this.channel(ch, 'ChannelHangupRequest', '', `"cause":${cause},${soft ? '"soft":true,' : ''}`)
  }

  /** Dial event: peer is the dialed channel; caller optional. */
  dial(peer: Channel, dialstatus: string, dialstring: string, caller?: Channel): void {
    if (peer.internal) return
    let body = `${this.head('Dial')},"dialstatus":${JSON.stringify(dialstatus)},"forward":"","dialstring":${JSON.stringify(dialstring)}`
    if (caller) body += `,"caller":${caller.snapshotJson()}`
    body += `,"peer":${peer.snapshotJson()}`
    this.deliver(body, this.recipients([peer, caller]))
  }

  bridgeEvent(type: string, bridgeJson: string, b: BridgeRef, ch?: Channel): void {
    let body = `${this.head(type)},"bridge":${bridgeJson}`
    if (ch) body += `,"channel":${ch.snapshotJson()}`
    this.deliver(body, this.recipients(ch ? [ch] : [], b))
  }

  playback(type: string, playbackJson: string, to: Iterable<App>): void {
    this.deliver(`${this.head(type)},"playback":${playbackJson}`, to)
  }

  applicationReplaced(app: App, session: { send(text: string): void }): void {
    session.send(`{"type":"ApplicationReplaced","timestamp":"${this.now()}","application":${JSON.stringify(app.name)}${this.tail.slice(0, this.tail.indexOf(',"application"'))}}`)
    this.stats.eventsSent++
  }

  deviceState(name: string, state: string): void {
    const ds = JSON.stringify({ name, state })
    for (const app of this.apps.all) {
      this.sendTo(app, `{"type":"DeviceStateChanged","application":${JSON.stringify(app.name)},"timestamp":"${this.now()}","device_state":${ds},"asterisk_id":${JSON.stringify(this.asteriskId)}}`)
    }
  }
}
