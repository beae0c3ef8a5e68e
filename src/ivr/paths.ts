/**
 * flowPaths: every key path through a flow and where it ends, for supervisors to review:
 * option digits, the operator digit, timeout/invalid fallbacks, hours open/closed, language
 * choice, collect input, service success/failure. A path that comes back to a node it already
 * passed is cut with a marker ("back to <node>").
 */
import { nodeEdges, type Edge } from './graph.js'
import type { CompiledFlow, FlowNode } from './types.js'

export interface PathStep {
  node: string
  /** What happened at the node (the key, the branch taken). */
  note?: string
}

export interface FlowPath {
  /** Keys the caller types, with placeholders such as <8 digits> and (no input). */
  keys: string[]
  steps: PathStep[]
  /** How the path ends: 'queue pensions', 'operator', 'transfer 06...', 'hangup', 'back to main'. */
  end: string
  /** The final node (or the node the path loops back to). */
  endNode: string
}

export type PathsInput = Pick<CompiledFlow, 'start' | 'nodes' | 'operator' | 'language'>

export const MAX_PATHS = 2000

function endOf(n: FlowNode): string | undefined {
  switch (n.type) {
    case 'queue':
      return `queue ${n.section}${n.priority ? ` (priority ${n.priority})` : ''}`
    case 'operator':
      return 'operator'
    case 'transfer':
      return `transfer ${n.number}`
    case 'hangup':
      return 'hangup'
    default:
      return undefined
  }
}

interface Branch {
  to: string
  key?: string
  note?: string
}

function branches(n: FlowNode, f: PathsInput): Branch[] {
  const edges = nodeEdges(n, f.operator)
  const op = (e: Edge): Branch => ({ to: e.to, key: e.digit!, note: `${e.digit} operator` })
  switch (n.type) {
    case 'menu':
      return edges.map((e) =>
        e.via === 'option' ? { to: e.to, key: e.digit!, note: e.digit! } : e.via === 'operator' ? op(e) : { to: e.to, key: '(no input)', note: `no valid input after ${n.retries} retries` },
      )
    case 'language': {
      const choices = Object.entries(n.options).map(([d, l]) => `${d} ${l}`)
      return [
        { to: n.next, key: '<lang>', note: `${choices.join(' | ')} | else ${f.language}` },
        ...edges.filter((e) => e.via === 'operator').map(op),
      ]
    }
    case 'collect': {
      const count = n.minDigits === n.maxDigits ? `${n.maxDigits}` : `${n.minDigits}-${n.maxDigits}`
      return [
        { to: n.next, key: `<${count} digits>`, note: `collect ${n.var}` },
        { to: n.fallback, key: '(no input)', note: `no valid input after ${n.retries} retries` },
      ]
    }
    case 'service':
      return [
        { to: n.success.next, note: `service ${n.action}: success` },
        { to: n.failure.next, note: `service ${n.action}: failure` },
      ]
    case 'hours':
      return [
        { to: n.open, note: 'open' },
        { to: n.closed, note: 'closed' },
      ]
    default:
      return edges.map((e) => ({ to: e.to }))
  }
}

export function flowPaths(f: PathsInput, maxPaths = MAX_PATHS): FlowPath[] {
  const out: FlowPath[] = []
  const walk = (id: string, keys: string[], steps: PathStep[], seen: Set<string>): void => {
    if (out.length >= maxPaths) return
    const n = f.nodes[id]
    if (!n) return
    const end = endOf(n)
    if (end !== undefined) {
      out.push({ keys, steps, end, endNode: id })
      return
    }
    if (seen.has(id)) {
      out.push({ keys, steps, end: `back to ${id}`, endNode: id })
      return
    }
    const next = new Set(seen).add(id)
    for (const b of branches(n, f)) {
      walk(b.to, b.key !== undefined ? [...keys, b.key] : keys, [...steps, { node: id, ...(b.note !== undefined ? { note: b.note } : {}) }], next)
    }
  }
  walk(f.start, [], [], new Set())
  return out
}

export function formatPath(p: FlowPath): string {
  const keys = p.keys.length > 0 ? p.keys.join(' ') : '(no keys)'
  const steps = p.steps.map((s) => (s.note ? `${s.node} (${s.note})` : s.node))
  const end = p.end.startsWith('back to ') ? `(${p.end})` : `${p.endNode}: ${p.end}`
  return [keys, ...steps, end].join(' -> ')
}

/** One line per path; a last line says when the listing was cut. */
export function formatPaths(paths: readonly FlowPath[], maxPaths = MAX_PATHS): string[] {
  const lines = paths.map(formatPath)
  if (paths.length >= maxPaths) lines.push(`... (listing cut at ${maxPaths} paths)`)
  return lines
}
