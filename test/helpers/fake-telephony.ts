/**
 * A scriptable Telephony for unit tests: records every request, answers them with
 * plausible objects, and lets the test push ARI events. Requests can be made to fail.
 */
import type { AriEvent, Bridge, Channel, Playback } from '../../src/domain/ari-models.js'
import { AppError } from '../../src/domain/errors.js'
import type { ConnectionState, EventStream, EventStreamStats, Telephony } from '../../src/domain/telephony.js'

export interface Req {
  op: string
  id?: string
  args?: unknown
}

export function channel(id: string, over: Partial<Channel> = {}): Channel {
  return {
    id,
    name: `PJSIP/trunk-${id.slice(0, 8)}`,
    state: 'Ring',
    protocol_id: '',
    caller: { name: '', number: '+393331234567' },
    connected: { name: '', number: '' },
    accountcode: '',
    dialplan: { context: 'from-trunk', exten: '803164', priority: 2, app_name: 'Stasis', app_data: 'centralino,inbound,803164' },
    creationtime: '2026-11-23T09:00:00.000+0000',
    language: 'en',
    ...over,
  }
}

const base = { application: 'centralino', timestamp: '2026-11-23T09:00:00.000+0000', asterisk_id: '02:fc:00:00:00:01' }

export const ev = {
  stasisStart: (c: Channel, args: string[]): AriEvent => ({ ...base, type: 'StasisStart', args, channel: c }),
  stasisEnd: (c: Channel): AriEvent => ({ ...base, type: 'StasisEnd', channel: c }),
  dtmf: (c: Channel, digit: string): AriEvent => ({ ...base, type: 'ChannelDtmfReceived', digit, duration_ms: 100, channel: c }),
  state: (c: Channel, state: string): AriEvent => ({ ...base, type: 'ChannelStateChange', channel: { ...c, state } }),
  dial: (peer: Channel, dialstatus: string): AriEvent => ({ ...base, type: 'Dial', peer, dialstatus, dialstring: '', forward: '' }),
  destroyed: (c: Channel, cause = 16): AriEvent => ({ ...base, type: 'ChannelDestroyed', cause, cause_txt: '', channel: c }),
  hangupRequest: (c: Channel, cause = 16): AriEvent => ({ ...base, type: 'ChannelHangupRequest', cause, channel: c }),
  playbackFinished: (id: string, state = 'done'): AriEvent => ({ ...base, type: 'PlaybackFinished', playback: { id, media_uri: '', target_uri: '', state } }),
  playbackStarted: (id: string): AriEvent => ({ ...base, type: 'PlaybackStarted', playback: { id, media_uri: '', target_uri: '', state: 'playing' } }),
}

export class FakeTelephony implements Telephony {
  readonly app = 'centralino'
  readonly requests: Req[] = []
  /** op -> error to throw (once per entry). */
  readonly failNext = new Map<string, AppError>()
  private handlers = new Set<(e: AriEvent) => void>()
  private resyncs = new Set<() => Promise<void>>()
  liveChannels: Channel[] = []

  private rec<T>(op: string, id: string | undefined, args: unknown, result: T): Promise<T> {
    this.requests.push({ op, id, args })
    const err = this.failNext.get(op)
    if (err) {
      this.failNext.delete(op)
      return Promise.reject(err)
    }
    return Promise.resolve(result)
  }

  ops(op?: string): Req[] {
    return op ? this.requests.filter((r) => r.op === op) : this.requests
  }

  emit(e: AriEvent): void {
    for (const h of [...this.handlers]) h(e)
  }

  async resync(): Promise<void> {
    for (const h of this.resyncs) await h()
  }

