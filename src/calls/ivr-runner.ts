/**
 * Runs a compiled flow for one call: the flow's XState machine with the actors that touch
 * the call — prompts played on the caller's channel (stopped when the machine leaves the
 * state: that is barge-in), and the back office over HTTP. Deadlines use the engine clock.
 *
 * The machine is built once per flow version (and clock), not per call: building one costs
 * ~130 KiB of heap and ~2 ms of CPU, an actor on it a few KiB. Its actors find the call they
 * serve through the actor system of the call's root actor (one system per call).
 */
import { createActor, fromCallback, fromPromise } from 'xstate'
import type { Clock } from '../domain/clock.js'
import { deriveId } from '../domain/ids.js'
import type { Logger } from '../domain/log.js'
import type { Telephony } from '../domain/telephony.js'
import { createFlowMachine, type BackOfficeCall, type CompiledFlow, type FlowEvent, type FlowMachine, type FlowOutput, type PlayPromptsInput } from '../ivr/index.js'
import type { BackOfficeInput, BackOfficeOutput } from '../ivr/types.js'
import type { FlowRun, StartFlowParams } from './flow-run.js'
import { awaitPlayback, HANDOVER, playToChannel } from './playback.js'
import type { EventRouter } from './router.js'

export interface IvrRunnerDeps {
  telephony: Telephony
  router: EventRouter
  clock: Clock
  log: Logger
  backOffice: BackOfficeCall
}

/** What the shared machine's actors need to know about the call they run in. */
interface CallRun {
  d: IvrRunnerDeps
  flow: CompiledFlow
  p: StartFlowParams
  seq: number
  /**
   * While a persisted snapshot is restored, XState restarts the prompt actor of the state the
   * call was in: that prompt was already started (its id is the persisted counter), so it is
   * awaited instead of played again.
   */
  restoring: boolean
  /** Stopped to hand the call over: leave the prompt playing in Asterisk. */
  handover?: boolean
}

/** The run of each call, by its root actor's system. */
const runs = new WeakMap<object, CallRun>()
const machines = new WeakMap<CompiledFlow, WeakMap<Clock, FlowMachine>>()

function runOf(system: object): CallRun {
  const run = runs.get(system)
  if (!run) throw new Error('flow actor started outside a call run')
  return run
}

const playPrompts = fromCallback<FlowEvent, PlayPromptsInput>(({ input, sendBack, system }) => {
  const run = runOf(system)
  const { d, p, flow } = run
  const abort = new AbortController()
  const resumed = run.restoring
  run.restoring = false
  const playbackId = deriveId(p.callId, flow.version, 'prompt', resumed ? run.seq : ++run.seq)
  const played = resumed ? awaitPlayback(d, playbackId, abort.signal) : playToChannel(d, p.channelId, input.items, input.lang, playbackId, abort.signal)
  void played.then((r) => {
    if (r === 'failed') d.log.warn({ playbackId, items: input.items.length }, 'prompt failed to play; flow goes on')
    if (r !== 'stopped') sendBack({ type: 'PROMPTS.DONE' })
  })
  return () => abort.abort(run.handover ? HANDOVER : undefined)
})

const backOffice = fromPromise<BackOfficeOutput, BackOfficeInput>(({ input, signal, system }) => runOf(system).d.backOffice(input, signal))

/** The flow's machine with the call actors, built once per flow version and clock. */
function machineFor(flow: CompiledFlow, clock: Clock): FlowMachine {
  let byClock = machines.get(flow)
  if (!byClock) machines.set(flow, (byClock = new WeakMap()))
  let machine = byClock.get(clock)
  if (!machine) byClock.set(clock, (machine = createFlowMachine(flow, { clock }).provide({ actors: { playPrompts, backOffice } })))
  return machine
}

export function runFlow(d: IvrRunnerDeps, flow: CompiledFlow, p: StartFlowParams): FlowRun {
  const run: CallRun = { d, flow, p, seq: p.restore?.promptSeq ?? 0, restoring: p.restore !== undefined }
  const machine = machineFor(flow, d.clock)
  const input = { callId: p.callId, callerNumber: p.callerNumber }
  const actor = p.restore ? createActor(machine, { input, snapshot: p.restore.snapshot as never }) : createActor(machine, { input })
  runs.set(actor.system, run)
  const done = new Promise<FlowOutput>((resolve, reject) => {
    actor.subscribe({
      next: (snap) => {
        if (snap.status === 'done') resolve(snap.output as FlowOutput)
        else if (p.onChange) p.onChange({ id: flow.id, version: flow.version, snapshot: actor.getPersistedSnapshot(), promptSeq: run.seq })
      },
      error: (err) => reject(err),
    })
  })
  // A flow stopped early (caller hung up) never resolves; nobody waits on it then.
  done.catch(() => undefined)
  actor.start()
  run.restoring = false
  return {
    flowId: flow.id,
    version: flow.version,
    send: (digit) => actor.send({ type: 'DTMF', digit }),
    stop: (handover) => {
      if (handover) run.handover = true
      actor.stop()
    },
    done,
  }
}
