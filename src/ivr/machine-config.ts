/**
 * Builds the XState machine config of a validated flow (pure). One top-level state per node;
 * input nodes share one layout (prompt -> wait -> got -> invalid/noInput with retries). Only
 * named actions, guards and actors appear; deadlines are kept in context.deadlineAt and
 * watched by the `deadline` actor, never by `after` timers.
 */
import { nodeEdges } from './graph.js'
import type { FlowSettings } from './normalize.js'
import { resolvePrompts, substitute } from './prompts.js'
import type { CollectNode, FlowContext, FlowInput, FlowNode, FlowOutcome, FlowOutput, HangupNode, LanguageNode, MenuNode, PromptItem, ServiceNode } from './types.js'

type Cfg = Record<string, unknown>
type Act = string | { type: string; params?: Record<string, unknown> }

/** State keys cannot contain '.', the XState path delimiter. */
export const stateKey = (nodeId: string): string => nodeId.replace(/\./g, ':')
const sid = (nodeId: string): string => `n:${stateKey(nodeId)}`
const to = (nodeId: string): string => `#${sid(nodeId)}`
const act = (type: string, params?: Record<string, unknown>): Act => (params ? { type, params } : type)
const record = (outcome: string, withInput = false): Act => act('record', { outcome, withInput })

const playInput =
  (items: readonly PromptItem[]) =>
  ({ context }: { context: FlowContext }) => ({ items: resolvePrompts(items, context.vars), lang: context.lang })
const deadlineInput = ({ context }: { context: FlowContext }) => ({ at: context.deadlineAt ?? 0 })
const play = (items: readonly PromptItem[]): Cfg => ({ src: 'playPrompts', input: playInput(items) })

/** A transition to another node (always re-entering it, so a menu can loop back to itself). */
const goto = (nodeId: string, actions: Act[] = [], guard?: Act): Cfg => ({ target: to(nodeId), reenter: true, actions, ...(guard ? { guard } : {}) })
/** The trailing terminator of a collect that filled up is swallowed (FlowContext.skipDigit). */
const swallow: Cfg = { guard: 'isSkipDigit', actions: ['clearSkip'] }
const onDigit = [swallow, { target: 'got', actions: ['takeDigit'] }]

function waitState(timeoutSec: number, onTimeout: unknown): Cfg {
  return {
    entry: [act('armDeadline', { ms: Math.round(timeoutSec * 1000) })],
    exit: ['clearDeadline'],
    invoke: { src: 'deadline', input: deadlineInput },
    on: { TIMEOUT: onTimeout, DTMF: onDigit },
  }
}

/** invalid/noInput handling shared by menu, language and collect: retry with prompts, then fallback. */
function retryStates(n: { retries: number; invalidPrompts: PromptItem[]; timeoutPrompts: PromptItem[] }, fallback: Cfg, retryActions: Act[]): Cfg {
  const branch = (name: string, prompts: PromptItem[], outcome: string): Cfg => ({
    [name]: {
      always: [
        { guard: act('retriesLeft', { max: n.retries }), target: prompts.length > 0 ? `${name}Prompt` : 'prompt', actions: ['countRetry', ...retryActions] },
        { ...fallback, actions: [record(`fallback:${outcome}`), ...((fallback.actions as Act[]) ?? [])] },
      ],
    },
    ...(prompts.length > 0 ? { [`${name}Prompt`]: { invoke: play(prompts), on: { 'PROMPTS.DONE': 'prompt', DTMF: onDigit } } } : {}),
  })
  return { ...branch('invalid', n.invalidPrompts, 'invalid'), ...branch('noInput', n.timeoutPrompts, 'timeout') }
}

