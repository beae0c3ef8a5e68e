/**
 * What a call session needs from a running voice-portal flow: feed it digits, stop it, and
 * get its outcome. The implementation (ivr-runner.ts) runs the compiled XState machine with
 * actors that play prompts on the call's channel.
 */
import type { FlowOutcome, FlowOutput } from '../ivr/types.js'

export type { FlowOutcome, FlowOutput }

export interface FlowRun {
  readonly flowId: string
  readonly version: string
  send(digit: string): void
  stop(): void
  /** Resolves with the flow's output when it reaches a final node. */
  readonly done: Promise<FlowOutput>
}

export interface StartFlowParams {
  callId: string
  channelId: string
  callerNumber?: string
  /** Dialed number or flow id from the dialplan (Stasis args). */
  entry?: string
}
