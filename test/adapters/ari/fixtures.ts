/** ARI objects and events shaped as Asterisk 22 sends them, for the adapter's tests. */
import type { Bridge, Channel, Playback } from '../../../src/domain/ari-models.js'

/** `2026-11-22T09:53:10.138+0000`, the format of ARI event timestamps. */
export function ariTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000')
}

export function channel(id: string, over: Partial<Channel> = {}): Channel {
  return {
    id,
    name: `Local/answer@sim-customers-0000000b;1`,
    state: 'Up',
    protocol_id: '',
    caller: { name: '', number: '' },
    connected: { name: '', number: '' },
    accountcode: '',
    dialplan: { context: 'sim-customers', exten: 'answer', priority: 1, app_name: 'AppDial2', app_data: '(Outgoing Line)' },
    creationtime: '2026-11-22T09:53:10.138+0000',
    language: 'en',
    ...over,
  }
}

export function bridge(id: string, channels: string[] = []): Bridge {
  return {
    id,
    technology: 'simple_bridge',
    bridge_type: 'mixing',
    bridge_class: 'stasis',
    creator: 'Stasis',
    name: 'queue-1',
    channels,
    video_mode: 'talker',
    creationtime: '2026-11-22T09:53:10.138+0000',
  }
}

export function playback(id: string, state = 'queued'): Playback {
  return { id, media_uri: 'sound:hello-world', target_uri: 'channel:c1', language: 'en', state }
}

export function event(type: string, fields: Record<string, unknown> = {}, at = Date.now()): Record<string, unknown> {
  return { type, timestamp: ariTimestamp(at), ...fields, asterisk_id: '02:fc:00:00:00:01', application: 'centralino' }
}

export function stasisStart(channelId: string, args: string[] = [], at = Date.now()): Record<string, unknown> {
  return event('StasisStart', { args, channel: channel(channelId) }, at)
}
