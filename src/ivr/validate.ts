/**
 * Flow validation: schema errors per node, then the semantic checks (targets, start, operator
 * digit and target, digits, languages, catalogue prompts in every language, sections, service
 * actions, ${var} references, cycles with no input node; unreachable nodes as warnings).
 * Every problem is reported at once with its position. Pure: works on a parsed YamlSource.
 */
import { checkSchema, closest, schemaErrors } from '../config/schema-check.js'
import { sortErrors, type ConfigError, type PathSeg } from '../config/errors.js'
import type { YamlSource } from '../config/yaml.js'
import { cyclesWithoutInput, nodeEdges, reachable } from './graph.js'
import { builtinNode, flowSettings, normalizeNode, type FlowSettings } from './normalize.js'
import { DIGIT_PATTERN, FlowHeaderSchema, NODE_ID_PATTERN, NODE_SCHEMAS, NODE_TYPES, type FlowHeaderDoc, type NodeType } from './schema.js'
import { checkNodeDetails, checkPrompts } from './validate-nodes.js'
import { allSetVars, mayBeSet, nodeVarUses, varsOnArrival } from './vars.js'
import { BUILTIN_HANGUP, BUILTIN_OPERATOR, type FlowNode, type ValidateOptions } from './types.js'

export type { ValidateOptions }

export interface NormalizedFlow {
  id: string
  description?: string
  start: string
  nodes: Record<string, FlowNode>
  settings: FlowSettings
}

