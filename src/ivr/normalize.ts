/**
 * Turns schema-valid flow documents into FlowNodes with every default applied: the flow's
 * `defaults` (timeout, retries, invalid/timeout prompts), the operator digit (on unless
 * disabled), the default fallback (the operator target, or a hangup when the operator is off).
 */
import type { CollectDoc, FlowHeaderDoc, HangupDoc, HoursDoc, LanguageDoc, MenuDoc, PlayDoc, QueueDoc, ServiceDoc, TransferDoc } from './schema.js'
import { DEFAULT_TIMEZONE } from './hours.js'
import { BUILTIN_HANGUP, BUILTIN_OPERATOR, type FlowNode, type PromptItem } from './types.js'

export const BUILTIN_DEFAULTS = { timeoutSec: 5, retries: 2, invalidPrompts: [] as PromptItem[], timeoutPrompts: [] as PromptItem[], serviceTimeoutSec: 10, language: 'it' }

export interface FlowSettings {
  operator: { digit: string; target: string } | null
  defaults: { timeoutSec: number; retries: number; invalidPrompts: PromptItem[]; timeoutPrompts: PromptItem[] }
  language: string
  languages: string[]
}

/** Settings from a header that passed its schema (pass only the parts that did). */
export function flowSettings(h: Partial<FlowHeaderDoc>): FlowSettings {
  const language = h.language ?? h.languages?.[0] ?? BUILTIN_DEFAULTS.language
  const languages = h.languages ?? [language]
  let operator: FlowSettings['operator']
  if (h.operator === false) operator = null
  else operator = { digit: String(h.operator?.digit ?? '0'), target: h.operator?.target ?? BUILTIN_OPERATOR }
  const d = h.defaults ?? {}
  return {
    operator,
    language,
    languages,
    defaults: {
      timeoutSec: d.timeoutSec ?? BUILTIN_DEFAULTS.timeoutSec,
      retries: d.retries ?? BUILTIN_DEFAULTS.retries,
      invalidPrompts: d.invalidPrompts ?? BUILTIN_DEFAULTS.invalidPrompts,
      timeoutPrompts: d.timeoutPrompts ?? BUILTIN_DEFAULTS.timeoutPrompts,
    },
  }
}

export function defaultFallback(s: FlowSettings): string {
  return s.operator ? s.operator.target : BUILTIN_HANGUP
}

const digitKeys = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [String(k), v]))

/** doc must have passed the schema of its type. */
export function normalizeNode(id: string, doc: { type: string }, s: FlowSettings): FlowNode {
  const d = s.defaults
  switch (doc.type) {
    case 'menu': {
      const n = doc as MenuDoc
      return {
        type: 'menu',
        id,
        prompts: n.prompts,
        options: digitKeys(n.options),
        timeoutSec: n.timeoutSec ?? d.timeoutSec,
        retries: n.retries ?? d.retries,
        invalidPrompts: n.invalidPrompts ?? d.invalidPrompts,
        timeoutPrompts: n.timeoutPrompts ?? d.timeoutPrompts,
        fallback: n.fallback ?? defaultFallback(s),
        operator: s.operator !== null && n.operator !== false,
      }
    }
    case 'play': {
      const n = doc as PlayDoc
      return { type: 'play', id, prompts: n.prompts, next: n.next, bargeIn: n.bargeIn ?? true }
    }
    case 'collect': {
      const n = doc as CollectDoc
      return {
        type: 'collect',
        id,
        prompts: n.prompts,
        var: n.var,
        minDigits: n.minDigits ?? n.maxDigits,
        maxDigits: n.maxDigits,
        terminator: n.terminator === false ? '' : String(n.terminator ?? '#'),
        timeoutSec: n.timeoutSec ?? d.timeoutSec,
        retries: n.retries ?? d.retries,
        invalidPrompts: n.invalidPrompts ?? d.invalidPrompts,
        timeoutPrompts: n.timeoutPrompts ?? n.invalidPrompts ?? d.timeoutPrompts,
        next: n.next,
        fallback: n.fallback ?? defaultFallback(s),
      }
    }
    case 'service': {
      const n = doc as ServiceDoc
      return {
        type: 'service',
        id,
        action: n.action,
        params: Object.fromEntries(Object.entries(n.params ?? {}).map(([k, v]) => [k, String(v)])),
        waitPrompts: n.waitPrompts ?? [],
        timeoutSec: n.timeoutSec ?? BUILTIN_DEFAULTS.serviceTimeoutSec,
        success: { prompts: n.success.prompts ?? [], next: n.success.next },
        failure: { prompts: n.failure.prompts ?? [], next: n.failure.next },
      }
    }
    case 'hours': {
      const n = doc as HoursDoc
      return {
        type: 'hours',
        id,
        schedule: { days: n.schedule, holidays: n.holidays ?? 'italy', closedOn: n.closedOn ?? [], timezone: n.timezone ?? DEFAULT_TIMEZONE },
        open: n.open,
        closed: n.closed,
      }
    }
    case 'language': {
      const n = doc as LanguageDoc
      return {
        type: 'language',
        id,
        prompts: n.prompts,
        options: digitKeys(n.options),
        next: n.next,
        timeoutSec: n.timeoutSec ?? d.timeoutSec,
        retries: n.retries ?? d.retries,
        invalidPrompts: n.invalidPrompts ?? d.invalidPrompts,
        timeoutPrompts: n.timeoutPrompts ?? d.timeoutPrompts,
        operator: s.operator !== null && n.operator !== false,
      }
    }
    case 'queue': {
      const n = doc as QueueDoc
      return { type: 'queue', id, section: n.section, priority: n.priority ?? 0, ...(n.skills ? { skills: n.skills } : {}) }
    }
    case 'operator':
      return { type: 'operator', id }
    case 'transfer':
      return { type: 'transfer', id, number: (doc as TransferDoc).number }
    case 'hangup':
      return { type: 'hangup', id, prompts: (doc as HangupDoc).prompts ?? [] }
    default:
      throw new Error(`unknown node type ${doc.type}`)
  }
}

/** The built-in nodes: an operator final node, and a hangup that says goodbye. */
export function builtinNode(id: string): FlowNode | undefined {
  if (id === BUILTIN_OPERATOR) return { type: 'operator', id }
  if (id === BUILTIN_HANGUP) return { type: 'hangup', id, prompts: ['goodbye'] }
  return undefined
}
