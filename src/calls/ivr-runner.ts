/**
 * Runs a compiled flow for one call: the flow's XState machine with the actors that touch
 * the call — prompts played on the caller's channel (stopped when the machine leaves the
 * state: that is barge-in), and the back office over HTTP. Deadlines use the engine clock.
 */
import { createActor, fromCallback, fromPromise } from 'xstate'
import type { Clock } from '../domain/clock.js'
import { deriveId } from '../domain/ids.js'
import type { Logger } from '../domain/log.js'
import type { Telephony } from '../domain/telephony.js'
import { createFlowMachine, type BackOfficeCall, type CompiledFlow, type FlowEvent, type FlowOutput, type PlayPromptsInput } from '../ivr/index.js'
import type { BackOfficeInput, BackOfficeOutput } from '../ivr/types.js'
import type { FlowRun, StartFlowParams } from './flow-run.js'
import { awaitPlayback, playToChannel } from './playback.js'
import type { EventRouter } from './router.js'

export interface IvrRunnerDeps {
  telephony: Telephony
  router: EventRouter
  clock: Clock
  log: Logger
  backOffice: BackOfficeCall
}

export function runFlow(d: IvrRunnerDeps, flow: CompiledFlow, p: StartFlowParams): FlowRun {
  let seq = p.restore?.promptSeq ?? 0
  // While a persisted snapshot is restored, XState restarts the prompt actor of the state the
  // call was in: that prompt was already started (its id is the persisted counter), so wait
  // for it instead of playing it again.
  let restoring = p.restore !== undefined
  const playPrompts = fromCallback<FlowEvent, PlayPromptsInput>(({ input, sendBack }) => {
    const abort = new AbortController()
    const resumed = restoring
    restoring = false
    const playbackId = deriveId(p.callId, flow.version, 'prompt', resumed ? seq : ++seq)
    const played = resumed ? awaitPlayback(d, playbackId, abort.signal) : playToChannel(d, p.channelId, input.items, input.lang, playbackId, abort.signal)
    void played.then((r) => {
      if (r === 'failed') d.log.warn({ playbackId, items: input.items.length }, 'prompt failed to play; flow goes on')
      if (r !== 'stopped') sendBack({ type: 'PROMPTS.DONE' })
    })
    return () => abort.abort()
  })
  const backOffice = fromPromise<BackOfficeOutput, BackOfficeInput>(({ input, signal }) => d.backOffice(input, signal))
  const machine = createFlowMachine(flow, { clock: d.clock }).provide({ actors: { playPrompts, backOffice } })
  const input = { callId: p.callId, callerNumber: p.callerNumber }
  const actor = p.restore ? createActor(machine, { input, snapshot: p.restore.snapshot as never }) : createActor(machine, { input })
  const done = new Promise<FlowOutput>((resolve, reject) => {
    actor.subscribe({
      next: (snap) => {
        if (snap.status === 'done') resolve(snap.output as FlowOutput)
        else if (p.onChange) p.onChange({ id: flow.id, version: flow.version, snapshot: actor.getPersistedSnapshot(), promptSeq: seq })
      },
      error: (err) => reject(err),
    })
  })
  // A flow stopped early (caller hung up) never resolves; nobody waits on it then.
  done.catch(() => undefined)
  actor.start()
  restoring = false
  return {
    flowId: flow.id,
    version: flow.version,
    send: (digit) => actor.send({ type: 'DTMF', digit }),
    stop: () => actor.stop(),
    done,
  }
}
