/**
 * The flow as a graph: every edge a node can take (option digits, the operator digit,
 * fallbacks, next, open/closed, success/failure), with where it is written in the file and the
 * variables it sets. Shared by validation, compilation and the paths report.
 */
import type { PathSeg } from '../config/errors.js'
import type { FlowNode } from './types.js'

export type EdgeVia = 'option' | 'operator' | 'fallback' | 'next' | 'open' | 'closed' | 'success' | 'failure' | 'language'

export interface Edge {
  to: string
  via: EdgeVia
  /** The digit for option/operator/language edges; the language for language edges is in `lang`. */
  digit?: string
  lang?: string
  /** Where the target is written (relative to the file root). */
  path: PathSeg[]
  /** Variables set when this edge is taken ('<node>.*' for a service node's results). */
  sets?: string[]
}

export interface OperatorSetting {
  digit: string
  target: string
}

export function nodeEdges(n: FlowNode, operator: OperatorSetting | null): Edge[] {
  const at = (...p: PathSeg[]): PathSeg[] => ['nodes', n.id, ...p]
  const opEdge = (enabled: boolean): Edge[] =>
    enabled && operator ? [{ to: operator.target, via: 'operator', digit: operator.digit, path: ['operator', 'target'] }] : []
  switch (n.type) {
    case 'menu':
      return [
        ...Object.entries(n.options).map(([digit, to]): Edge => ({ to, via: 'option', digit, path: at('options', digit) })),
        ...opEdge(n.operator),
        { to: n.fallback, via: 'fallback', path: at('fallback') },
      ]
    case 'language':
      return [
        ...Object.entries(n.options).map(([digit, lang]): Edge => ({ to: n.next, via: 'language', digit, lang, path: at('next') })),
        ...opEdge(n.operator),
        { to: n.next, via: 'fallback', path: at('next') },
      ]
    case 'play':
      return [{ to: n.next, via: 'next', path: at('next') }]
    case 'collect':
      return [
        { to: n.next, via: 'next', path: at('next'), sets: [n.var] },
        { to: n.fallback, via: 'fallback', path: at('fallback') },
      ]
    case 'service':
      return [
        { to: n.success.next, via: 'success', path: at('success', 'next'), sets: [`${n.id}.*`] },
        { to: n.failure.next, via: 'failure', path: at('failure', 'next') },
      ]
    case 'hours':
      return [
        { to: n.open, via: 'open', path: at('open') },
        { to: n.closed, via: 'closed', path: at('closed') },
      ]
    default:
      return []
  }
}

export const INPUT_TYPES = new Set<FlowNode['type']>(['menu', 'collect', 'language'])
export const FINAL_TYPES = new Set<FlowNode['type']>(['queue', 'operator', 'transfer', 'hangup'])

/** Node ids reachable from start following edges (only through nodes present in `nodes`). */
export function reachable(start: string, nodes: Record<string, FlowNode>, operator: OperatorSetting | null): Set<string> {
  const seen = new Set<string>()
  const stack = [start]
  while (stack.length > 0) {
    const id = stack.pop()!
    if (seen.has(id)) continue
    const n = nodes[id]
    if (!n) continue
    seen.add(id)
    for (const e of nodeEdges(n, operator)) if (!seen.has(e.to)) stack.push(e.to)
  }
  return seen
}

/**
 * Cycles that pass through no input node (play -> play, play -> service -> play...): a caller
 * would loop forever without being asked anything. Each cycle is listed once, as node ids.
 */
export function cyclesWithoutInput(nodes: Record<string, FlowNode>, operator: OperatorSetting | null): string[][] {
  const succ = (id: string): string[] => {
    const n = nodes[id]
    if (!n || INPUT_TYPES.has(n.type)) return []
    return nodeEdges(n, operator)
      .map((e) => e.to)
      .filter((to) => nodes[to] && !INPUT_TYPES.has(nodes[to].type))
  }
  // Tarjan's strongly connected components.
  let index = 0
  const idx = new Map<string, number>()
  const low = new Map<string, number>()
  const onStack = new Set<string>()
  const stack: string[] = []
  const out: string[][] = []
  const visit = (v: string): void => {
    idx.set(v, index)
    low.set(v, index++)
    stack.push(v)
    onStack.add(v)
    for (const w of succ(v)) {
      if (!idx.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!))
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = []
      let w: string
      do {
        w = stack.pop()!
        onStack.delete(w)
        comp.push(w)
      } while (w !== v)
      if (comp.length > 1 || succ(v).includes(v)) out.push(comp.reverse())
    }
  }
  for (const id of Object.keys(nodes)) if (!idx.has(id)) visit(id)
  return out
}
