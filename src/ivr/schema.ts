/**
 * TypeBox schemas of a flow file (config/flows/<id>.yaml): the header (id, languages, operator
 * digit, start, defaults) and one schema per node type. Nodes are checked against the schema of
 * their `type`, so an error names the exact property of the exact node.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { DATE_PATTERN, RANGE_PATTERN, WEEKDAYS } from './hours.js'

export const NODE_ID_PATTERN = '^[A-Za-z_][A-Za-z0-9_.-]*$'
export const FLOW_ID_PATTERN = '^[A-Za-z][A-Za-z0-9_-]*$'
export const VAR_PATTERN = '^[A-Za-z_][A-Za-z0-9_.-]*$'
export const DIGIT_PATTERN = '^[0-9*#]$'

const NodeId = Type.String({ pattern: NODE_ID_PATTERN, expected: 'a node id (letters, digits, _ . -)' })
const Lang = Type.String({ pattern: '^[a-z]{2}(-[A-Za-z]{2})?$', expected: "a language code such as 'it' or 'en'" })
/** A single key; unquoted 0-9 in YAML are numbers, accepted and turned into strings. */
export const Digit = Type.Union([Type.String({ pattern: DIGIT_PATTERN }), Type.Integer({ minimum: 0, maximum: 9 })], {
  expected: "a key: one of 0-9, * or # (quote '*' and '#')",
})
export const PromptItem = Type.Union(
  [
    Type.String({ pattern: '^[A-Za-z0-9_-]+$' }),
    Type.Object({ number: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
    Type.Object({ digits: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
  ],
  { expected: "a prompt id, { number: '<value or ${var}>' } or { digits: '<value or ${var}>' }" },
)
const Prompts = Type.Array(PromptItem)
const Seconds = Type.Number({ exclusiveMinimum: 0, maximum: 600 })
const Retries = Type.Integer({ minimum: 0, maximum: 10 })
const Options = Type.Record(Type.String(), NodeId)

const node = <P extends Record<string, TSchema>>(type: string, props: P) =>
  Type.Object({ type: Type.Literal(type), description: Type.Optional(Type.String()), ...props }, { additionalProperties: false })

export const MenuSchema = node('menu', {
  prompts: Prompts,
  options: Options,
  timeoutSec: Type.Optional(Seconds),
  retries: Type.Optional(Retries),
  invalidPrompts: Type.Optional(Prompts),
  timeoutPrompts: Type.Optional(Prompts),
  fallback: Type.Optional(NodeId),
  operator: Type.Optional(Type.Literal(false)),
})
export const PlaySchema = node('play', { prompts: Prompts, next: NodeId, bargeIn: Type.Optional(Type.Boolean()) })
export const CollectSchema = node('collect', {
  prompts: Prompts,
  var: Type.String({ pattern: VAR_PATTERN, expected: 'a variable name (letters, digits, _ . -)' }),
  minDigits: Type.Optional(Type.Integer({ minimum: 1, maximum: 64 })),
  maxDigits: Type.Integer({ minimum: 1, maximum: 64 }),
  terminator: Type.Optional(Type.Union([Digit, Type.Literal(false)], { expected: "a key (0-9, '*' or '#') or false" })),
  timeoutSec: Type.Optional(Seconds),
  retries: Type.Optional(Retries),
  invalidPrompts: Type.Optional(Prompts),
  timeoutPrompts: Type.Optional(Prompts),
  next: NodeId,
  fallback: Type.Optional(NodeId),
})
const Branch = Type.Object({ prompts: Type.Optional(Prompts), next: NodeId }, { additionalProperties: false })
export const ServiceSchema = node('service', {
  action: Type.String({ minLength: 1 }),
  params: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_-]*$' }), Type.Union([Type.String(), Type.Number(), Type.Boolean()]))),
  waitPrompts: Type.Optional(Prompts),
  timeoutSec: Type.Optional(Seconds),
  success: Branch,
  failure: Branch,
})
const Ranges = Type.Array(Type.String({ pattern: RANGE_PATTERN, expected: "a time range such as '08:00-18:00'" }))
export const HoursSchema = node('hours', {
  schedule: Type.Object(Object.fromEntries(WEEKDAYS.map((d) => [d, Type.Optional(Ranges)])), { additionalProperties: false }),
  holidays: Type.Optional(Type.Union([Type.Literal('italy'), Type.Literal('none')])),
  closedOn: Type.Optional(Type.Array(Type.String({ pattern: DATE_PATTERN, expected: "a date such as '2026-12-24'" }))),
  timezone: Type.Optional(Type.String({ minLength: 1 })),
  open: NodeId,
  closed: NodeId,
})
export const LanguageSchema = node('language', {
  prompts: Prompts,
  options: Type.Record(Type.String(), Lang),
  next: NodeId,
  timeoutSec: Type.Optional(Seconds),
  retries: Type.Optional(Retries),
  invalidPrompts: Type.Optional(Prompts),
  timeoutPrompts: Type.Optional(Prompts),
  operator: Type.Optional(Type.Literal(false)),
})
export const QueueSchema = node('queue', {
  section: Type.String({ minLength: 1 }),
  priority: Type.Optional(Type.Integer({ minimum: -100, maximum: 100 })),
  skills: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
})
export const OperatorSchema = node('operator', {})
export const TransferSchema = node('transfer', {
  number: Type.String({ pattern: '^\\+?[0-9]{3,20}$', expected: "a phone number as a quoted string, such as '0612345678'" }),
})
export const HangupSchema = node('hangup', { prompts: Type.Optional(Prompts) })

export const NODE_SCHEMAS = {
  menu: MenuSchema,
  play: PlaySchema,
  collect: CollectSchema,
  service: ServiceSchema,
  hours: HoursSchema,
  language: LanguageSchema,
  queue: QueueSchema,
  operator: OperatorSchema,
  transfer: TransferSchema,
  hangup: HangupSchema,
} as const
export type NodeType = keyof typeof NODE_SCHEMAS
export const NODE_TYPES = Object.keys(NODE_SCHEMAS) as NodeType[]

export const DefaultsSchema = Type.Object(
  { timeoutSec: Type.Optional(Seconds), retries: Type.Optional(Retries), invalidPrompts: Type.Optional(Prompts), timeoutPrompts: Type.Optional(Prompts) },
  { additionalProperties: false },
)

export const FlowHeaderSchema = Type.Object(
  {
    flow: Type.String({ pattern: FLOW_ID_PATTERN, expected: 'a flow id (letters, digits, _ or -)' }),
    description: Type.Optional(Type.String()),
    language: Type.Optional(Lang),
    languages: Type.Optional(Type.Array(Lang, { minItems: 1 })),
    operator: Type.Optional(
      Type.Union([Type.Literal(false), Type.Object({ digit: Type.Optional(Digit), target: Type.Optional(NodeId) }, { additionalProperties: false })], {
        expected: "false or { digit: '0', target: <node> }",
      }),
    ),
    start: NodeId,
    defaults: Type.Optional(DefaultsSchema),
    nodes: Type.Record(Type.String(), Type.Unknown(), { minProperties: 1 }),
  },
  { additionalProperties: false },
)

export type PromptItemDoc = Static<typeof PromptItem>
export type FlowHeaderDoc = Static<typeof FlowHeaderSchema>
export type MenuDoc = Static<typeof MenuSchema>
export type PlayDoc = Static<typeof PlaySchema>
export type CollectDoc = Static<typeof CollectSchema>
export type ServiceDoc = Static<typeof ServiceSchema>
export type HoursDoc = Static<typeof HoursSchema>
export type LanguageDoc = Static<typeof LanguageSchema>
export type QueueDoc = Static<typeof QueueSchema>
export type TransferDoc = Static<typeof TransferSchema>
export type HangupDoc = Static<typeof HangupSchema>