function choiceNode(n: MenuNode | LanguageNode, s: FlowSettings): Cfg {
  const choices: Cfg[] = []
  if (n.type === 'menu') {
    for (const [digit, target] of Object.entries(n.options)) choices.push(goto(target, [record('option', true), 'consumePending'], act('pendingIs', { digit })))
  } else {
    for (const [digit, lang] of Object.entries(n.options)) {
      choices.push(goto(n.next, [act('setLang', { lang }), record(`lang:${lang}`, true), 'consumePending'], act('pendingIs', { digit })))
    }
  }
  const op = n.operator ? nodeEdges(n, s.operator).find((e) => e.via === 'operator') : undefined
  if (op && op.digit) choices.push(goto(op.to, [record('operator', true), 'consumePending'], act('pendingIs', { digit: op.digit })))
  const fallback = n.type === 'menu' ? goto(n.fallback) : goto(n.next, [act('setLang', { lang: s.language })])
  return {
    initial: 'start',
    states: {
      start: { always: [{ guard: 'hasPending', target: 'got' }, { target: 'prompt' }] },
      prompt: { invoke: play(n.prompts), on: { 'PROMPTS.DONE': 'wait', DTMF: onDigit } },
      wait: waitState(n.timeoutSec, { target: 'noInput' }),
      got: { always: [...choices, { target: 'invalid', actions: ['consumePending'] }] },
      ...retryStates(n, fallback, []),
    },
  }
}

function collectNode(n: CollectNode): Cfg {
  const accept = (extra: Act[]): Act[] => [...extra, act('storeBuffer', { var: n.var }), record('collected')]
  const got: Cfg[] = []
  if (n.terminator !== '') {
    got.push(goto(n.next, accept(['consumePending']), act('terminatorComplete', { terminator: n.terminator, min: n.minDigits })))
    got.push({ guard: act('pendingIs', { digit: n.terminator }), target: 'invalid', actions: ['consumePending'] })
  }
  got.push({ guard: 'pendingNotNumeric', target: 'invalid', actions: ['consumePending'] })
  const full: Act[] = n.terminator !== '' ? ['appendPending', act('expectTerminator', { terminator: n.terminator })] : ['appendPending']
  got.push(goto(n.next, accept(full), act('bufferFullWithPending', { max: n.maxDigits })))
  got.push({ target: 'wait', actions: ['appendPending'] })
  return {
    initial: 'start',
    states: {
      start: { always: [{ guard: 'hasPending', target: 'got' }, { target: 'prompt' }] },
      prompt: { invoke: play(n.prompts), on: { 'PROMPTS.DONE': 'wait', DTMF: onDigit } },
      wait: waitState(n.timeoutSec, [
        goto(n.next, accept([]), act('bufferAtLeast', { min: n.minDigits })),
        { guard: 'bufferEmpty', target: 'noInput' },
        { target: 'invalid' },
      ]),
      got: { always: got },
      ...retryStates(n, goto(n.fallback, ['clearBuffer']), ['clearBuffer']),
    },
  }
}

function serviceNode(n: ServiceNode): Cfg {
  const params = n.params
  const branch = (b: { prompts: PromptItem[]; next: string }): Cfg =>
    b.prompts.length > 0
      ? { invoke: play(b.prompts), on: { 'PROMPTS.DONE': goto(b.next), DTMF: [swallow, goto(b.next, ['takeDigit'])] } }
      : { always: goto(b.next) }
  const invoke: Cfg[] = [
    {
      id: 'backOffice',
      src: 'backOffice',
      input: ({ context }: { context: FlowContext }) => ({
        action: n.action,
        params: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, substitute(v, context.vars)])),
      }),
      onDone: { target: 'success', actions: [act('storeResult', { node: n.id }), record('success')] },
      onError: { target: 'failure', actions: [record('failure')] },
    },
    { src: 'deadline', input: deadlineInput },
  ]
  if (n.waitPrompts.length > 0) invoke.push(play(n.waitPrompts))
  return {
    entry: ['consumePending'],
    initial: 'call',
    states: {
      call: {
        entry: [act('armDeadline', { ms: Math.round(n.timeoutSec * 1000) })],
        exit: ['clearDeadline'],
        invoke,
        on: { TIMEOUT: { target: 'failure', actions: [record('timeout')] } },
      },
      success: branch(n.success),
      failure: branch(n.failure),
    },
  }
}

