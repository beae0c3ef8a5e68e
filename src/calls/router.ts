/**
 * Routes ARI events to whoever owns the object they concern: handlers per channel id
 * (events carrying `channel`, and Dial events by `peer`), per playback id, and global
 * StasisStart listeners. Handlers are removed by their owner (the returned function) and,
 * for channels, automatically after ChannelDestroyed; playback handlers after
 * PlaybackFinished. Nothing stays registered for an object that is gone.
 */
import type { AriEvent, Channel, StasisStartEvent } from '../domain/ari-models.js'
import type { Logger } from '../domain/log.js'
import type { EventStream } from '../domain/telephony.js'

type Handler<E = AriEvent> = (e: E) => void

export class EventRouter {
  private readonly channels = new Map<string, Set<Handler>>()
  private readonly playbacks = new Map<string, Set<Handler>>()
  private readonly stasisStart = new Set<Handler<StasisStartEvent>>()
  private readonly detach: () => void

  constructor(
    events: EventStream,
    private readonly log: Logger,
  ) {
    this.detach = events.onEvent((e) => this.route(e))
  }

  close(): void {
    this.detach()
    this.channels.clear()
    this.playbacks.clear()
    this.stasisStart.clear()
  }

  onStasisStart(h: Handler<StasisStartEvent>): () => void {
    this.stasisStart.add(h)
    return () => this.stasisStart.delete(h)
  }

  onChannel(channelId: string, h: Handler): () => void {
    return add(this.channels, channelId, h)
  }

  onPlayback(playbackId: string, h: Handler): () => void {
    return add(this.playbacks, playbackId, h)
  }

  /** Registered handler counts, to prove nothing leaks. */
  size(): { channels: number; playbacks: number } {
    return { channels: this.channels.size, playbacks: this.playbacks.size }
  }

  /**
   * After the events socket came back, events may have been lost. Tells every owner the
   * current truth as synthetic events: a channel still there gets a ChannelStateChange with
   * its current state, a channel gone gets ChannelDestroyed, a playback gone gets
   * PlaybackFinished. Owners react as they would to the real events.
   */
  async resync(live: Channel[], playbackExists: (id: string) => Promise<boolean>): Promise<void> {
    const byId = new Map(live.map((c) => [c.id, c]))
    const base = { application: 'resync', timestamp: new Date().toISOString() }
    for (const id of [...this.channels.keys()]) {
      const c = byId.get(id)
      if (c) this.route({ ...base, type: 'ChannelStateChange', channel: c })
      else this.route({ ...base, type: 'ChannelDestroyed', cause: 0, cause_txt: 'Unknown', channel: { ...placeholder, id } })
    }
    for (const id of [...this.playbacks.keys()]) {
      let exists = true
      try {
        exists = await playbackExists(id)
      } catch (err) {
        this.log.warn({ err, playbackId: id }, 'could not check playback after reconnect')
      }
      if (!exists) this.route({ ...base, type: 'PlaybackFinished', playback: { id, media_uri: '', target_uri: '', state: 'done' } })
    }
  }

  route(e: AriEvent): void {
    switch (e.type) {
      case 'StasisStart':
        for (const h of [...this.stasisStart]) this.call(h, e)
        this.toChannel(e.channel.id, e)
        return
      case 'Dial':
        this.toChannel(e.peer.id, e)
        return
      case 'PlaybackStarted':
        this.deliver(this.playbacks, e.playback.id, e)
        return
      case 'PlaybackFinished':
        this.deliver(this.playbacks, e.playback.id, e)
        this.playbacks.delete(e.playback.id)
        return
      case 'ChannelDestroyed':
        this.toChannel(e.channel.id, e)
        this.channels.delete(e.channel.id)
        return
      default:
        if ('channel' in e && e.channel) this.toChannel(e.channel.id, e)
    }
  }

  private toChannel(id: string, e: AriEvent): void {
    this.deliver(this.channels, id, e)
  }

  private deliver(map: Map<string, Set<Handler>>, id: string, e: AriEvent): void {
    const set = map.get(id)
    if (!set) return
    for (const h of [...set]) this.call(h, e)
  }

  private call<E>(h: Handler<E>, e: E): void {
    try {
      h(e)
    } catch (err) {
      this.log.error({ err, event: (e as AriEvent).type }, 'event handler failed')
    }
  }
}

function add(map: Map<string, Set<Handler>>, id: string, h: Handler): () => void {
  let set = map.get(id)
  if (!set) map.set(id, (set = new Set()))
  set.add(h)
  return () => {
    const s = map.get(id)
    if (!s) return
    s.delete(h)
    if (s.size === 0) map.delete(id)
  }
}

const placeholder: Channel = {
  id: '',
  name: '',
  state: 'Down',
  protocol_id: '',
  caller: { name: '', number: '' },
  connected: { name: '', number: '' },
  accountcode: '',
  dialplan: { context: '', exten: '', priority: 0, app_name: '', app_data: '' },
  creationtime: '',
  language: '',
}