export interface ValidatedFlow {
  errors: ConfigError[]
  warnings: ConfigError[]
  flow?: NormalizedFlow
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

export function validateFlow(src: YamlSource, opts: ValidateOptions): ValidatedFlow {
  const errors: ConfigError[] = []
  const warnings: ConfigError[] = []
  const root = src.value
  if (!isObj(root)) return { errors: [src.error([], 'a flow file must be a mapping with flow, start and nodes')], warnings }

  const headerErrors = schemaErrors(FlowHeaderSchema, root, src)
  errors.push(...headerErrors)
  const badKeys = new Set(headerErrors.map((e) => e.path.split('.')[0]!))
  const header = Object.fromEntries(Object.entries(root).filter(([k]) => k !== 'nodes' && !badKeys.has(k))) as Partial<FlowHeaderDoc>
  const settings = flowSettings(header)
  if (opts.expectedId !== undefined && header.flow !== undefined && header.flow !== opts.expectedId) {
    errors.push(src.error(['flow'], `flow id '${header.flow}' does not match its file name '${opts.expectedId}' (a flow lives in <id>.yaml)`))
  }
  if (header.language && header.languages && !header.languages.includes(header.language)) {
    errors.push(src.error(['language'], `default language '${header.language}' is not in languages (${header.languages.join(', ')})`))
  }

  const docs: Record<string, unknown> = isObj(root.nodes) ? { ...root.nodes } : {}
  const ids = new Set(Object.keys(docs))
  const nodes: Record<string, FlowNode> = {}
  const idRe = new RegExp(NODE_ID_PATTERN)
  for (const [id, doc] of Object.entries(docs)) {
    const at: PathSeg[] = ['nodes', id]
    if (!idRe.test(id)) errors.push(src.error(at, `invalid node id '${id}' (letters, digits, _ . - only)`, { part: 'key' }))
    if (!isObj(doc)) {
      errors.push(src.error(at, `node '${id}' must be a mapping with a type`))
      continue
    }
    const type = doc.type
    if (type === undefined) {
      errors.push(src.error(at, `missing required property 'type' (one of: ${NODE_TYPES.join(', ')})`))
      continue
    }
    if (typeof type !== 'string' || !(NODE_TYPES as string[]).includes(type)) {
      const near = typeof type === 'string' ? closest(type, NODE_TYPES) : undefined
      errors.push(src.error([...at, 'type'], `unknown node type ${typeof type === 'string' ? `'${type}'` : JSON.stringify(type)}${near ? ` (did you mean '${near}'?)` : ` (one of: ${NODE_TYPES.join(', ')})`}`))
      continue
    }
    const schema = NODE_SCHEMAS[type as NodeType]
    const errs = schemaErrors(schema, doc, src, at)
    errors.push(...errs)
    if (!idRe.test(id)) continue
    if (errs.length === 0) nodes[id] = normalizeNode(id, doc as { type: string }, settings)
    else {
      // Unknown properties only (typos): check the rest of the node too, so every error shows at once.
      const prefix = `nodes.${id}.`
      const extra = new Set(errs.filter((e) => e.message.startsWith('unknown property')).map((e) => e.path.slice(prefix.length)))
      const trimmed = Object.fromEntries(Object.entries(doc).filter(([k]) => !extra.has(k)))
      if (extra.size > 0 && checkSchema(schema, trimmed)) {
        nodes[id] = normalizeNode(id, trimmed as { type: string }, settings)
        docs[id] = trimmed
      }
    }
  }

  // Targets, and the built-in nodes the defaults point to.
  const op = settings.operator
  for (const n of Object.values(nodes)) {
    for (const e of nodeEdges(n, op)) {
      if (e.via === 'operator') continue
      const b = builtinNode(e.to)
      if (b) nodes[b.id] = b
      else if (!ids.has(e.to)) errors.push(src.error(e.path, unknownNode(e.to, ids)))
    }
  }
  if (header.start !== undefined && !ids.has(header.start)) errors.push(src.error(['start'], unknownNode(header.start, ids, 'start node')))
  if (op) {
    if (op.target === BUILTIN_OPERATOR) nodes[BUILTIN_OPERATOR] = builtinNode(BUILTIN_OPERATOR)!
    else if (!ids.has(op.target)) errors.push(src.error(['operator', 'target'], unknownNode(op.target, ids, 'operator target')))
    else {
      const t = docs[op.target]
      const type = isObj(t) ? t.type : undefined
      if (typeof type === 'string' && type !== 'operator' && type !== 'queue') {
        errors.push(src.error(['operator', 'target'], `operator target '${op.target}' must be an operator or queue node, not ${type}`))
      }
    }
  }

  // Digits, operator digit conflicts, languages, ranges, sections, actions.
  const digitRe = new RegExp(DIGIT_PATTERN)
  for (const n of Object.values(nodes)) {
    if (n.type === 'menu' || n.type === 'language') {
      for (const digit of Object.keys(n.options)) {
        const at: PathSeg[] = ['nodes', n.id, 'options', digit]
        if (!digitRe.test(digit)) errors.push(src.error(at, `invalid digit '${digit}' (one key: 0-9, * or #)`, { part: 'key' }))
        else if (n.operator && op && digit === op.digit) {
          errors.push(src.error(at, `digit '${digit}' is the operator digit; remove this option or set operator: false on this node`, { part: 'key' }))
        }
      }
    }
    errors.push(...checkNodeDetails(n, src, settings, opts))
  }

  // Prompts in the catalogue, in every language of the flow.
  if (isObj(root.defaults) && !badKeys.has('defaults')) {
    for (const k of ['invalidPrompts', 'timeoutPrompts']) errors.push(...checkPrompts(root.defaults[k], ['defaults', k], src, opts.catalogue, settings.languages))
  }
  for (const n of Object.values(nodes)) {
    const doc = docs[n.id]
    if (!isObj(doc)) continue
    for (const k of ['prompts', 'invalidPrompts', 'timeoutPrompts', 'waitPrompts']) errors.push(...checkPrompts(doc[k], ['nodes', n.id, k], src, opts.catalogue, settings.languages))
    for (const b of ['success', 'failure']) {
      const branch = doc[b]
      if (isObj(branch)) errors.push(...checkPrompts(branch.prompts, ['nodes', n.id, b, 'prompts'], src, opts.catalogue, settings.languages))
    }
  }
  if (nodes[BUILTIN_HANGUP]) {
    for (const e of checkPrompts(['goodbye'], [], src, opts.catalogue, settings.languages)) {
      errors.push({ ...e, message: `${e.message} (the built-in hangup after a failed menu says goodbye)` })
    }
  }

  // Variables.
  const start = header.start
  const arrive = start !== undefined ? varsOnArrival(start, nodes, op) : new Map<string, Set<string>>()
  const everywhere = allSetVars(nodes, op)
  for (const n of Object.values(nodes)) {
    for (const use of nodeVarUses(n)) {
      const local = use.local ?? []
      const at: PathSeg[] = ['nodes', n.id, ...use.at]
      if (!mayBeSet(use.name, new Set([...everywhere, ...local]))) {
        errors.push(src.error(at, `variable '${use.name}' is never set (a collect node's var, or a service result '<service node>.<key>')`))
      } else if (arrive.has(n.id) && !mayBeSet(use.name, new Set([...arrive.get(n.id)!, ...local]))) {
        errors.push(src.error(at, `variable '${use.name}' is not set on any path reaching node '${n.id}'`))
      }
    }
  }

  // Cycles with no input, unreachable nodes.
  for (const cycle of cyclesWithoutInput(nodes, op)) {
    errors.push(src.error(['nodes', cycle[0]!], `cycle with no input node: ${[...cycle, cycle[0]].join(' -> ')} (the caller would loop forever)`, { part: 'key' }))
  }
  if (start !== undefined && nodes[start] && Object.keys(docs).every((id) => nodes[id])) {
    const seen = reachable(start, nodes, op)
    for (const id of Object.keys(docs)) if (!seen.has(id)) warnings.push(src.error(['nodes', id], `node '${id}' is unreachable from start '${start}'`, { part: 'key', severity: 'warning' }))
  }

  const result: ValidatedFlow = { errors: sortErrors(errors), warnings: sortErrors(warnings) }
  if (errors.length === 0) {
    const h = header as FlowHeaderDoc
    result.flow = { id: h.flow, start: h.start, nodes, settings, ...(h.description !== undefined ? { description: h.description } : {}) }
  }
  return result
}

function unknownNode(id: string, ids: ReadonlySet<string>, what = 'node'): string {
  const near = closest(id, [...ids])
  return `unknown ${what} '${id}'${near ? ` (did you mean '${near}'?)` : ''}`
}
