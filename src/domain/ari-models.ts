/**
 * The ARI resource and event shapes the engine relies on, as Asterisk 22 (ARI 10.0.0)
 * sends them. Only the fields the engine reads are required here; events are validated at the
 * boundary (adapters/ari) before they are typed as these.
 */

export type ChannelState =
  | 'Down'
  | 'Rsrved'
  | 'OffHook'
  | 'Dialing'
  | 'Ring'
  | 'Ringing'
  | 'Up'
  | 'Busy'
  | 'Dialing Offhook'
  | 'Pre-ring'
  | 'Unknown'

export interface CallerId {
  name: string
  number: string
}

export interface DialplanCEP {
  context: string
  exten: string
  priority: number
  app_name: string
  app_data: string
}

export interface Channel {
  id: string
  name: string
  state: ChannelState | string
  protocol_id: string
  caller: CallerId
  connected: CallerId
  accountcode: string
  dialplan: DialplanCEP
  creationtime: string
  language: string
  channelvars?: Record<string, string>
  caller_rdnis?: string
  tenantid?: string
}

export interface Bridge {
  id: string
  technology: string
  bridge_type: string
  bridge_class: string
  creator: string
  name: string
  channels: string[]
  video_mode?: string
  video_source_id?: string
  creationtime: string
}

export type PlaybackState = 'queued' | 'playing' | 'continuing' | 'done' | 'failed'

export interface Playback {
  id: string
  media_uri: string
  next_media_uri?: string
  target_uri: string
  language?: string
  state: PlaybackState | string
}

export interface Application {
  name: string
  channel_ids: string[]
  bridge_ids: string[]
  endpoint_ids: string[]
  device_names: string[]
  events_allowed: unknown[]
  events_disallowed: unknown[]
}

interface EventBase {
  type: string
  application: string
  timestamp: string
  asterisk_id?: string
}

export interface StasisStartEvent extends EventBase {
  type: 'StasisStart'
  args: string[]
  channel: Channel
  replace_channel?: Channel
}
export interface StasisEndEvent extends EventBase {
  type: 'StasisEnd'
  channel: Channel
}
export interface ChannelDtmfReceivedEvent extends EventBase {
  type: 'ChannelDtmfReceived'
  digit: string
  duration_ms: number
  channel: Channel
}
export interface ChannelStateChangeEvent extends EventBase {
  type: 'ChannelStateChange'
  channel: Channel
}
export interface ChannelHangupRequestEvent extends EventBase {
  type: 'ChannelHangupRequest'
  cause?: number
  soft?: boolean
  channel: Channel
}
export interface ChannelDestroyedEvent extends EventBase {
  type: 'ChannelDestroyed'
  cause: number
  cause_txt: string
  channel: Channel
}
export interface ChannelVarsetEvent extends EventBase {
  type: 'ChannelVarset'
  variable: string
  value: string
  channel?: Channel
}
export interface ChannelDialplanEvent extends EventBase {
  type: 'ChannelDialplan'
  dialplan_app: string
  dialplan_app_data: string
  channel: Channel
}
export interface DialEvent extends EventBase {
  type: 'Dial'
  caller?: Channel
  peer: Channel
  forward?: string
  dialstring?: string
  dialstatus: string
}
export interface PlaybackStartedEvent extends EventBase {
  type: 'PlaybackStarted'
  playback: Playback
}
export interface PlaybackFinishedEvent extends EventBase {
  type: 'PlaybackFinished'
  playback: Playback
}
export interface ChannelEnteredBridgeEvent extends EventBase {
  type: 'ChannelEnteredBridge'
  bridge: Bridge
  channel?: Channel
}
export interface ChannelLeftBridgeEvent extends EventBase {
  type: 'ChannelLeftBridge'
  bridge: Bridge
  channel: Channel
}
export interface BridgeCreatedEvent extends EventBase {
  type: 'BridgeCreated'
  bridge: Bridge
}
export interface BridgeDestroyedEvent extends EventBase {
  type: 'BridgeDestroyed'
  bridge: Bridge
}
export interface ApplicationReplacedEvent extends EventBase {
  type: 'ApplicationReplaced'
}
/** Any other well-formed event: passed on untyped, never thrown away silently. */
export interface OtherEvent extends EventBase {
  type: string
  [k: string]: unknown
}

export type KnownAriEvent =
  | StasisStartEvent
  | StasisEndEvent
  | ChannelDtmfReceivedEvent
  | ChannelStateChangeEvent
  | ChannelHangupRequestEvent
  | ChannelDestroyedEvent
  | ChannelVarsetEvent
  | ChannelDialplanEvent
  | DialEvent
  | PlaybackStartedEvent
  | PlaybackFinishedEvent
  | ChannelEnteredBridgeEvent
  | ChannelLeftBridgeEvent
  | BridgeCreatedEvent
  | BridgeDestroyedEvent
  | ApplicationReplacedEvent

export type AriEvent = KnownAriEvent

/** Q.850 causes the engine distinguishes. */
export const Cause = {
  UNKNOWN: 0,
  NORMAL_CLEARING: 16,
  USER_BUSY: 17,
  NO_USER_RESPONSE: 18,
  NO_ANSWER: 19,
  CALL_REJECTED: 21,
  NUMBER_CHANGED: 22,
  DESTINATION_OUT_OF_ORDER: 27,
  INVALID_NUMBER_FORMAT: 28,
  NORMAL_UNSPECIFIED: 31,
  CONGESTION: 34,
  UNALLOCATED: 1,
} as const
