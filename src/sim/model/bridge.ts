/**
 * A Stasis bridge: its ARI snapshot, its members in Asterisk's internal order (which decides
 * BRIDGEPEER lists), hidden announcer channels (MoH, bridge playback) that ARI never lists,
 * and the apps subscribed to it.
 */
import type { App, BridgeRef } from '../apps.js'
import type { Channel } from './channel.js'
import { formatTimestamp } from './time.js'
import type { Playback } from '../playback.js'

export interface Member {
  /** The channel, or undefined for a hidden announcer. */
  ch: Channel | undefined
  name: string
  role: string
  /** The app that subscribed to the bridge because this channel joined. */
  app: App | undefined
}

export class Bridge implements BridgeRef {
  readonly subs = new Map<App, number>()
  /** Internal order (bridge->channels), hidden announcers included. */
  members: Member[] = []
  /** Visible channels in join order (the snapshot's `channels`). */
  readonly visible: Channel[] = []
  readonly creationtime: string
  destroyed = false
  moh: Member | undefined
  mohClass = ''
  announcer: Member | undefined
  readonly playQueue: Playback[] = []
  playing: Playback | undefined
  private json: string | undefined

  constructor(
    readonly id: string,
    readonly name: string,
    readonly type: 'mixing' | 'holding',
    readonly videoMode: string,
    now: number,
  ) {
    this.creationtime = formatTimestamp(now)
  }

  get technology(): string {
    return this.type === 'holding' ? 'holding_bridge' : 'simple_bridge'
  }

  touch(): void {
    this.json = undefined
  }

  snapshotJson(): string {
    this.json ??= JSON.stringify({
      id: this.id,
      technology: this.technology,
      bridge_type: this.type,
      bridge_class: 'stasis',
      creator: 'Stasis',
      name: this.name,
      channels: this.visible.map((c) => c.id),
      creationtime: this.creationtime,
      video_mode: this.videoMode,
    })
    return this.json
  }

  /** A channel in the announcer role (holding bridges). */
  hasAnnouncerRole(): boolean {
    return this.members.some((m) => m.role === 'announcer')
  }
}
