/** ${...} substitution in dialplan arguments: channel variables and a few builtins. */
import type { Channel } from '../model/channel.js'

export interface Location {
  context: string
  exten: string
  priority: number
}

function lookup(ch: Channel, loc: Location, expr: string): string {
  const sub = /^([A-Za-z0-9_]+(?:\([^)]*\))?)(?::(-?\d+)(?::(-?\d+))?)?$/.exec(expr)
  const name = sub ? sub[1]! : expr
  let v: string
  switch (name) {
    case 'EXTEN':
      v = loc.exten
      break
    case 'CONTEXT':
      v = loc.context
      break
    case 'PRIORITY':
      v = String(loc.priority)
      break
    case 'CHANNEL':
    case 'CHANNEL(name)':
      v = ch.name
      break
    case 'UNIQUEID':
      v = ch.id
      break
    case 'LANGUAGE':
    case 'CHANNEL(language)':
      v = ch.language
      break
    case 'HANGUPCAUSE':
      v = String(ch.hangupCause)
      break
    case 'CALLERID(num)':
      v = ch.caller.number
      break
    case 'CALLERID(name)':
      v = ch.caller.name
      break
    case 'CALLERID(all)':
      v = ch.caller.name ? `"${ch.caller.name}" <${ch.caller.number}>` : ch.caller.number
      break
    case 'CONNECTEDLINE(num)':
      v = ch.connected.number
      break
    case 'CONNECTEDLINE(name)':
      v = ch.connected.name
      break
    default:
      v = ch.vars.get(name) ?? ''
  }
  if (sub && sub[2] !== undefined) {
    const off = Number(sub[2])
    const start = off < 0 ? Math.max(0, v.length + off) : off
    const len = sub[3] !== undefined ? Number(sub[3]) : undefined
    v = len === undefined ? v.slice(start) : len < 0 ? v.slice(start, v.length + len) : v.slice(start, start + len)
  }
  return v
}

/** Replaces ${...} (innermost first, so ${A${B}} works). */
export function substitute(text: string, ch: Channel, loc: Location = ch): string {
  let out = text
  for (let guard = 0; guard < 20 && out.includes('${'); guard++) {
    const next = out.replace(/\$\{([^${}]*)\}/g, (_m, expr: string) => lookup(ch, loc, expr))
    if (next === out) break
    out = next
  }
  return out
}

/** Splits application arguments on commas outside parentheses and quotes. */
export function splitArgs(data: string): string[] {
  const out: string[] = []
  let cur = ''
  let depth = 0
  let quote = false
  for (const c of data) {
    if (c === '"') quote = !quote
    if (!quote && c === '(') depth++
    if (!quote && c === ')') depth = Math.max(0, depth - 1)
    if (c === ',' && depth === 0 && !quote) {
      out.push(cur)
      cur = ''
    } else cur += c
  }
  out.push(cur)
  return out
}
