/**
 * compileFlow: flow YAML text -> CompiledFlow (validated nodes, the XState machine config,
 * a content-hash version) or every error at once. Pure: the caller reads the file, the
 * catalogue, the sections and the engine settings.
 */
import { createHash } from 'node:crypto'
import { parseYaml } from '../config/yaml.js'
import { buildMachineConfig } from './machine-config.js'
import type { CompileResult, FlowSource, ValidateOptions } from './types.js'
import { validateFlow } from './validate.js'

export type CompileOptions = ValidateOptions

/** Short content hash of a flow's text. */
export function flowVersion(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12)
}

export function compileFlow(source: FlowSource, opts: CompileOptions): CompileResult {
  const parsed = parseYaml(source.text, source.file)
  if (parsed.errors.length > 0) return { ok: false, errors: parsed.errors, warnings: [] }
  const v = validateFlow(parsed.source, opts)
  if (!v.flow) return { ok: false, errors: v.errors, warnings: v.warnings }
  const f = v.flow
  const version = flowVersion(source.text)
  const config = buildMachineConfig({ id: f.id, version, start: f.start, nodes: f.nodes, settings: f.settings })
  return {
    ok: true,
    warnings: v.warnings,
    flow: {
      id: f.id,
      version,
      source,
      ...(f.description !== undefined ? { description: f.description } : {}),
      start: f.start,
      nodes: f.nodes,
      operator: f.settings.operator,
      config,
      languages: f.settings.languages,
      language: f.settings.language,
      warnings: v.warnings,
    },
  }
}
