/**
 * Types of compiled flows and of the runtime contract between a flow machine and the call
 * session: context, input, events, actor inputs, outcome and output.
 */
import type { MediaItem } from '../domain/media.js'
import type { ConfigError } from '../config/errors.js'
import type { Schedule } from './hours.js'

/** A prompt as written in a flow: a catalogue id, or a number / digit string (literal or ${var}). */
export type PromptItem = string | { number: string } | { digits: string }

/** A prompt ready to play: ${var} references resolved. */
export type ResolvedPrompt = MediaItem

export interface MenuNode {
  type: 'menu'
  id: string
  prompts: PromptItem[]
  /** Digit -> node id (the operator digit excluded). */
  options: Record<string, string>
  timeoutSec: number
  retries: number
  invalidPrompts: PromptItem[]
  timeoutPrompts: PromptItem[]
  fallback: string
  /** Whether the flow's operator digit works on this node. */
  operator: boolean
}
export interface PlayNode {
  type: 'play'
  id: string
  prompts: PromptItem[]
  next: string
  bargeIn: boolean
}
export interface CollectNode {
  type: 'collect'
  id: string
  prompts: PromptItem[]
  var: string
  minDigits: number
  maxDigits: number
  /** '' when disabled. */
  terminator: string
  timeoutSec: number
  retries: number
  invalidPrompts: PromptItem[]
  timeoutPrompts: PromptItem[]
  next: string
  fallback: string
}
export interface ServiceNode {
  type: 'service'
  id: string
  action: string
  /** Values are literals or contain ${var}. */
  params: Record<string, string>
  waitPrompts: PromptItem[]
  timeoutSec: number
  success: { prompts: PromptItem[]; next: string }
  failure: { prompts: PromptItem[]; next: string }
}
export interface HoursNode {
  type: 'hours'
  id: string
  schedule: Schedule
  open: string
  closed: string
}
export interface LanguageNode {
  type: 'language'
  id: string
  prompts: PromptItem[]
  /** Digit -> language code. */
  options: Record<string, string>
  next: string
  timeoutSec: number
  retries: number
  invalidPrompts: PromptItem[]
  timeoutPrompts: PromptItem[]
  operator: boolean
}
export interface QueueNode {
  type: 'queue'
  id: string
  section: string
  priority: number
  skills?: string[]
}
export interface OperatorNode {
  type: 'operator'
  id: string
}
export interface TransferNode {
  type: 'transfer'
  id: string
  number: string
}
export interface HangupNode {
  type: 'hangup'
  id: string
  prompts: PromptItem[]
}

export type FlowNode = MenuNode | PlayNode | CollectNode | ServiceNode | HoursNode | LanguageNode | QueueNode | OperatorNode | TransferNode | HangupNode
export type InputNode = MenuNode | CollectNode | LanguageNode
export type FinalNode = QueueNode | OperatorNode | TransferNode | HangupNode

/** Built-in nodes a flow gets when it needs them (ids cannot clash: flow node ids never start with '$'). */
export const BUILTIN_OPERATOR = '$operator'
export const BUILTIN_HANGUP = '$hangup'

export interface FlowSource {
  /** Where the text came from (for error positions). */
  file: string
  text: string
}

export interface CompiledFlow {
  id: string
  /** Short content hash of the source text: a changed file is a new version. */
  version: string
  source: FlowSource
  description?: string
  start: string
  /** Nodes with defaults applied, built-in nodes included. */
  nodes: Record<string, FlowNode>
  /** Operator digit and target, or null when the flow disables it. */
  operator: { digit: string; target: string } | null
  /** The XState machine config (pure data plus input mappers); createFlowMachine turns it into a machine. */
  config: Record<string, unknown>
  languages: string[]
  /** Default language. */
  language: string
  warnings: ConfigError[]
}

export type CompileResult = { ok: true; flow: CompiledFlow; warnings: ConfigError[] } | { ok: false; errors: ConfigError[]; warnings: ConfigError[] }

/** Prompt catalogue: id -> language -> text. */
export interface Catalogue {
  prompts: Record<string, Record<string, string>>
}

/** What a flow is checked against. compileFlow is pure: the caller loads these. */
export interface ValidateOptions {
  catalogue: Catalogue
  /** When given, queue sections must exist. */
  sections?: { sections: ReadonlyArray<{ id: string }> }
  /** When given, service actions must exist. */
  engine?: { backOffice: { actions: Record<string, unknown> } }
  /** When given, the file's `flow:` id must be this (the registry passes the file name). */
  expectedId?: string
}

// ---- runtime contract ----

export interface TrailStep {
  node: string
  input?: string
  outcome?: string
  at: number
}

export interface FlowContext {
  flowId: string
  version: string
  lang: string
  vars: Record<string, string>
  trail: TrailStep[]
  retries: number
  buffer: string
  pending: string
  deadlineAt: number | null
  /**
   * A collect node that filled up (maxDigits) before its terminator: the caller, told to end
   * with the terminator, will likely still press it; that one key is swallowed instead of
   * barging into what follows. Cleared by the next key, whatever it is.
   */
  skipDigit?: string
}

export interface FlowInput {
  callId: string
  callerNumber?: string
  lang?: string
  vars?: Record<string, string>
}

export type FlowEvent = { type: 'DTMF'; digit: string } | { type: 'PROMPTS.DONE' } | { type: 'TIMEOUT' }

export interface PlayPromptsInput {
  items: ResolvedPrompt[]
  lang: string
}
export interface BackOfficeInput {
  action: string
  params: Record<string, string>
}
export type BackOfficeOutput = Record<string, string>
export interface DeadlineInput {
  at: number
}

export type FlowOutcome =
  | { kind: 'queue'; node: string; section: string; priority: number; skills?: string[] }
  | { kind: 'operator'; node: string }
  | { kind: 'transfer'; node: string; number: string }
  | { kind: 'hangup'; node: string }

export interface FlowOutput {
  outcome: FlowOutcome
  lang: string
  vars: Record<string, string>
  trail: TrailStep[]
}
