/**
 * Boundary checks for what Asterisk sends: every events-socket frame is parsed and checked
 * here before it is typed as an AriEvent, and HTTP replies are checked with the same shape
 * rules. A field is required when both Asterisk's model (ARI 10 api-docs) and
 * domain/ari-models.ts require it. Checks return the first problem found, never throw.
 */
import type { AriEvent, KnownAriEvent } from '../../domain/ari-models.js'

/** A problem description ('channel.caller.number: missing string'), or undefined when fine. */
export type Problem = string | undefined
export type Check = (v: unknown, at: string) => Problem

type Obj = Record<string, unknown>

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

const str: Check = (v, at) => (typeof v === 'string' ? undefined : `${at}: missing string`)
const num: Check = (v, at) => (typeof v === 'number' && Number.isFinite(v) ? undefined : `${at}: missing number`)
const bool: Check = (v, at) => (typeof v === 'boolean' ? undefined : `${at}: missing boolean`)
const strList: Check = (v, at) =>
  Array.isArray(v) && v.every((x) => typeof x === 'string') ? undefined : `${at}: missing list of strings`
const list: Check = (v, at) => (Array.isArray(v) ? undefined : `${at}: missing list`)
const optional =
  (c: Check): Check =>
  (v, at) =>
    v === undefined ? undefined : c(v, at)

/** An object whose listed fields pass their checks (other fields are allowed and kept). */
function shape(fields: Record<string, Check>): Check {
  const entries = Object.entries(fields)
  return (v, at) => {
    if (!isObj(v)) return `${at || 'value'}: not an object`
    for (const [k, c] of entries) {
      const p = c(v[k], at ? `${at}.${k}` : k)
      if (p) return p
    }
    return undefined
  }
}

const callerId = shape({ name: str, number: str })
const dialplan = shape({ context: str, exten: str, priority: num, app_name: str, app_data: str })

export const channelShape = shape({
  id: str,
  name: str,
  state: str,
  protocol_id: str,
  caller: callerId,
  connected: callerId,
  accountcode: str,
  dialplan,
  creationtime: str,
  language: str,
})
export const bridgeShape = shape({
  id: str,
  technology: str,
  bridge_type: str,
  bridge_class: str,
  creator: str,
  name: str,
  channels: strList,
  creationtime: str,
})
export const playbackShape = shape({ id: str, media_uri: str, target_uri: str, state: str, language: optional(str) })
export const applicationShape = shape({
  name: str,
  channel_ids: strList,
  bridge_ids: strList,
  endpoint_ids: strList,
  device_names: strList,
  events_allowed: list,
  events_disallowed: list,
})

const base = { type: str, application: str, timestamp: str }

/** The event types the engine handles, with their required fields. */
const EVENT_SHAPES: Record<KnownAriEvent['type'], Check> = {
  StasisStart: shape({ ...base, args: strList, channel: channelShape, replace_channel: optional(channelShape) }),
  StasisEnd: shape({ ...base, channel: channelShape }),
  ChannelDtmfReceived: shape({ ...base, digit: str, duration_ms: num, channel: channelShape }),
  ChannelStateChange: shape({ ...base, channel: channelShape }),
  ChannelHangupRequest: shape({ ...base, cause: optional(num), soft: optional(bool), channel: channelShape }),
  ChannelDestroyed: shape({ ...base, cause: num, cause_txt: str, channel: channelShape }),
  ChannelVarset: shape({ ...base, variable: str, value: str, channel: optional(channelShape) }),
  ChannelDialplan: shape({ ...base, dialplan_app: str, dialplan_app_data: str, channel: channelShape }),
  Dial: shape({
    ...base,
    caller: optional(channelShape),
    peer: channelShape,
    forward: optional(str),
    dialstring: optional(str),
    dialstatus: str,
  }),
  PlaybackStarted: shape({ ...base, playback: playbackShape }),
  PlaybackFinished: shape({ ...base, playback: playbackShape }),
  ChannelEnteredBridge: shape({ ...base, bridge: bridgeShape, channel: optional(channelShape) }),
  ChannelLeftBridge: shape({ ...base, bridge: bridgeShape, channel: channelShape }),
  BridgeCreated: shape({ ...base, bridge: bridgeShape }),
  BridgeDestroyed: shape({ ...base, bridge: bridgeShape }),
  ApplicationReplaced: shape(base),
}

export function isKnownEventType(type: string): type is KnownAriEvent['type'] {
  return Object.prototype.hasOwnProperty.call(EVENT_SHAPES, type)
}

export type FrameResult =
  | { kind: 'event'; event: AriEvent }
  | { kind: 'unknown'; type: string }
  | { kind: 'malformed'; reason: string }

/** Parses and checks one events-socket frame. */
export function parseFrame(text: string): FrameResult {
  let v: unknown
  try {
    v = JSON.parse(text)
  } catch (e) {
    return { kind: 'malformed', reason: `invalid JSON (${e instanceof Error ? e.message : String(e)})` }
  }
  if (!isObj(v)) return { kind: 'malformed', reason: 'frame is not a JSON object' }
  if (typeof v.type !== 'string' || v.type === '') return { kind: 'malformed', reason: 'type: missing string' }
  if (!isKnownEventType(v.type)) return { kind: 'unknown', type: v.type }
  const problem = EVENT_SHAPES[v.type](v, '')
  if (problem) return { kind: 'malformed', reason: `${v.type}: ${problem}` }
  return { kind: 'event', event: v as unknown as AriEvent }
}

/**
 * Milliseconds since the Unix epoch of an ARI timestamp (`2026-11-22T09:53:10.138+0000`),
 * or undefined when it does not parse.
 */
export function parseAriTimestamp(ts: string): number | undefined {
  const iso = ts.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? undefined : ms
}
