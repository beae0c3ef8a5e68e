/**
 * Test helpers for flows: a small catalogue, compile-or-fail, and a harness that runs a flow
 * machine on a SimClock with fake playPrompts / backOffice actors (recording what is played,
 * completing it on demand).
 */
import { createActor, fromCallback, fromPromise, type Actor } from 'xstate'
import { SimClock } from '../../src/domain/clock.js'
import { compileFlow } from '../../src/ivr/compile.js'
import { createFlowMachine, type FlowMachine } from '../../src/ivr/machine.js'
import type { BackOfficeInput, BackOfficeOutput, Catalogue, CompiledFlow, FlowEvent, FlowInput, FlowOutput, PlayPromptsInput, ResolvedPrompt, ValidateOptions } from '../../src/ivr/types.js'
import { formatErrors } from '../../src/config/errors.js'

const ids = ['welcome', 'menu', 'sub', 'invalid', 'noinput', 'goodbye', 'closed', 'enter', 'wait', 'result', 'sorry', 'lang', 'intro', 'notice', 'bad_pin']
export const CATALOGUE: Catalogue = {
  prompts: Object.fromEntries(ids.map((id) => [id, { it: `${id} (it)`, en: `${id} (en)` }])),
}

export function compileOk(text: string, opts: Partial<ValidateOptions> = {}, file = 'test.yaml'): CompiledFlow {
  const r = compileFlow({ file, text }, { catalogue: CATALOGUE, ...opts })
  if (!r.ok) throw new Error(`flow did not compile:\n${formatErrors(r.errors)}`)
  return r.flow
}

export function compileErrors(text: string, opts: Partial<ValidateOptions> = {}, file = 'test.yaml') {
  const r = compileFlow({ file, text }, { catalogue: CATALOGUE, ...opts })
  return r.ok ? { errors: [], warnings: r.warnings } : { errors: r.errors, warnings: r.warnings }
}

export interface PlayRecord {
  items: ResolvedPrompt[]
  lang: string
  stopped: boolean
  done(): void
}

export interface CallRecord {
  input: BackOfficeInput
  resolve(v: BackOfficeOutput): void
  reject(e: Error): void
}

export const flush = () => new Promise<void>((resolve) => setImmediate(resolve))

export class Harness {
  readonly clock: SimClock
  readonly plays: PlayRecord[] = []
  readonly calls: CallRecord[] = []
  readonly actor: Actor<FlowMachine>
  readonly machine: FlowMachine

  constructor(
    readonly flow: CompiledFlow,
    input: Partial<FlowInput> = {},
    start = Date.UTC(2026, 10, 23, 9, 0), // Monday 23 Nov 2026, 10:00 in Rome
  ) {
    this.clock = new SimClock(start)
    this.machine = createFlowMachine(flow, { clock: this.clock }).provide({
      actors: {
        playPrompts: fromCallback<FlowEvent, PlayPromptsInput>(({ input: pi, sendBack }) => {
          const rec: PlayRecord = {
            items: pi.items,
            lang: pi.lang,
            stopped: false,
            done: () => {
              if (!rec.stopped) sendBack({ type: 'PROMPTS.DONE' })
            },
          }
          this.plays.push(rec)
          return () => {
            rec.stopped = true
          }
        }),
        backOffice: fromPromise<BackOfficeOutput, BackOfficeInput>(
          ({ input: bi }) => new Promise<BackOfficeOutput>((resolve, reject) => this.calls.push({ input: bi, resolve, reject })),
        ),
      },
    })
    this.actor = createActor(this.machine, { input: { callId: 'call-1', ...input } })
    this.actor.start()
  }

  /** The playback under way (the last one started and not stopped). */
  get playing(): PlayRecord | undefined {
    const last = this.plays[this.plays.length - 1]
    return last && !last.stopped ? last : undefined
  }

  /** Ids/values of the last playback, e.g. ['menu'] or ['number:12']. */
  lastItems(): string[] {
    return (this.plays[this.plays.length - 1]?.items ?? []).map((i) => (i.kind === 'prompt' ? i.id : `${i.kind}:${i.value}`))
  }

  /** Completes the playback under way. */
  finishPlay(): void {
    const p = this.playing
    if (!p) throw new Error(`nothing playing (state ${JSON.stringify(this.value)})`)
    p.done()
  }

  dtmf(digits: string): void {
    for (const d of digits) this.actor.send({ type: 'DTMF', digit: d })
  }

  get value(): unknown {
    return this.actor.getSnapshot().value
  }

  get context() {
    return this.actor.getSnapshot().context
  }

  get status(): string {
    return this.actor.getSnapshot().status
  }

  get output(): FlowOutput | undefined {
    return this.actor.getSnapshot().output as FlowOutput | undefined
  }

  /** Node ids visited so far. */
  nodes(): string[] {
    return this.context.trail.map((s) => s.node)
  }

  stop(): void {
    this.actor.stop()
  }
}