function hangupNode(n: HangupNode, key: string): Record<string, Cfg> {
  const output = { kind: 'hangup', node: n.id }
  if (n.prompts.length === 0) return { [key]: { id: sid(n.id), type: 'final', entry: [act('enterNode', { node: n.id })], output } }
  return {
    [key]: {
      id: sid(n.id),
      entry: [act('enterNode', { node: n.id })],
      invoke: play(n.prompts),
      on: { 'PROMPTS.DONE': { target: `${key}$end` } },
    },
    [`${key}$end`]: { type: 'final', output },
  }
}

function nodeStates(n: FlowNode, s: FlowSettings): Record<string, Cfg> {
  const key = stateKey(n.id)
  const enter = [act('enterNode', { node: n.id })]
  const base = { id: sid(n.id) }
  switch (n.type) {
    case 'menu':
    case 'language': {
      const c = choiceNode(n, s)
      return { [key]: { ...base, entry: enter, ...c } }
    }
    case 'collect':
      return { [key]: { ...base, entry: [...enter, 'clearBuffer'], ...collectNode(n) } }
    case 'service': {
      const c = serviceNode(n)
      return { [key]: { ...base, ...c, entry: [...enter, ...(c.entry as Act[])] } }
    }
    case 'play':
      return {
        [key]: {
          ...base,
          entry: enter,
          initial: 'start',
          states: {
            start: { always: [...(n.bargeIn ? [goto(n.next, [record('skipped')], 'hasPending')] : []), { target: 'play' }] },
            play: {
              invoke: play(n.prompts),
              on: { 'PROMPTS.DONE': goto(n.next, [record('played')]), ...(n.bargeIn ? { DTMF: [swallow, goto(n.next, ['takeDigit', record('barge-in', true)])] } : {}) },
            },
          },
        },
      }
    case 'hours':
      return {
        [key]: {
          ...base,
          entry: enter,
          always: [goto(n.open, [record('open')], act('isOpen', { schedule: n.schedule })), goto(n.closed, [record('closed')])],
        },
      }
    case 'queue':
      return {
        [key]: { ...base, type: 'final', entry: enter, output: { kind: 'queue', node: n.id, section: n.section, priority: n.priority, ...(n.skills ? { skills: n.skills } : {}) } },
      }
    case 'operator':
      return { [key]: { ...base, type: 'final', entry: enter, output: { kind: 'operator', node: n.id } } }
    case 'transfer':
      return { [key]: { ...base, type: 'final', entry: enter, output: { kind: 'transfer', node: n.id, number: n.number } } }
    case 'hangup':
      return hangupNode(n, key)
  }
}

export interface MachineConfigInput {
  id: string
  version: string
  start: string
  nodes: Record<string, FlowNode>
  settings: FlowSettings
}

export function buildMachineConfig(f: MachineConfigInput): Record<string, unknown> {
  const states: Record<string, Cfg> = {}
  for (const n of Object.values(f.nodes)) Object.assign(states, nodeStates(n, f.settings))
  return {
    id: `flow:${f.id}`,
    initial: stateKey(f.start),
    context: ({ input }: { input: FlowInput }) => initialContext(f, input),
    states,
    // A key no state takes (e.g. during a back-office call) still ends the wait for a terminator.
    on: { DTMF: { actions: ['clearSkip'] } },
    output: ({ context, event }: { context: FlowContext; event: { output?: unknown } }): FlowOutput => ({
      outcome: event.output as FlowOutcome,
      lang: context.lang,
      vars: context.vars,
      trail: context.trail,
    }),
  }
}

/** The context a call starts with: built-in vars (call.id, caller.number), the caller's language if the flow has it. */
export function initialContext(f: Pick<MachineConfigInput, 'id' | 'version' | 'settings'>, input: FlowInput): FlowContext {
  const vars: Record<string, string> = { ...(input.vars ?? {}), 'call.id': input.callId }
  if (input.callerNumber) vars['caller.number'] = input.callerNumber
  const lang = input.lang && f.settings.languages.includes(input.lang) ? input.lang : f.settings.language
  return { flowId: f.id, version: f.version, lang, vars, trail: [], retries: 0, buffer: '', pending: '', deadlineAt: null }
}
