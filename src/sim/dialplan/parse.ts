/**
 * A small extensions.conf reader: [context] sections, `exten => X,prio,App(args)`,
 * `same => n[(label)],App(args)`, `include => ctx`, comments (`;`, `\;` escapes it). [general]
 * and [globals] are read and ignored. Patterns (_X. _NXX _[1-5] _. _! _+X.) are matched
 * like Asterisk: exact extensions first, then the most specific pattern.
 */

export interface Step {
  app: string
  args: string
  line: number
}

export class Extension {
  readonly steps = new Map<number, Step>()
  readonly labels = new Map<string, number>()
  constructor(readonly name: string) {}
}

interface Pattern {
  re: RegExp
  ext: Extension
  score: number
  order: number
}

class Context {
  readonly exact = new Map<string, Extension>()
  readonly patterns: Pattern[] = []
  readonly includes: string[] = []
  constructor(readonly name: string) {}
}

export class DialplanError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`dialplan line ${line}: ${message}`)
  }
}

function patternToRegex(p: string): { re: RegExp; score: number } {
  let src = ''
  let score = 0
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!
    const u = c.toUpperCase()
    if (u === 'X') {
      src += '[0-9]'
      score += 10
    } else if (u === 'Z') {
      src += '[1-9]'
      score += 11
    } else if (u === 'N') {
      src += '[2-9]'
      score += 12
    } else if (c === '.') {
      src += '.+'
      score -= 1000
    } else if (c === '!') {
      src += '.*'
      score -= 2000
    } else if (c === '[') {
      const end = p.indexOf(']', i)
      if (end < 0) throw new Error(`unterminated [ in pattern ${p}`)
      const body = p.slice(i + 1, end).replace(/[\\^\]]/g, (m) => '\\' + m)
      src += `[${body}]`
      score += 13
      i = end
    } else {
      src += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      score += 100
    }
  }
  return { re: new RegExp(`^${src}$`), score }
}

/** Splits "App(args)" into name and args (args between the first '(' and the last ')'). */
function splitApp(s: string): { app: string; args: string } {
  const open = s.indexOf('(')
  if (open < 0) return { app: s.trim(), args: '' }
  const close = s.lastIndexOf(')')
  return { app: s.slice(0, open).trim(), args: s.slice(open + 1, close > open ? close : s.length) }
}

function stripComment(line: string): string {
  let out = ''
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (c === '\\' && line[i + 1] === ';') {
      out += ';'
      i++
    } else if (c === ';') break
    else out += c
  }
  return out.trim()
}

export class Dialplan {
  private readonly contexts = new Map<string, Context>()
  private readonly cache = new Map<string, Extension | null>()

  addContext(name: string): Context {
    let c = this.contexts.get(name)
    if (!c) {
      c = new Context(name)
      this.contexts.set(name, c)
    }
    return c
  }

  hasContext(name: string): boolean {
    return this.contexts.has(name)
  }

  contextNames(): string[] {
    return [...this.contexts.keys()]
  }

  /** The extension that handles `exten` in `context` (includes followed), or undefined. */
  find(context: string, exten: string, depth = 0): Extension | undefined {
    const key = `${context}\u0000${exten}`
    if (depth === 0 && this.cache.has(key)) return this.cache.get(key) ?? undefined
    const c = this.contexts.get(context)
    let found: Extension | undefined
    if (c) {
      found = c.exact.get(exten)
      if (!found) {
        let best: Pattern | undefined
        for (const p of c.patterns) {
          if (!p.re.test(exten)) continue
          if (!best || p.score > best.score || (p.score === best.score && p.order < best.order)) best = p
        }
        found = best?.ext
      }
      if (!found && depth < 8) {
        for (const inc of c.includes) {
          found = this.find(inc, exten, depth + 1)
          if (found) break
        }
      }
    }
    if (depth === 0) this.cache.set(key, found ?? null)
    return found
  }

  exists(context: string, exten: string, priority = 1): boolean {
    return this.find(context, exten)?.steps.has(priority) ?? false
  }

  step(context: string, exten: string, priority: number): Step | undefined {
    return this.find(context, exten)?.steps.get(priority)
  }
}

/** Parses extensions.conf text; throws DialplanError with the line number on bad input. */
export function parseDialplan(text: string, into = new Dialplan()): Dialplan {
  let ctx: Context | undefined
  let skip = false
  let last: { ext: Extension; prio: number } | undefined
  let order = 0
  const lines = text.split(/\r?\n/)
  for (let n = 0; n < lines.length; n++) {
    const lineNo = n + 1
    const line = stripComment(lines[n]!)
    if (!line) continue
    const sec = /^\[([^\]]+)\]/.exec(line)
    if (sec) {
      const name = sec[1]!.trim()
      skip = name === 'general' || name === 'globals'
      ctx = skip ? undefined : into.addContext(name)
      last = undefined
      continue
    }
    if (skip) continue
    const kv = /^(exten|same|include)\s*=>?\s*(.*)$/i.exec(line)
    if (!kv) throw new DialplanError(`cannot read "${line}"`, lineNo)
    if (!ctx) throw new DialplanError('statement outside of a [context]', lineNo)
    const kind = kv[1]!.toLowerCase()
    const rest = kv[2]!.trim()
    if (kind === 'include') {
      ctx.includes.push(rest)
      continue
    }
    let name: string
    let prioText: string
    let appText: string
    if (kind === 'exten') {
      const m = /^([^,]+),([^,]+),(.*)$/.exec(rest)
      if (!m) throw new DialplanError(`expected exten => name,priority,App(args): "${line}"`, lineNo)
      name = m[1]!.trim()
      prioText = m[2]!.trim()
      appText = m[3]!.trim()
    } else {
      if (!last) throw new DialplanError('"same =>" without a previous extension', lineNo)
      const m = /^([^,]+),(.*)$/.exec(rest)
      if (!m) throw new DialplanError(`expected same => priority,App(args): "${line}"`, lineNo)
      name = last.ext.name
      prioText = m[1]!.trim()
      appText = m[2]!.trim()
    }
    if (prioText === 'hint') continue
    let ext = name.startsWith('_') ? undefined : ctx.exact.get(name)
    if (name.startsWith('_')) ext = ctx.patterns.find((p) => p.ext.name === name)?.ext
    if (!ext) {
      ext = new Extension(name)
      if (name.startsWith('_')) {
        try {
          const { re, score } = patternToRegex(name.slice(1))
          ctx.patterns.push({ re, ext, score, order: order++ })
        } catch (e) {
          throw new DialplanError((e as Error).message, lineNo)
        }
      } else ctx.exact.set(name, ext)
    }
    const lm = /^(n|\d+)(?:\(([^)]+)\))?$/.exec(prioText)
    if (!lm) throw new DialplanError(`bad priority "${prioText}"`, lineNo)
    let prio: number
    if (lm[1] === 'n') {
      if (!last || last.ext !== ext) throw new DialplanError('priority "n" needs a previous priority of the same extension', lineNo)
      prio = last.prio + 1
    } else prio = Number(lm[1])
    if (lm[2]) ext.labels.set(lm[2], prio)
    const { app, args } = splitApp(appText)
    if (!app) throw new DialplanError(`missing application: "${line}"`, lineNo)
    ext.steps.set(prio, { app, args, line: lineNo })
    last = { ext, prio }
  }
  return into
}
