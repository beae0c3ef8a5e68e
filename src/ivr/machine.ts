/**
 * createFlowMachine: the XState 5 machine of a compiled flow, built with setup() and only named
 * actions, guards and actors. Actions touch nothing but the context (and read deps.clock);
 * the call session replaces playPrompts and backOffice with machine.provide({ actors }).
 */
import { assign, fromCallback, fromPromise, setup } from 'xstate'
import type { Clock } from '../domain/clock.js'
import { isOpen, type Schedule } from './hours.js'
import type {
  BackOfficeInput,
  BackOfficeOutput,
  CompiledFlow,
  DeadlineInput,
  FlowContext,
  FlowEvent,
  FlowInput,
  FlowOutput,
  PlayPromptsInput,
} from './types.js'

export interface FlowMachineDeps {
  clock: Clock
}

/** Turns a back-office result into string variables (numbers and booleans as text; nested values as JSON). */
export function resultVars(node: string, output: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (typeof output !== 'object' || output === null) return out
  for (const [k, v] of Object.entries(output)) {
    if (v === undefined || v === null) continue
    out[`${node}.${k}`] = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v)
  }
  return out
}

const isDigitChar = (d: string) => d.length === 1 && d >= '0' && d <= '9'

export function flowSetup(deps: FlowMachineDeps) {
  const { clock } = deps
  return setup({
    types: {
      context: {} as FlowContext,
      events: {} as FlowEvent,
      input: {} as FlowInput,
      output: {} as FlowOutput,
    },
    actors: {
      /** Default: plays nothing. The session provides the real one. */
      playPrompts: fromCallback<FlowEvent, PlayPromptsInput>(({ sendBack }) => {
        sendBack({ type: 'PROMPTS.DONE' })
      }),
      /** Default: no back office; the service node takes its failure branch. */
      backOffice: fromPromise<BackOfficeOutput, BackOfficeInput>(async ({ input }) => {
        throw new Error(`no back office configured for action ${input.action}`)
      }),
      deadline: fromCallback<FlowEvent, DeadlineInput>(({ input, sendBack }) => {
        const h = clock.setTimeout(() => sendBack({ type: 'TIMEOUT' }), Math.max(0, input.at - clock.now()))
        return () => h.cancel()
      }),
    },
    actions: {
      enterNode: assign(({ context }, p: { node: string }) => ({
        trail: [...context.trail, { node: p.node, at: clock.now() }],
        retries: 0,
      })),
      record: assign(({ context }, p: { outcome: string; withInput?: boolean }) => {
        const trail = context.trail.slice()
        const last = trail[trail.length - 1]
        if (last) trail[trail.length - 1] = { ...last, outcome: p.outcome, ...(p.withInput && context.pending ? { input: context.pending } : {}) }
        return { trail }
      }),
      takeDigit: assign(({ event }) => (event.type === 'DTMF' ? { pending: event.digit, skipDigit: undefined } : {})),
      expectTerminator: assign((_, p: { terminator: string }) => ({ skipDigit: p.terminator })),
      clearSkip: assign({ skipDigit: undefined }),
      consumePending: assign({ pending: '' }),
      appendPending: assign(({ context }) => ({ buffer: context.buffer + context.pending, pending: '' })),
      clearBuffer: assign({ buffer: '' }),
      storeBuffer: assign(({ context }, p: { var: string }) => ({ vars: { ...context.vars, [p.var]: context.buffer }, buffer: '' })),
      storeResult: assign(({ context, event }, p: { node: string }) => ({
        vars: { ...context.vars, ...resultVars(p.node, (event as unknown as { output?: unknown }).output) },
      })),
      countRetry: assign(({ context }) => ({ retries: context.retries + 1 })),
      armDeadline: assign((_, p: { ms: number }) => ({ deadlineAt: clock.now() + p.ms })),
      clearDeadline: assign({ deadlineAt: null }),
      setLang: assign((_, p: { lang: string }) => ({ lang: p.lang })),
    },
    guards: {
      hasPending: ({ context }) => context.pending !== '',
      isSkipDigit: ({ context, event }) => event.type === 'DTMF' && context.skipDigit !== undefined && context.skipDigit === event.digit,
      pendingIs: ({ context }, p: { digit: string }) => context.pending === p.digit,
      pendingNotNumeric: ({ context }) => !isDigitChar(context.pending),
      retriesLeft: ({ context }, p: { max: number }) => context.retries < p.max,
      terminatorComplete: ({ context }, p: { terminator: string; min: number }) => context.pending === p.terminator && context.buffer.length >= p.min,
      bufferFullWithPending: ({ context }, p: { max: number }) => context.buffer.length + 1 >= p.max,
      bufferAtLeast: ({ context }, p: { min: number }) => context.buffer.length >= p.min,
      bufferEmpty: ({ context }) => context.buffer === '',
      isOpen: (_, p: { schedule: Schedule }) => isOpen(p.schedule, clock.now()),
    },
  })
}

/** The machine of a compiled flow. Start it with input { callId, callerNumber?, lang?, vars? }. */
export function createFlowMachine(compiled: CompiledFlow, deps: FlowMachineDeps) {
  const s = flowSetup(deps)
  return s.createMachine(compiled.config as unknown as Parameters<typeof s.createMachine>[0])
}

export type FlowMachine = ReturnType<typeof createFlowMachine>
