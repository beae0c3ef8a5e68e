/**
 * Which variables may be set when a node is reached: a forward data-flow over the flow graph
 * (a collect node sets its var on its `next` edge, a service node sets '<node>.<key>' on its
 * success edge). A ${var} that no path to its node sets is an error.
 */
import { nodeEdges, type OperatorSetting } from './graph.js'
import { isBuiltinVar, promptValue, varRefs } from './prompts.js'
import type { FlowNode, PromptItem } from './types.js'

export type VarSet = ReadonlySet<string>

/** For each node reachable from start, the variables that may be set on arrival. */
export function varsOnArrival(start: string, nodes: Record<string, FlowNode>, operator: OperatorSetting | null): Map<string, Set<string>> {
  const arrive = new Map<string, Set<string>>()
  if (!nodes[start]) return arrive
  arrive.set(start, new Set())
  const work = [start]
  while (work.length > 0) {
    const id = work.pop()!
    const n = nodes[id]
    if (!n) continue
    const here = arrive.get(id)!
    for (const e of nodeEdges(n, operator)) {
      if (!nodes[e.to]) continue
      let there = arrive.get(e.to)
      const fresh = !there
      if (!there) {
        there = new Set()
        arrive.set(e.to, there)
      }
      const before = there.size
      for (const v of here) there.add(v)
      for (const v of e.sets ?? []) there.add(v)
      if ((fresh || there.size !== before) && !work.includes(e.to)) work.push(e.to)
    }
  }
  return arrive
}

/** Whether name may be set given the set (exact names and '<node>.*' prefixes). */
export function mayBeSet(name: string, set: VarSet): boolean {
  if (isBuiltinVar(name) || set.has(name)) return true
  for (const v of set) if (v.endsWith('.*') && name.startsWith(v.slice(0, -1))) return true
  return false
}

/** Every variable any node of the flow can set. */
export function allSetVars(nodes: Record<string, FlowNode>, operator: OperatorSetting | null): Set<string> {
  const out = new Set<string>()
  for (const n of Object.values(nodes)) for (const e of nodeEdges(n, operator)) for (const v of e.sets ?? []) out.add(v)
  return out
}

export interface VarUse {
  name: string
  /** Path inside the node where the reference is written. */
  at: Array<string | number>
  /** Variables set inside the node before this use (a service's results in its success prompts). */
  local?: string[]
}

function promptUses(items: readonly PromptItem[], base: Array<string | number>): VarUse[] {
  const out: VarUse[] = []
  items.forEach((item, i) => {
    const v = promptValue(item)
    if (v === undefined) return
    for (const name of varRefs(v)) out.push({ name, at: [...base, i, typeof item === 'object' && 'number' in item ? 'number' : 'digits'] })
  })
  return out
}

/** Every ${var} a node refers to, with where. */
export function nodeVarUses(n: FlowNode): VarUse[] {
  switch (n.type) {
    case 'menu':
    case 'language':
      return [...promptUses(n.prompts, ['prompts']), ...promptUses(n.invalidPrompts, ['invalidPrompts']), ...promptUses(n.timeoutPrompts, ['timeoutPrompts'])]
    case 'collect':
      return [...promptUses(n.prompts, ['prompts']), ...promptUses(n.invalidPrompts, ['invalidPrompts']), ...promptUses(n.timeoutPrompts, ['timeoutPrompts'])]
    case 'play':
    case 'hangup':
      return promptUses(n.prompts, ['prompts'])
    case 'service':
      return [
        ...Object.entries(n.params).flatMap(([k, v]) => varRefs(v).map((name): VarUse => ({ name, at: ['params', k] }))),
        ...promptUses(n.waitPrompts, ['waitPrompts']),
        ...promptUses(n.success.prompts, ['success', 'prompts']).map((u) => ({ ...u, local: [`${n.id}.*`] })),
        ...promptUses(n.failure.prompts, ['failure', 'prompts']),
      ]
    default:
      return []
  }
}
