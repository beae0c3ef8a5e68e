/**
 * TypeBox validation reported as ConfigErrors: every error at once, with the position of the
 * offending value, and messages a supervisor can act on (missing property, unknown property
 * with a suggestion, expected type). Schemas may carry `expected` (a phrase such as
 * "a time range like 08:00-18:00") to replace the generic pattern and union messages.
 */
import type { TSchema } from '@sinclair/typebox'
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler'
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors'
import { joinPath, type ConfigError, type PathSeg } from './errors.js'
import type { YamlSource } from './yaml.js'

const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>()

function checker(schema: TSchema): TypeCheck<TSchema> {
  let c = compiled.get(schema)
  if (!c) {
    c = TypeCompiler.Compile(schema)
    compiled.set(schema, c)
  }
  return c
}

export function checkSchema(schema: TSchema, value: unknown): boolean {
  return checker(schema).Check(value)
}

export function pointerToPath(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return []
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
}

/** Validates value (found at basePath in src) against schema; [] when valid. */
export function schemaErrors(schema: TSchema, value: unknown, src: YamlSource, basePath: readonly PathSeg[] = []): ConfigError[] {
  const c = checker(schema)
  if (c.Check(value)) return []
  const raw = [...c.Errors(value)]
  const required = new Set(raw.filter((e) => e.type === ValueErrorType.ObjectRequiredProperty).map((e) => e.path))
  const out: ConfigError[] = []
  const seen = new Set<string>()
  for (const e of raw) {
    if (e.type !== ValueErrorType.ObjectRequiredProperty && required.has(e.path)) continue
    const rel = pointerToPath(e.path)
    const path = [...basePath, ...rel]
    let err: ConfigError
    if (e.type === ValueErrorType.ObjectRequiredProperty) {
      err = src.error(path.slice(0, -1), `missing required property '${rel[rel.length - 1] ?? ''}'`)
      err.path = joinPath(path)
    } else if (e.type === ValueErrorType.ObjectAdditionalProperties) {
      err = src.error(path, unknownProperty(e, rel[rel.length - 1] ?? ''), { part: 'key' })
    } else {
      err = src.error(path, describe(e))
    }
    const k = `${err.path}\u0000${err.message}`
    if (seen.has(k)) continue
    seen.add(k)
    out.push(err)
  }
  return out
}

function unknownProperty(e: ValueError, key: string): string {
  const props = (e.schema as { properties?: Record<string, unknown> }).properties
  const known = props ? Object.keys(props) : []
  const near = closest(key, known)
  if (near) return `unknown property '${key}' (did you mean '${near}'?)`
  if (known.length > 0 && known.length <= 12) return `unknown property '${key}' (expected one of: ${known.join(', ')})`
  return `unknown property '${key}'`
}

function describe(e: ValueError): string {
  const s = e.schema as TSchema & { expected?: string; anyOf?: TSchema[]; const?: unknown }
  if (s.expected) return `expected ${s.expected}`
  switch (e.type) {
    case ValueErrorType.String:
      return `expected a string, got ${kind(e.value)}`
    case ValueErrorType.Number:
      return `expected a number, got ${kind(e.value)}`
    case ValueErrorType.Integer:
      return `expected an integer, got ${kind(e.value)}`
    case ValueErrorType.Boolean:
      return `expected true or false, got ${kind(e.value)}`
    case ValueErrorType.Array:
      return `expected a list, got ${kind(e.value)}`
    case ValueErrorType.Object:
      return `expected a mapping, got ${kind(e.value)}`
    case ValueErrorType.Literal:
      return `expected ${JSON.stringify(s.const)}`
    case ValueErrorType.Union: {
      const lits = (s.anyOf ?? []).filter((x) => 'const' in x).map((x) => JSON.stringify((x as unknown as { const: unknown }).const))
      if (lits.length === (s.anyOf ?? []).length && lits.length > 0) return `expected one of ${lits.join(', ')}, got ${JSON.stringify(e.value)}`
      return `unexpected value ${short(e.value)}`
    }
    case ValueErrorType.StringPattern:
      return `${JSON.stringify(e.value)} does not match ${(s as { pattern?: string }).pattern ?? 'the expected pattern'}`
    case ValueErrorType.StringMinLength:
      return 'must not be empty'
    case ValueErrorType.ArrayMinItems:
      return `expected at least ${(s as { minItems?: number }).minItems ?? 1} item(s)`
    case ValueErrorType.NumberMinimum:
    case ValueErrorType.IntegerMinimum:
      return `must be at least ${(s as { minimum?: number }).minimum}`
    case ValueErrorType.NumberExclusiveMinimum:
    case ValueErrorType.IntegerExclusiveMinimum:
      return `must be greater than ${(s as { exclusiveMinimum?: number }).exclusiveMinimum}`
    case ValueErrorType.NumberMaximum:
    case ValueErrorType.IntegerMaximum:
      return `must be at most ${(s as { maximum?: number }).maximum}`
    default:
      return e.message
  }
}

function kind(v: unknown): string {
  if (v === null || v === undefined) return 'nothing'
  if (Array.isArray(v)) return 'a list'
  if (typeof v === 'object') return 'a mapping'
  return `${typeof v} ${short(v)}`
}

function short(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v)
  return s.length > 40 ? `${s.slice(0, 37)}...` : s
}

/** The known name nearest to key (edit distance <= 2, or a case-insensitive match), if any. */
export function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined
  let bestD = 3
  for (const k of known) {
    if (k.toLowerCase() === key.toLowerCase()) return k
    const d = distance(key.toLowerCase(), k.toLowerCase())
    if (d < bestD) {
      bestD = d
      best = k
    }
  }
  return best
}

function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    prev = cur
  }
  return prev[b.length]!
}
