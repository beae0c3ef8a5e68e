/**
 * Sections and agents changed while the engine runs (supervisors, through the API): every
 * change is made on config/sections.yaml itself — the YAML document is edited in place, so its
 * comments and layout stay — checked with the very checks the file gets at boot
 * (parseSections), written atomically (a temporary file in the same directory, flushed, then
 * renamed over the old one), and only then applied to the running queue service
 * (AcdService.reconfigure): new routing decisions use it at once, and a restart reads the same
 * file. An invalid change is refused whole and nothing is written or applied.
 *
 * The file is read again before every change: an edit made by hand since the engine loaded it
 * is kept, and checked and applied together with the API's change. Changes are made one at a
 * time. Sections are edited, not added or removed (callers wait in them and flows name them:
 * that takes a restart); the switchboard (operator) and ids do not change.
 */
import { open, readFile, rename, rm } from 'node:fs/promises'
import path from 'node:path'
import { isMap, isScalar, isSeq, parseDocument, type Document, type Node as YamlNode } from 'yaml'
import type { AgentDef } from '../domain/acd.js'
import { AppError } from '../domain/errors.js'
import { formatErrors } from '../config/errors.js'
import { parseSections, type AgentConfig, type SectionConfig, type SectionsConfig } from '../config/sections.js'

/** What a section edit may change: every setting of the file but its id and `operator`. */
export const EDITABLE_SECTION_KEYS = [
  'name',
  'ringTimeoutSec',
  'mohClass',
  'wrapUpSec',
  'noAnswerPauseSec',
  'announce',
  'skills',
  'languages',
  'relax',
  'overflow',
  'continuity',
  'expectedHandleSec',
  'callback',
  'serviceLevel',
] as const
export type EditableSectionKey = (typeof EDITABLE_SECTION_KEYS)[number]

/** What an agent edit may change: every field but its id. */
export const EDITABLE_AGENT_KEYS = ['name', 'endpoint', 'sections', 'skills'] as const
export type EditableAgentKey = (typeof EDITABLE_AGENT_KEYS)[number]

/** A patch: each key given replaces that setting whole; null removes it (back to its default). */
export type Patch<K extends string> = Partial<Record<K, unknown>>

export interface ConfigControlDeps {
  /** Name of the file in error messages. */
  file: string
  /** The file's current text. */
  read: () => Promise<string>
  /** Replaces the file's text (atomically: atomicWrite). */
  write: (text: string) => Promise<void>
  /** Makes the running engine use the new configuration (AcdService.reconfigure). */
  apply: (config: SectionsConfig) => Promise<void>
  /** Tells the other engines (config-sync.ts) the new text, once written and applied here. */
  publish?: (text: string) => Promise<void>
}

export interface Change<T> {
  before: T | undefined
  after: T | undefined
  config: SectionsConfig
}

