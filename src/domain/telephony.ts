/**
 * Telephony port: what the engine asks of Asterisk, split per capability (channels, bridges,
 * playbacks, applications) plus the event stream. adapters/ari implements it over ARI; tests
 * may implement parts of it. Every id is chosen by the engine (domain/ids.ts) so that a
 * replayed step does not act twice. Failures are AppError with code ARI_HTTP (carrying
 * status and body), ARI_TIMEOUT or ARI_UNAVAILABLE.
 */
import type { Application, AriEvent, Bridge, Channel, Playback } from './ari-models.js'

export type HangupReason =
  | 'normal'
  | 'busy'
  | 'congestion'
  | 'no_answer'
  | 'timeout'
  | 'rejected'
  | 'unallocated'
  | 'normal_unspecified'
  | 'number_incomplete'
  | 'codec_mismatch'
  | 'interworking'
  | 'failure'
  | 'answered_elsewhere'

export interface OriginateParams {
  endpoint: string
  channelId: string
  otherChannelId?: string
  /** Stasis application to hand the answered channel to (or use context/extension/priority). */
  app?: string
  appArgs?: string[]
  context?: string
  extension?: string
  priority?: number
  callerId?: string
  timeoutSec?: number
  variables?: Record<string, string>
}

export interface CreateChannelParams {
  endpoint: string
  app: string
  appArgs?: string[]
  channelId: string
  otherChannelId?: string
  variables?: Record<string, string>
}

export interface DialParams {
  caller?: string
  timeoutSec?: number
}

export interface PlayParams {
  /** Media URIs, played in order: sound:x, number:42, digits:123, tone:ring, recording:x */
  media: string[]
  lang?: string
  playbackId: string
}

export interface ChannelsApi {
  get(channelId: string): Promise<Channel>
  list(): Promise<Channel[]>
  originate(p: OriginateParams): Promise<Channel>
  create(p: CreateChannelParams): Promise<Channel>
  dial(channelId: string, p?: DialParams): Promise<void>
  answer(channelId: string): Promise<void>
  ring(channelId: string): Promise<void>
  hangup(channelId: string, reason?: HangupReason): Promise<void>
  play(channelId: string, p: PlayParams): Promise<Playback>
  startMoh(channelId: string, mohClass?: string): Promise<void>
  stopMoh(channelId: string): Promise<void>
  getVariable(channelId: string, name: string): Promise<string | undefined>
  setVariable(channelId: string, name: string, value: string): Promise<void>
  sendDtmf(channelId: string, dtmf: string): Promise<void>
}

export interface BridgesApi {
  create(p: { bridgeId: string; type: 'mixing' | 'holding'; name?: string }): Promise<Bridge>
  get(bridgeId: string): Promise<Bridge>
  list(): Promise<Bridge[]>
  destroy(bridgeId: string): Promise<void>
  addChannel(bridgeId: string, channelIds: string[], role?: string): Promise<void>
  removeChannel(bridgeId: string, channelIds: string[]): Promise<void>
  play(bridgeId: string, p: PlayParams): Promise<Playback>
  startMoh(bridgeId: string, mohClass?: string): Promise<void>
  stopMoh(bridgeId: string): Promise<void>
}

export interface PlaybacksApi {
  get(playbackId: string): Promise<Playback>
  stop(playbackId: string): Promise<void>
}

export interface ApplicationsApi {
  get(app: string): Promise<Application>
  subscribe(app: string, eventSource: string): Promise<Application>
}

export type ConnectionState = 'connecting' | 'open' | 'closed'

export interface EventStreamStats {
  received: number
  malformed: number
  unknown: number
  reconnects: number
  /** Lag between the event's Asterisk timestamp and its arrival, last seen (ms). */
  lastLagMs: number
}

/**
 * The events socket. Handlers are called in arrival order; a throwing handler is logged by the
 * adapter and does not stop delivery. After every reconnect, `onResync` handlers run before
 * event delivery resumes (the engine lists channels and bridges and reconciles).
 */
export interface EventStream {
  onEvent(handler: (e: AriEvent) => void): () => void
  onResync(handler: () => Promise<void>): () => void
  onStateChange(handler: (s: ConnectionState) => void): () => void
  state(): ConnectionState
  stats(): EventStreamStats
}

export interface Telephony {
  readonly app: string
  readonly channels: ChannelsApi
  readonly bridges: BridgesApi
  readonly playbacks: PlaybacksApi
  readonly applications: ApplicationsApi
  readonly events: EventStream
  /** Connects the events socket; resolves when first open (rejects only on bad credentials). */
  start(): Promise<void>
  /** Closes the socket and the HTTP pool; no reconnect afterwards. */
  stop(): Promise<void>
}
