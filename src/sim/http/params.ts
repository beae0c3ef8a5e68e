/**
 * Request parameters as ARI reads them: the query string, overridden by the top-level
 * fields of a JSON body (ARI's *_parse_body), integers with atoi semantics ("abc" is 0),
 * booleans with ast_true, comma-separated lists for allowMultiple parameters, and the
 * `variables` object of the body (string values only).
 */

export class Params {
  constructor(
    private readonly query: URLSearchParams,
    readonly body: Record<string, unknown> | undefined,
  ) {}

  has(name: string): boolean {
    return this.get(name) !== undefined
  }

  get(name: string): string | undefined {
    const b = this.body?.[name]
    if (typeof b === 'string') return b
    if (typeof b === 'number' || typeof b === 'boolean') return String(b)
    const v = this.query.get(name)
    return v === null ? undefined : v
  }

  /** Non-empty string or undefined. */
  str(name: string): string | undefined {
    const v = this.get(name)
    return v === undefined || v === '' ? undefined : v
  }

  /** atoi: leading integer, 0 when none; undefined when absent. */
  int(name: string): number | undefined {
    const v = this.get(name)
    if (v === undefined) return undefined
    const m = /^\s*([+-]?\d+)/.exec(v)
    return m ? Number.parseInt(m[1]!, 10) : 0
  }

  bool(name: string): boolean | undefined {
    const v = this.get(name)
    if (v === undefined) return undefined
    return /^(yes|true|y|t|1|on)$/i.test(v.trim())
  }

  list(name: string): string[] {
    const b = this.body?.[name]
    if (Array.isArray(b)) return b.filter((x): x is string => typeof x === 'string')
    const out: string[] = []
    const fromBody = typeof b === 'string' ? [b] : []
    for (const v of fromBody.length ? fromBody : this.query.getAll(name)) for (const part of v.split(',')) if (part.trim() !== '') out.push(part.trim())
    return out
  }

  /** body.variables: a string map; an error message when malformed. */
  variables(): Record<string, string> | string | undefined {
    const v = this.body?.variables
    if (v === undefined || v === null) return undefined
    if (typeof v !== 'object' || Array.isArray(v)) return "Expected 'variables' to be an object"
    const out: Record<string, string> = {}
    for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
      if (typeof val !== 'string') return "Only string values in the 'variables' object allowed"
      out[k] = val
    }
    return out
  }
}
