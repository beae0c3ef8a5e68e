/**
 * A campaign definition (a YAML/JSON file under config/campaigns/, or the JSON body of the
 * API) checked into a CampaignConfig with every default filled in. Every problem is reported
 * at once with its path (and its line and column in a file), as the other configuration
 * loaders do (src/config/sections.ts, src/config/schema-check.ts).
 *
 * Required: id, name, mode (progressive | predictive | message), section, callerId, trunk
 * (a dial string template with {number}); messageFlow as well for message campaigns.
 * Defaults: windows 10-12 and 16-18 Monday to Friday, Europe/Rome, Italian holidays closed
 * (a `windows` given replaces the days; its holidays default to 'italy' and its zone to
 * Europe/Rome); retries busy 10 min ×5, no_answer 2 h ×4, machine 4 h ×3, abandoned ×3 after
 * the cooldown, failed 30 min ×3 (invalid numbers are never retried); maxAttempts 5;
 * abandonCeiling 0.03 (at most: 3% of live answers is the rule, lower is allowed);
 * abandonWindowMs 24 h; ringSeconds 15 (never below 15); onMachine 'hangup';
 * maxCallsPerSecond 10; maxChannels 60; abandonedCooldownMs 5 days.
 * Durations (abandonWindowMs, abandonedCooldownMs) are milliseconds or strings with a unit:
 * '24h', '5d', '90m', '30s'.
 */
import { readFileSync } from 'node:fs'
import { Type, type Static, type TSchema } from '@sinclair/typebox'
import type { CampaignConfig, RetryRule } from '../domain/campaign.js'
import { AppError } from '../domain/errors.js'
import { formatErrors, sortErrors, type ConfigError } from '../config/errors.js'
import { schemaErrors } from '../config/schema-check.js'
import { parseYaml, type YamlSource } from '../config/yaml.js'
import { DATE_PATTERN, DEFAULT_TIMEZONE, RANGE_PATTERN, WEEKDAYS, isValidDate, isValidTimezone, parseRange, type Schedule, type WeekSchedule } from '../ivr/hours.js'
import { DEFAULT_ABANDONED_COOLDOWN_MS, DEFAULT_RETRIES, type RetryOutcome } from './retry.js'
import { DEFAULT_WINDOWS } from './windows.js'

export const CAMPAIGN_DEFAULTS = {
  maxAttempts: 5,
  abandonCeiling: 0.03,
  abandonWindowMs: 24 * 3600_000,
  ringSeconds: 15,
  onMachine: 'hangup',
  maxCallsPerSecond: 10,
  maxChannels: 60,
  abandonedCooldownMs: DEFAULT_ABANDONED_COOLDOWN_MS,
} as const

/** The least ring time allowed: the rule for the called person. */
export const MIN_RING_SECONDS = 15
/** The abandon ceiling may be lowered, never raised above 3%. */
export const MAX_ABANDON_CEILING = 0.03

const Id = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_-]*$', expected: 'an id (letters, digits, _ or -, starting with a letter)' })
const DURATION_PATTERN = '^[0-9]+(\\.[0-9]+)?\\s*(ms|s|m|h|d)$'
const Duration = (min: number) =>
  Type.Union([Type.Integer({ minimum: min }), Type.String({ pattern: DURATION_PATTERN })], { expected: `a duration: milliseconds, or a number with a unit such as '24h', '5d', '90m' (at least ${min} ms)` })

const Rule = Type.Object(
  {
    delayMinutes: Type.Optional(Type.Number({ minimum: 0, description: 'Minutes before the contact may be dialed again' })),
    maxAttempts: Type.Optional(Type.Integer({ minimum: 1, description: 'No further attempt once the contact has had this many in all' })),
  },
  { additionalProperties: false },
)

const RETRY_OUTCOMES = ['busy', 'no_answer', 'machine', 'abandoned', 'failed'] as const satisfies readonly RetryOutcome[]