export class ConfigControl {
  private current: SectionsConfig
  private queue: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly d: ConfigControlDeps,
    initial: SectionsConfig,
  ) {
    this.current = initial
  }

  /** Builds a control over a file on disk, read now (its errors are thrown as CONFIG_INVALID). */
  static async forFile(file: string, apply: ConfigControlDeps['apply'], publish?: ConfigControlDeps['publish']): Promise<ConfigControl> {
    const d: ConfigControlDeps = { file, read: () => readFile(file, 'utf8'), write: (text) => atomicWrite(file, text), apply, ...(publish ? { publish } : {}) }
    return new ConfigControl(d, checked(await d.read(), file))
  }

  /** The configuration in use (defaults filled in). */
  config(): SectionsConfig {
    return this.current
  }

  section(id: string): SectionConfig | undefined {
    return this.current.sections.find((s) => s.id === id)
  }

  agent(id: string): AgentConfig | undefined {
    return this.current.agents.find((a) => a.id === id)
  }

  updateSection(id: string, patch: Patch<EditableSectionKey>): Promise<Change<SectionConfig>> {
    return this.change((doc) => {
      const node = itemById(doc, 'sections', id)
      if (!node) throw new AppError('NOT_FOUND', `no section ${id}`)
      applyPatch(doc, node, patch, EDITABLE_SECTION_KEYS)
      return { before: this.section(id), after: (c) => c.sections.find((s) => s.id === id) }
    })
  }

  updateAgent(id: string, patch: Patch<EditableAgentKey>): Promise<Change<AgentConfig>> {
    return this.change((doc) => {
      const node = itemById(doc, 'agents', id)
      if (!node) throw new AppError('NOT_FOUND', `no agent ${id} in the configuration`)
      applyPatch(doc, node, patch, EDITABLE_AGENT_KEYS)
      return { before: this.agent(id), after: (c) => c.agents.find((a) => a.id === id) }
    })
  }

  addAgent(a: AgentDef): Promise<Change<AgentConfig>> {
    return this.change((doc) => {
      if (itemById(doc, 'agents', a.id)) throw new AppError('CONFLICT', `agent ${a.id} already exists`)
      let list = doc.get('agents', true) as YamlNode | undefined
      if (!isSeq(list)) {
        list = doc.createNode([]) as YamlNode
        doc.set('agents', list)
      }
      const fields: Record<string, unknown> = { id: a.id, name: a.name, endpoint: a.endpoint }
      if (a.sections.length > 0) fields.sections = a.sections
      if (a.skills && Object.keys(a.skills).length > 0) fields.skills = a.skills
      ;(list as { items: unknown[] }).items.push(styled(doc, fields, 0))
      return { before: undefined, after: (c) => c.agents.find((x) => x.id === a.id) }
    })
  }

  /** Removes an agent from the file; `guard` runs first, inside the change (e.g. refuses a logged-in agent). */
  removeAgent(id: string, guard?: () => Promise<void>): Promise<Change<AgentConfig>> {
    return this.change(async (doc) => {
      const list = doc.get('agents', true)
      const i = isSeq(list) ? list.items.findIndex((n) => isMap(n) && n.get('id') === id) : -1
      if (i < 0 || !isSeq(list)) throw new AppError('NOT_FOUND', `no agent ${id} in the configuration`)
      await guard?.()
      list.items.splice(i, 1)
      return { before: this.agent(id), after: () => undefined }
    })
  }

  /**
   * Takes a whole text another engine changed (config-sync.ts): checked like a change of this
   * engine's own (same checks, same sections), written and applied; 'unchanged' when the file
   * already says it. Not published again. Runs in turn with this engine's changes.
   */
  adopt(text: string): Promise<'applied' | 'unchanged'> {
    return this.serial(async () => {
      if ((await this.d.read()) === text) return 'unchanged'
      const config = this.checkedSameSections(text)
      await this.d.write(text)
      this.current = config
      await this.d.apply(config)
      return 'applied'
    })
  }

  private serial<T>(run: () => Promise<T>): Promise<T> {
    const p = this.queue.then(run, run)
    this.queue = p.catch(() => undefined)
    return p
  }

  private checkedSameSections(text: string): SectionsConfig {
    const config = checked(text, this.d.file)
    const was = this.current.sections.map((s) => s.id).join(',')
    if (config.sections.map((s) => s.id).join(',') !== was) {
      throw new AppError('CONFLICT', `the sections in ${this.d.file} are no longer those the engine runs (${was}): adding or removing a section takes a restart`)
    }
    return config
  }

  /** One change at a time: read the file, edit, check, write, apply, tell the other engines. */
  private change<T>(edit: (doc: Document) => { before: T | undefined; after: (c: SectionsConfig) => T | undefined } | Promise<{ before: T | undefined; after: (c: SectionsConfig) => T | undefined }>): Promise<Change<T>> {
    const run = async (): Promise<Change<T>> => {
      const text = await this.d.read()
      const doc = parseDocument(text)
      if (doc.errors.length > 0) checked(text, this.d.file) // throws with positions
      const plan = await edit(doc)
      const next = doc.toString()
      const config = this.checkedSameSections(next)
      await this.d.write(next)
      this.current = config
      await this.d.apply(config)
      await this.d.publish?.(next)
      return { before: plan.before, after: plan.after(config), config }
    }
    return this.serial(run)
  }
}

/** parseSections that throws CONFIG_INVALID with every error (details.errors: file, line, column, path, message). */
function checked(text: string, file: string): SectionsConfig {
  const r = parseSections(text, file)
  if (r.errors.length > 0) throw new AppError('CONFIG_INVALID', `invalid sections configuration:\n${formatErrors(r.errors)}`, { errors: r.errors })
  return r.config
}

function itemById(doc: Document, list: 'sections' | 'agents', id: string): YamlNode | undefined {
  const seq = doc.get(list, true)
  if (!isSeq(seq)) return undefined
  return seq.items.find((n) => isMap(n) && n.get('id') === id) as YamlNode | undefined
}

function applyPatch(doc: Document, node: YamlNode, patch: Patch<string>, keys: readonly string[]): void {
  if (!isMap(node)) throw new AppError('CONFIG_INVALID', 'not a mapping in the configuration file')
  for (const k of keys) {
    if (!(k in patch)) continue
    const v = patch[k]
    if (v === null || v === undefined) node.delete(k)
    else node.set(k, styled(doc, v, 1))
  }
}

/**
 * A YAML node for a value written by the API, in the file's style: mappings and lists of plain
 * values on one line ({ pensions: 3 }, [operators, pensions]), lists of mappings one item a line.
 */
function styled(doc: Document, value: unknown, depth: number): YamlNode {
  const node = doc.createNode(value) as YamlNode
  const visit = (n: unknown, d: number) => {
    if (isMap(n)) {
      const flat = n.items.every((p) => isScalar(p.value))
      if (flat && d > 0) n.flow = true
      for (const p of n.items) visit(p.value, d + 1)
    } else if (isSeq(n)) {
      const flat = n.items.every((x) => isScalar(x))
      if (flat) n.flow = true
      for (const x of n.items) visit(x, d + 1)
    }
  }
  visit(node, depth)
  return node
}

/** Writes a file atomically: a temporary file beside it, flushed to disk, renamed over it. */
export async function atomicWrite(file: string, text: string): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`)
  const h = await open(tmp, 'w', 0o644)
  try {
    await h.writeFile(text, 'utf8')
    await h.sync()
  } finally {
    await h.close()
  }
  try {
    await rename(tmp, file)
  } catch (err) {
    await rm(tmp, { force: true })
    throw err
  }
}

