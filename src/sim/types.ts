/**
 * Public types of the Asterisk 22 ARI simulator: options, the simulator handle, simulated
 * callers (inbound calls over the trunk) and simulated phones (PJSIP endpoints).
 */
import type { Clock } from '../domain/clock.js'
import type { Logger } from '../domain/log.js'

/** How a simulated PJSIP endpoint (agent phone, trunk callee) behaves when dialed. */
export interface PhoneBehaviour {
  /** Answers this long after it starts ringing (default 1000 ms). */
  answerAfterMs?: number
  /** Rings until the caller gives up. */
  noAnswer?: boolean
  /** Rejects with 486 Busy Here (cause 17). */
  busy?: boolean
  /** Rejects with 503 (cause 34). */
  congestion?: boolean
  /** With busy or congestion: the rejection comes this long after the dial (default 100 ms; a carrier's busy often takes a second or more). */
  rejectAfterMs?: number
  /** No reachable contact: the channel cannot be created (500 Allocation failed). */
  unreachable?: boolean
  /** An answering machine: long greeting once answered (AMD says MACHINE). */
  machine?: boolean
  /** Answers and never speaks (AMD says NOTSURE). */
  silent?: boolean
  /** Hangs up this long after answering (cause 16). */
  hangupAfterMs?: number
}

export type PhoneResolver = (endpoint: string) => PhoneBehaviour | undefined

export type CallerStep =
  | { waitFor: 'playback'; media?: string | RegExp; timeoutMs?: number }
  | { waitFor: 'bridged'; timeoutMs?: number }
  | { waitFor: 'answered'; timeoutMs?: number }
  | { wait: number }
  | { dtmf: string; gapMs?: number }
  | { hangup: true }

export interface InboundCallParams {
  from: string
  to: string
  callerName?: string
  context?: string
  script?: CallerStep[]
}

export interface CallResult {
  cause: number
  bridgedWith?: string
  heard: string[]
  durationMs: number
}

export type SimCallEvent = 'playback' | 'bridged' | 'moh' | 'hangup' | 'answered'

export interface SimCall {
  readonly id: string
  readonly channelId: string
  readonly heard: string[]
  sendDtmf(digits: string, gapMs?: number): Promise<void>
  hangup(): void
  on(event: SimCallEvent, fn: (detail: unknown) => void): () => void
  readonly done: Promise<CallResult>
}

export interface SimulatorOptions {
  host?: string
  port?: number
  users?: Record<string, string>
  clock?: Clock
  asteriskId?: string
  /**
   * asterisk.conf `systemname`: prefixes every unique id (and so every channel id Asterisk
   * chooses), which keeps ids unique across the servers of a cluster.
   */
  systemName?: string
  dialplan?: string
  soundDuration?: (name: string, lang: string) => number | undefined
  phones?: PhoneResolver
  logger?: Logger
}

export interface SimStats {
  channels: number
  bridges: number
  playbacks: number
  httpRequests: number
  eventsSent: number
}

export interface Simulator {
  readonly url: string
  readonly ariUrl: string
  close(): Promise<void>
  placeCall(p: InboundCallParams): SimCall
  setPhone(endpoint: string, b: PhoneBehaviour | undefined): void
  dropEventSockets(): void
  channelCount(): number
  stats(): SimStats
}