const Windows = Type.Object(
  {
    days: Type.Optional(
      Type.Object(Object.fromEntries(WEEKDAYS.map((d) => [d, Type.Optional(Type.Array(Type.String({ pattern: RANGE_PATTERN, expected: 'a time range like 10:00-12:00' })))])) as Record<string, TSchema>, {
        additionalProperties: false,
      }),
    ),
    holidays: Type.Optional(Type.Union([Type.Literal('italy'), Type.Literal('none')], { expected: "'italy' or 'none'" })),
    closedOn: Type.Optional(Type.Array(Type.String({ pattern: DATE_PATTERN, expected: 'a date YYYY-MM-DD' }))),
    timezone: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
)

export const CampaignSchema = Type.Object(
  {
    id: Id,
    name: Type.String({ minLength: 1 }),
    mode: Type.Union([Type.Literal('progressive'), Type.Literal('predictive'), Type.Literal('message')], { expected: "'progressive', 'predictive' or 'message'" }),
    section: Id,
    messageFlow: Type.Optional(Id),
    transferKey: Type.Optional(Type.String({ pattern: '^[0-9*#]$', expected: 'one key: 0-9, * or #' })),
    windows: Type.Optional(Windows),
    retries: Type.Optional(
      Type.Object(
        {
          ...Object.fromEntries(RETRY_OUTCOMES.map((o) => [o, Type.Optional(Rule)])),
          // Accepted by the schema so that the cross check can say why they are refused.
          invalid: Type.Optional(Type.Unknown()),
          reached: Type.Optional(Type.Unknown()),
        },
        { additionalProperties: false },
      ),
    ),
    maxAttempts: Type.Optional(Type.Integer({ minimum: 1, description: 'Attempts in all per contact, whatever the outcomes' })),
    abandonCeiling: Type.Optional(Type.Number({ minimum: 0, maximum: MAX_ABANDON_CEILING, expected: 'a fraction between 0 and 0.03 (3% of live answers at most)' })),
    abandonWindowMs: Type.Optional(Duration(60_000)),
    ringSeconds: Type.Optional(Type.Number({ minimum: MIN_RING_SECONDS, expected: `a number of seconds, at least ${MIN_RING_SECONDS} (a called person's phone rings at least that long)` })),
    onMachine: Type.Optional(Type.Union([Type.Literal('hangup'), Type.Literal('message')], { expected: "'hangup' or 'message'" })),
    callerId: Type.String({ pattern: '^(\\s*"[^"]*"\\s*<\\+?[0-9]{3,15}>|\\+?[0-9]{3,15})$', expected: 'a caller id such as +390612345678 or "INPS" <803164>' }),
    trunk: Type.String({ pattern: '^[A-Za-z]+/.*\\{number\\}', expected: "a dial string template with {number}, such as 'PJSIP/{number}@trunk' or 'Local/{number}@callees'" }),
    maxChannels: Type.Optional(Type.Integer({ minimum: 1 })),
    maxCallsPerSecond: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    abandonedCooldownMs: Type.Optional(Duration(0)),
    // Answering-machine detection; default on for predictive and message campaigns, off for progressive.
    amd: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)

type CampaignFile = Static<typeof CampaignSchema>

export interface CampaignResult {
  /** Undefined when there are errors (warnings do not count). */
  config: CampaignConfig | undefined
  errors: ConfigError[]
}

/** What the campaign may refer to: when given, unknown sections and flows are errors. */
export interface CampaignRefs {
  sections?: readonly string[]
  flows?: readonly string[]
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3600_000, d: 86_400_000 }

/** '24h' → 86,400,000; a number is already milliseconds. */
export function parseDuration(v: number | string): number {
  if (typeof v === 'number') return v
  const m = /^([0-9]+(?:\.[0-9]+)?)\s*(ms|s|m|h|d)$/.exec(v.trim())
  if (!m) return Number.NaN
  return Math.round(Number(m[1]) * UNITS[m[2]!]!)
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function crossCheck(src: YamlSource, refs: CampaignRefs | undefined): ConfigError[] {
  const errors: ConfigError[] = []
  const v = isObj(src.value) ? src.value : {}
  if (v.mode === 'message' && v.messageFlow === undefined) errors.push(src.error([], "a message campaign needs messageFlow (the flow the person who answers hears)"))
  if (isObj(v.retries)) {
    if ('reached' in v.retries) errors.push(src.error(['retries', 'reached'], 'a reached contact is done: it is never retried', { part: 'key' }))
    if ('invalid' in v.retries) errors.push(src.error(['retries', 'invalid'], 'an invalid number is never retried', { part: 'key' }))
  }
  if (isObj(v.windows)) {
    const w = v.windows
    if (typeof w.timezone === 'string' && !isValidTimezone(w.timezone)) errors.push(src.error(['windows', 'timezone'], `unknown time zone '${w.timezone}'`))
    if (Array.isArray(w.closedOn)) {
      w.closedOn.forEach((d: unknown, i: number) => {
        if (typeof d === 'string' && new RegExp(DATE_PATTERN).test(d) && !isValidDate(d)) errors.push(src.error(['windows', 'closedOn', i], `'${d}' is not a calendar date`))
      })
    }
    if (isObj(w.days)) {
      let any = false
      for (const day of WEEKDAYS) {
        const ranges = w.days[day]
        if (!Array.isArray(ranges)) continue
        ranges.forEach((r: unknown, i: number) => {
          if (typeof r !== 'string' || !new RegExp(RANGE_PATTERN).test(r)) return
          if (parseRange(r)) any = true
          else errors.push(src.error(['windows', 'days', day, i], `the range '${r}' ends before it starts`))
        })
      }
      if (!any && errors.length === 0) errors.push(src.error(['windows', 'days'], 'no calling window at all: nothing would ever be dialed'))
    }
  }
  if (refs?.sections && typeof v.section === 'string' && !refs.sections.includes(v.section)) errors.push(src.error(['section'], `unknown section '${v.section}'`))
  if (refs?.flows && typeof v.messageFlow === 'string' && !refs.flows.includes(v.messageFlow)) errors.push(src.error(['messageFlow'], `unknown flow '${v.messageFlow}'`))
  return errors
}

function toConfig(c: CampaignFile): CampaignConfig {
  const retries: Record<string, RetryRule> = {}
  for (const o of Object.keys(DEFAULT_RETRIES) as RetryOutcome[]) {
    const given = (c.retries as Record<string, Partial<RetryRule> | undefined> | undefined)?.[o]
    retries[o] = { ...DEFAULT_RETRIES[o], ...(o === 'invalid' ? {} : given) }
  }
  let windows: Schedule = structuredClone(DEFAULT_WINDOWS)
  if (c.windows) {
    const w: Schedule = {
      days: (c.windows.days as WeekSchedule | undefined) ?? DEFAULT_WINDOWS.days,
      holidays: c.windows.holidays ?? 'italy',
      timezone: c.windows.timezone ?? DEFAULT_TIMEZONE,
    }
    if (c.windows.closedOn && c.windows.closedOn.length > 0) w.closedOn = c.windows.closedOn
    windows = w
  }
  const out: CampaignConfig = {
    id: c.id,
    name: c.name,
    mode: c.mode,
    section: c.section,
    windows,
    retries,
    maxAttempts: c.maxAttempts ?? CAMPAIGN_DEFAULTS.maxAttempts,
    abandonCeiling: c.abandonCeiling ?? CAMPAIGN_DEFAULTS.abandonCeiling,
    abandonWindowMs: c.abandonWindowMs !== undefined ? parseDuration(c.abandonWindowMs) : CAMPAIGN_DEFAULTS.abandonWindowMs,
    ringSeconds: c.ringSeconds ?? CAMPAIGN_DEFAULTS.ringSeconds,
    onMachine: c.onMachine ?? CAMPAIGN_DEFAULTS.onMachine,
    callerId: c.callerId.trim(),
    trunk: c.trunk,
    maxChannels: c.maxChannels ?? CAMPAIGN_DEFAULTS.maxChannels,
    maxCallsPerSecond: c.maxCallsPerSecond ?? CAMPAIGN_DEFAULTS.maxCallsPerSecond,
    abandonedCooldownMs: c.abandonedCooldownMs !== undefined ? parseDuration(c.abandonedCooldownMs) : CAMPAIGN_DEFAULTS.abandonedCooldownMs,
  }
  if (c.messageFlow !== undefined) out.messageFlow = c.messageFlow
  if (c.transferKey !== undefined) out.transferKey = c.transferKey
  if (c.amd !== undefined) out.amd = c.amd
  return out
}

function check(src: YamlSource, refs: CampaignRefs | undefined): CampaignResult {
  const errors = [...schemaErrors(CampaignSchema, src.value, src), ...crossCheck(src, refs)]
  // Durations given as strings: the unit pattern is in the schema; a value below the minimum is caught here.
  const v = isObj(src.value) ? src.value : {}
  if (typeof v.abandonWindowMs === 'string' && parseDuration(v.abandonWindowMs) < 60_000) errors.push(src.error(['abandonWindowMs'], 'must be at least 1 minute'))
  if (errors.some((e) => e.severity !== 'warning')) return { config: undefined, errors: sortErrors(errors) }
  return { config: toConfig(src.value as CampaignFile), errors: sortErrors(errors) }
}

/** Pure: a campaign file's text (YAML, or JSON, which is YAML) into a CampaignConfig. */
export function parseCampaign(text: string, file: string, refs?: CampaignRefs): CampaignResult {
  const parsed = parseYaml(text, file)
  if (parsed.errors.length > 0) return { config: undefined, errors: parsed.errors }
  return check(parsed.source, refs)
}

/** Pure: a campaign definition already parsed (an API request body). Positions refer to its JSON rendering. */
export function validateCampaign(value: unknown, file = '<request>', refs?: CampaignRefs): CampaignResult {
  return parseCampaign(JSON.stringify(value ?? null, null, 2), file, refs)
}

export function readCampaign(file: string, refs?: CampaignRefs): CampaignResult {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    return { config: undefined, errors: [{ file, line: 0, column: 0, path: '', message: `cannot read campaign file (${(err as NodeJS.ErrnoException).code ?? 'error'})` }] }
  }
  return parseCampaign(text, file, refs)
}

/** readCampaign that throws AppError CONFIG_INVALID (details: { errors }). */
export function loadCampaign(file: string, refs?: CampaignRefs): CampaignConfig {
  const r = readCampaign(file, refs)
  if (!r.config) throw new AppError('CONFIG_INVALID', `invalid campaign:\n${formatErrors(r.errors)}`, { errors: r.errors })
  return r.config
}
