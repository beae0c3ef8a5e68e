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
  /** Stops the flow; with `handover`, the prompt playing in Asterisk is left to finish. */
  stop(handover?: boolean): void
  /** Resolves with the flow's output when it reaches a final node. */
  readonly done: Promise<FlowOutput>
}

/** A flow's persisted state: the XState snapshot (deadlines in its context) and the prompt counter. */
export interface FlowState {
  id: string
  version: string
  snapshot: unknown
  promptSeq: number
}

export interface StartFlowParams {
  callId: string
  channelId: string
  callerNumber?: string
  /** Dialed number or flow id from the dialplan (Stasis args). */
  entry?: string
  /** Resume from a persisted state instead of starting (same flow version). */
  restore?: FlowState
  /** Called after every transition with the state to persist. */
  onChange?(state: FlowState): void
}
