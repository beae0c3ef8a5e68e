/**
 * One simulated Asterisk channel: the fields ARI shows (snapshot), its variables, and the
 * lifecycle state the simulator needs (hangup flags, what runs on it, Local peer, bridge,
 * subscribed applications). Snapshots are cached as JSON text until a field changes.
 */
import { formatTimestamp } from './time.js'

export interface Party {
  name: string
  number: string
}

/** Whatever executes on a channel (dialplan, Stasis, an outgoing dial); told about hangups. */
export interface Activity {
  readonly kind: string
  hangup(): void
}

/** Watches an outgoing dial on the dialed channel: told what the far end signals. */
export interface DialWatch {
  indication(kind: Indication): void
}

export type Indication = 'ringing' | 'answer' | 'busy' | 'congestion' | 'progress'

/** Observer of a channel whose far end is simulated (inbound caller). */
export interface ChannelHooks {
  indicated(kind: Indication): void
  heard(mediaUri: string): void
  moh(on: boolean, mohClass?: string): void
  bridged(withChannel: string): void
  dtmfOut(digit: string): void
  destroyed(cause: number): void
}

/** Subscriber application, as far as a channel needs to know it. */
export interface Subscriber {
  readonly name: string
}

export type Tech = 'Local' | 'PJSIP' | 'Announcer'

export class Channel {
  state: string
  caller: Party = { name: '', number: '' }
  connected: Party = { name: '', number: '' }
  context: string
  exten: string
  priority = 1
  appName = ''
  appData = ''
  language = 'en'
  readonly creationtime: string
  readonly vars = new Map<string, string>()
  hangupCause = 0
  /** Soft hangup or queued hangup seen: whatever runs must stop. */
  hangupRequested = false
  destroyed = false
  /** Something ran on it (dialplan, Stasis, a dial): false for an idle ;2 of /channels/create. */
  started = false
  activity: Activity | undefined
  /** The other half of a Local pair. */
  peer: Channel | undefined
  /** Apps subscribed to this channel, with a reference count. */
  readonly subs = new Map<Subscriber, number>()
  /** Set by channels/create: the dial string /dial will use. */
  createdDialString: string | undefined
  /** Device name for device-state events, e.g. Local/answer@sim-customers or PJSIP/op101. */
  readonly device: string
  /** Internal channels (announcers) are invisible to ARI. */
  internal = false
  destroying = false
  dialWatch: DialWatch | undefined
  hooks: ChannelHooks | undefined
  /** The bridge it is in (set by the bridge model) and its role there. */
  bridge: { readonly id: string } | undefined
  bridgeRole = ''
  /** Playing audio towards its far end (what AMD on the other side listens to). */
  speaking = false
  voiceListeners: Set<(on: boolean) => void> | undefined
  mohClass: string | undefined
  /** Timers and listeners to drop when the channel is destroyed. */
  cleanups: Array<() => void> | undefined
  /** For PJSIP channels: the simulated phone's audio (machine greeting, human "hello"). */
  farVoice: { speaking: boolean; voiceListeners: Set<(on: boolean) => void> | undefined } | undefined
  private json: string | undefined

  constructor(
    readonly id: string,
    readonly name: string,
    readonly tech: Tech,
    state: string,
    context: string,
    exten: string,
    now: number,
    device: string,
  ) {
    this.state = state
    this.context = context
    this.exten = exten
    this.creationtime = formatTimestamp(now)
    this.device = device
  }

  /** The application last published in a snapshot (pbx_exec restores silently). */
  private pubApp = ''
  private pubData = ''

  /** Publishes a new snapshot: call after changing a visible field. */
  touch(): void {
    this.json = undefined
    this.pubApp = this.appName
    this.pubData = this.appData
  }

  snapshotJson(): string {
    if (this.json === undefined) {
      this.json = JSON.stringify({
        id: this.id,
        name: this.name,
        state: this.state,
        protocol_id: '',
        caller: this.caller,
        connected: this.connected,
        accountcode: '',
        dialplan: { context: this.context, exten: this.exten, priority: this.priority, app_name: this.pubApp, app_data: this.pubData },
        creationtime: this.creationtime,
        language: this.language,
      })
    }
    return this.json
  }

  snapshot(): Record<string, unknown> {
    return JSON.parse(this.snapshotJson()) as Record<string, unknown>
  }

  onGone(fn: () => void): void {
    ;(this.cleanups ??= []).push(fn)
  }

  isUp(): boolean {
    return this.state === 'Up'
  }
}
