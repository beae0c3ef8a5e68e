/**
 * A compiled flow as data to draw (the flows page): every node with its type, the catalogue
 * prompts it plays and its edges labelled by digit or outcome; and the node an error path
 * belongs to (`nodes.pensions.payments.success.next` -> `pensions.payments`: node ids may
 * contain dots, so the longest id that prefixes the path wins).
 */
import { nodeEdges } from './graph.js'
import { BUILTIN_HANGUP, BUILTIN_OPERATOR, type CompiledFlow, type FlowNode, type PromptItem } from './types.js'

export interface TreeEdge {
  /** What takes the edge: a digit ('1', '*'), or an outcome (fallback, next, open, closed, success, failure). */
  label: string
  via: string
  digit?: string
  to: string
}

export interface TreeNode {
  id: string
  type: FlowNode['type']
  /** Catalogue prompt ids played by the node, in order (variables read out as `${var}`). */
  prompts: string[]
  edges: TreeEdge[]
  /** Built-in nodes ($operator, $hangup) the flow gets when it needs them. */
  builtin?: boolean
  /** A short description of what the node does (a queue's section, a service's action...). */
  detail?: string
}

export interface FlowTree {
  start: string
  operator: { digit: string; target: string } | null
  nodes: TreeNode[]
}

const promptIds = (items: readonly PromptItem[]): string[] =>
  items.map((p) => (typeof p === 'string' ? p : 'number' in p ? `${p.number} (number)` : `${p.digits} (digits)`))

function prompts(n: FlowNode): string[] {
  switch (n.type) {
    case 'menu':
    case 'play':
    case 'collect':
    case 'language':
    case 'hangup':
      return promptIds(n.prompts)
    case 'service':
      return promptIds([...n.waitPrompts, ...n.success.prompts, ...n.failure.prompts])
    default:
      return []
  }
}

function detail(n: FlowNode): string | undefined {
  switch (n.type) {
    case 'queue':
      return `section ${n.section}${n.priority ? `, priority ${n.priority}` : ''}`
    case 'service':
      return `action ${n.action}`
    case 'collect':
      return `${n.var}: ${n.minDigits === n.maxDigits ? n.maxDigits : `${n.minDigits}-${n.maxDigits}`} digits`
    case 'transfer':
      return `to ${n.number}`
    case 'hours':
      return n.schedule.timezone ?? 'Europe/Rome'
    default:
      return undefined
  }
}

function edges(n: FlowNode, operator: CompiledFlow['operator']): TreeEdge[] {
  const out: TreeEdge[] = []
  const langs: string[] = []
  for (const e of nodeEdges(n, operator)) {
    if (e.via === 'language') {
      langs.push(`${e.digit} ${e.lang}`)
      continue
    }
    // A language node's fallback is its next: drawn once, with the language digits.
    if (n.type === 'language' && e.via === 'fallback') continue
    const label = e.via === 'option' || e.via === 'operator' ? e.digit! : e.via
    out.push({ label, via: e.via, ...(e.digit !== undefined ? { digit: e.digit } : {}), to: e.to })
  }
  if (n.type === 'language') out.unshift({ label: [...langs, 'no choice'].join(', '), via: 'next', to: n.next })
  return out
}

export function flowTree(flow: Pick<CompiledFlow, 'start' | 'nodes' | 'operator'>): FlowTree {
  return {
    start: flow.start,
    operator: flow.operator,
    nodes: Object.values(flow.nodes).map((n) => {
      const d = detail(n)
      return {
        id: n.id,
        type: n.type,
        prompts: prompts(n),
        edges: edges(n, flow.operator),
        ...(n.id === BUILTIN_OPERATOR || n.id === BUILTIN_HANGUP ? { builtin: true } : {}),
        ...(d !== undefined ? { detail: d } : {}),
      }
    }),
  }
}

/** The node an error path (`nodes.<id>...`) belongs to, among `ids`; undefined when none. */
export function nodeOfPath(path: string, ids: Iterable<string>): string | undefined {
  if (!path.startsWith('nodes.')) return undefined
  const rest = path.slice('nodes.'.length)
  let best: string | undefined
  for (const id of ids) {
    if ((rest === id || rest.startsWith(`${id}.`)) && (best === undefined || id.length > best.length)) best = id
  }
  return best
}
