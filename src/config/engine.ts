/**
 * Loads the engine settings: defaults, then the config file (CENTRALINO_CONFIG, or
 * config/centralino.yaml when it exists), then environment overrides (env wins). Every problem
 * is reported at once with its position; parseEngineConfig is pure, readEngineConfig reads files.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { AppError } from '../domain/errors.js'
import { formatErrors, sortErrors, type ConfigError } from './errors.js'
import {
  CONFIG_FILE_ENV,
  DEFAULT_CONFIG_FILE,
  ENGINE_DEFAULTS,
  ENV_OVERRIDES,
  EngineConfigSchema,
  EngineFileSchema,
  type EngineConfig,
} from './engine-schema.js'
import { checkSchema, schemaErrors } from './schema-check.js'
import { parseYaml } from './yaml.js'

export type { EngineConfig } from './engine-schema.js'

export type Env = Record<string, string | undefined>

export interface EngineConfigResult {
  config: EngineConfig
  errors: ConfigError[]
  /** The file read, if any. */
  file?: string
}

/** Settings whose value replaces the default wholesale instead of being merged key by key. */
const REPLACED = new Set(['entries', 'backOffice.actions'])

/** Pure: defaults <- file text (if any) <- env. */
export function parseEngineConfig(text: string | undefined, file: string, env: Env = {}): EngineConfigResult {
  const errors: ConfigError[] = []
  let fromFile: unknown = {}
  if (text !== undefined) {
    const parsed = parseYaml(text, file)
    errors.push(...parsed.errors)
    if (parsed.errors.length === 0) {
      const v = parsed.source.value ?? {}
      const errs = schemaErrors(EngineFileSchema, v, parsed.source)
      errors.push(...errs)
      if (errs.length === 0) fromFile = v
    }
  }
  const merged = merge(structuredClone(ENGINE_DEFAULTS), fromFile, '') as Record<string, unknown>
  for (const o of ENV_OVERRIDES) {
    const raw = env[o.name]
    if (raw === undefined || raw === '') continue
    let value: string | number = raw
    if (o.kind === 'port') {
      const n = Number(raw)
      if (!/^\d+$/.test(raw.trim()) || n > 65535) {
        errors.push({ file: 'environment', line: 0, column: 0, path: o.name, message: `expected a port number (0-65535), got ${JSON.stringify(raw)}` })
        continue
      }
      value = n
    } else if (o.values && !o.values.includes(raw)) {
      errors.push({ file: 'environment', line: 0, column: 0, path: o.name, message: `expected one of ${o.values.join(', ')}, got ${JSON.stringify(raw)}` })
      continue
    }
    setIn(merged, o.path, value)
  }
  if (errors.length === 0 && !checkSchema(EngineConfigSchema, merged)) {
    // Only environment values can still be wrong here: report them by variable name.
    for (const o of ENV_OVERRIDES) {
      const raw = env[o.name]
      if (raw === undefined || raw === '') continue
      const probe = merge(structuredClone(ENGINE_DEFAULTS), {}, '') as Record<string, unknown>
      setIn(probe, o.path, getIn(merged, o.path))
      if (!checkSchema(EngineConfigSchema, probe)) {
        errors.push({ file: 'environment', line: 0, column: 0, path: o.name, message: `invalid value ${JSON.stringify(raw)}` })
      }
    }
    if (errors.length === 0) errors.push({ file, line: 0, column: 0, path: '', message: 'invalid configuration' })
  }
  return { config: merged as EngineConfig, errors: sortErrors(errors), ...(text !== undefined ? { file } : {}) }
}

export interface ReadEngineConfigOptions {
  /** Config file; default $CENTRALINO_CONFIG, else config/centralino.yaml when it exists. */
  file?: string
  env?: Env
  cwd?: string
}

/** Reads the config file (if any) and applies the environment. A named file that is missing is an error. */
export function readEngineConfig(opts: ReadEngineConfigOptions = {}): EngineConfigResult {
  const env = opts.env ?? process.env
  const cwd = opts.cwd ?? process.cwd()
  const named = opts.file ?? env[CONFIG_FILE_ENV]
  const file = named ?? DEFAULT_CONFIG_FILE
  const abs = path.resolve(cwd, file)
  if (named === undefined && !existsSync(abs)) return parseEngineConfig(undefined, file, env)
  let text: string
  try {
    text = readFileSync(abs, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error'
    return { config: structuredClone(ENGINE_DEFAULTS), errors: [{ file, line: 0, column: 0, path: '', message: `cannot read config file (${code})` }], file }
  }
  return parseEngineConfig(text, file, env)
}

/** readEngineConfig that throws AppError CONFIG_INVALID (details: { errors }) on any problem. */
export function loadEngineConfig(opts: ReadEngineConfigOptions = {}): EngineConfig {
  const r = readEngineConfig(opts)
  if (r.errors.length > 0) throw new AppError('CONFIG_INVALID', `invalid engine configuration:\n${formatErrors(r.errors)}`, { errors: r.errors })
  return r.config
}

/** The flow for a dialed number or Stasis argument; the default flow when unknown or absent. */
export function flowIdForEntry(config: Pick<EngineConfig, 'entries' | 'defaultFlow'>, entry: string | undefined): string {
  if (entry !== undefined && Object.prototype.hasOwnProperty.call(config.entries, entry)) return config.entries[entry]!
  return config.defaultFlow
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function merge(base: unknown, over: unknown, at: string): unknown {
  if (!isPlainObject(base) || !isPlainObject(over) || REPLACED.has(at)) return over === undefined ? base : over
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue
    const sub = at === '' ? k : `${at}.${k}`
    base[k] = merge(base[k], v, sub)
  }
  return base
}

function setIn(obj: Record<string, unknown>, p: readonly string[], value: unknown): void {
  let cur = obj
  for (let i = 0; i < p.length - 1; i++) {
    const next = cur[p[i]!]
    if (!isPlainObject(next)) cur[p[i]!] = {}
    cur = cur[p[i]!] as Record<string, unknown>
  }
  cur[p[p.length - 1]!] = value
}

function getIn(obj: Record<string, unknown>, p: readonly string[]): unknown {
  let cur: unknown = obj
  for (const k of p) cur = isPlainObject(cur) ? cur[k] : undefined
  return cur
}
