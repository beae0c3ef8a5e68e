/**
 * The centralino command line, as a function for tests: `flow validate FILE` checks a flow
 * against the prompt catalogue, the sections and the engine settings (exit 0 valid, 1 invalid
 * with every error as file:line:col: path: message, 2 usage) and `flow paths FILE` lists
 * every key path through it.
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { formatError, sortErrors, type ConfigError } from '../config/errors.js'
import { readEngineConfig } from '../config/engine.js'
import { readSections } from '../config/sections.js'
import { readCatalogue } from '../ivr/catalogue.js'
import { compileFlow } from '../ivr/compile.js'
import { flowPaths, formatPaths } from '../ivr/paths.js'
import type { CompiledFlow } from '../ivr/types.js'
import { parseOrUsage, UsageError, type CliIo } from './usage.js'

export type { CliIo } from './usage.js'

export const USAGE = [
  'usage:',
  '  centralino flow validate FILE [--catalogue FILE] [--sections FILE] [--config FILE]',
  '  centralino flow paths FILE [--catalogue FILE] [--sections FILE] [--config FILE]',
  '',
  'The catalogue and sections default to the paths in the engine config (config/centralino.yaml,',
  'or the file named by --config or CENTRALINO_CONFIG); sections are checked only when the file exists.',
].join('\n')

interface Args {
  command: 'validate' | 'paths'
  file: string
  catalogue?: string
  sections?: string
  config?: string
}


function parseArgs(argv: readonly string[]): Args | 'help' {
  if (argv.includes('--help') || argv.includes('-h') || argv[0] === 'help') return 'help'
  const [group, command, ...rest] = argv
  if (group !== 'flow') throw new UsageError(group === undefined ? 'missing command' : `unknown command '${group}'`)
  if (command !== 'validate' && command !== 'paths') throw new UsageError(command === undefined ? 'missing flow subcommand (validate or paths)' : `unknown flow subcommand '${command}'`)
  const files: string[] = []
  const opts: Partial<Args> = {}
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!
    const eq = a.indexOf('=')
    const name = a.startsWith('--') ? (eq > 0 ? a.slice(2, eq) : a.slice(2)) : undefined
    if (name === undefined) {
      files.push(a)
      continue
    }
    if (name !== 'catalogue' && name !== 'sections' && name !== 'config') throw new UsageError(`unknown option '--${name}'`)
    const value = eq > 0 ? a.slice(eq + 1) : rest[++i]
    if (value === undefined || value === '') throw new UsageError(`option --${name} needs a file`)
    opts[name] = value
  }
  if (files.length !== 1) throw new UsageError(files.length === 0 ? 'missing FILE' : `expected one FILE, got ${files.length}`)
  return { command, file: files[0]!, ...opts }
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseOrUsage(argv, parseArgs, USAGE, io)
  if ('code' in parsed) return parsed.code
  const { args } = parsed
  const printAll = (errors: readonly ConfigError[]) => {
    for (const e of sortErrors(errors)) io.err(formatError(e))
  }

  const engine = readEngineConfig(args.config !== undefined ? { file: args.config } : {})
  if (engine.errors.length > 0) {
    printAll(engine.errors)
    return 1
  }
  const cat = readCatalogue(args.catalogue ?? engine.config.paths.prompts)
  if (cat.errors.length > 0) {
    printAll(cat.errors)
    return 1
  }
  const sectionsFile = args.sections ?? (existsSync(engine.config.paths.sections) ? engine.config.paths.sections : undefined)
  let sections
  if (sectionsFile !== undefined) {
    const r = readSections(sectionsFile)
    if (r.errors.length > 0) {
      printAll(r.errors)
      return 1
    }
    sections = r.config
  }

  let text: string
  try {
    text = await readFile(args.file, 'utf8')
  } catch (err) {
    io.err(`${args.file}: cannot read flow file (${(err as NodeJS.ErrnoException).code ?? String(err)})`)
    return 1
  }
  const base = /^([A-Za-z][A-Za-z0-9_-]*)\.ya?ml$/.exec(path.basename(args.file))?.[1]
  const r = compileFlow(
    { file: args.file, text },
    { catalogue: cat.catalogue, engine: engine.config, ...(sections ? { sections } : {}), ...(base ? { expectedId: base } : {}) },
  )
  if (!r.ok) {
    printAll([...r.errors, ...r.warnings])
    io.err(`${args.file}: ${r.errors.length} error${r.errors.length === 1 ? '' : 's'}; flow rejected`)
    return 1
  }
  printAll(r.warnings)
  if (args.command === 'paths') {
    for (const line of formatPaths(flowPaths(r.flow))) io.out(line)
    return 0
  }
  io.out(summary(args.file, r.flow, r.warnings.length, sections !== undefined))
  return 0
}

function summary(file: string, f: CompiledFlow, warnings: number, sectionsChecked: boolean): string {
  const nodes = Object.keys(f.nodes).filter((id) => !id.startsWith('$')).length
  const w = warnings > 0 ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''
  const s = sectionsChecked ? '' : ', sections not checked'
  return `${file}: valid flow '${f.id}' version ${f.version} (${nodes} nodes, languages ${f.languages.join(', ')}${w}${s})`
}