  readonly channels = {
    get: (id: string) => this.rec('channels.get', id, undefined, channel(id)),
    list: () => this.rec('channels.list', undefined, undefined, this.liveChannels),
    originate: (p: { channelId: string }) => this.rec('channels.originate', p.channelId, p, channel(p.channelId, { state: 'Down' })),
    create: (p: { channelId: string }) => this.rec('channels.create', p.channelId, p, channel(p.channelId, { state: 'Down' })),
    dial: (id: string, p?: unknown) => this.rec('channels.dial', id, p, undefined),
    answer: (id: string) => this.rec('channels.answer', id, undefined, undefined),
    ring: (id: string) => this.rec('channels.ring', id, undefined, undefined),
    hangup: (id: string, reason?: string) => this.rec('channels.hangup', id, reason, undefined),
    play: (id: string, p: { playbackId: string; media: string[] }) =>
      this.rec<Playback>('channels.play', id, p, { id: p.playbackId, media_uri: p.media[0] ?? '', target_uri: `channel:${id}`, state: 'queued' }),
    startMoh: (id: string, cls?: string) => this.rec('channels.startMoh', id, cls, undefined),
    stopMoh: (id: string) => this.rec('channels.stopMoh', id, undefined, undefined),
    getVariable: (id: string, name: string) => this.rec<string | undefined>('channels.getVariable', id, name, undefined),
    setVariable: (id: string, name: string, value: string) => this.rec('channels.setVariable', id, { name, value }, undefined),
    sendDtmf: (id: string, dtmf: string) => this.rec('channels.sendDtmf', id, dtmf, undefined),
  }

  readonly bridges = {
    create: (p: { bridgeId: string; type: string; name?: string }) =>
      this.rec<Bridge>('bridges.create', p.bridgeId, p, {
        id: p.bridgeId,
        technology: 'simple_bridge',
        bridge_type: p.type,
        bridge_class: 'stasis',
        creator: 'Stasis',
        name: p.name ?? '',
        channels: [],
        creationtime: '',
      }),
    get: (id: string) => this.rec<Bridge>('bridges.get', id, undefined, { id, technology: '', bridge_type: 'mixing', bridge_class: '', creator: '', name: '', channels: [], creationtime: '' }),
    list: () => this.rec<Bridge[]>('bridges.list', undefined, undefined, []),
    destroy: (id: string) => this.rec('bridges.destroy', id, undefined, undefined),
    addChannel: (id: string, channels: string[]) => this.rec('bridges.addChannel', id, channels, undefined),
    removeChannel: (id: string, channels: string[]) => this.rec('bridges.removeChannel', id, channels, undefined),
    play: (id: string, p: { playbackId: string }) => this.rec<Playback>('bridges.play', id, p, { id: p.playbackId, media_uri: '', target_uri: `bridge:${id}`, state: 'queued' }),
    startMoh: (id: string) => this.rec('bridges.startMoh', id, undefined, undefined),
    stopMoh: (id: string) => this.rec('bridges.stopMoh', id, undefined, undefined),
  }

  readonly playbacks = {
    get: (id: string) => this.rec<Playback>('playbacks.get', id, undefined, { id, media_uri: '', target_uri: '', state: 'playing' }),
    stop: (id: string) => this.rec('playbacks.stop', id, undefined, undefined),
  }

  readonly applications = {
    get: (app: string) => this.rec('applications.get', app, undefined, { name: app, channel_ids: [], bridge_ids: [], endpoint_ids: [], device_names: [], events_allowed: [], events_disallowed: [] }),
    subscribe: (app: string, src: string) =>
      this.rec('applications.subscribe', app, src, { name: app, channel_ids: [], bridge_ids: [], endpoint_ids: [], device_names: [], events_allowed: [], events_disallowed: [] }),
  }

  readonly events: EventStream = {
    onEvent: (h) => {
      this.handlers.add(h)
      return () => this.handlers.delete(h)
    },
    onResync: (h) => {
      this.resyncs.add(h)
      return () => this.resyncs.delete(h)
    },
    onStateChange: () => () => {},
    state: (): ConnectionState => 'open',
    stats: (): EventStreamStats => ({ received: 0, malformed: 0, unknown: 0, reconnects: 0, lastLagMs: 0 }),
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}
}

export const notFound = (what = 'Channel') => new AppError('ARI_HTTP', `${what} not found`, { status: 404, body: { message: `${what} not found` } })
