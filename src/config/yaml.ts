/**
 * YAML with positions: parses a document (unique keys enforced), turns syntax problems into
 * ConfigErrors, and locates any path of the parsed value back to its line and column so that
 * schema and semantic errors can point at the exact place in the file.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml'
import { joinPath, sortErrors, type ConfigError, type PathSeg } from './errors.js'

export interface Position {
  line: number
  column: number
}

export interface YamlSource {
  readonly file: string
  readonly text: string
  /** The document as plain data (objects, arrays, strings, numbers, booleans, null). */
  readonly value: unknown
  /**
   * Position of the value at path ('key': of its key in the parent map). A missing path gives the
   * position of its nearest existing ancestor.
   */
  locate(path: readonly PathSeg[], part?: 'key' | 'value'): Position
  /** A ConfigError at path. */
  error(path: readonly PathSeg[], message: string, opts?: { part?: 'key' | 'value'; severity?: 'warning' }): ConfigError
}

export interface ParsedYaml {
  source: YamlSource
  /** Syntax errors (duplicate keys included). When not empty, source.value should not be trusted. */
  errors: ConfigError[]
}

export function parseYaml(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, keepSourceTokens: false })
  const at = (offset: number): Position => {
    const p = lineCounter.linePos(Math.max(0, Math.min(offset, text.length)))
    return { line: p.line, column: p.col }
  }
  const errors: ConfigError[] = doc.errors.map((e) => {
    const p = at(e.pos[0])
    return { file, line: p.line, column: p.column, path: '', message: yamlMessage(e.message) }
  })
  let value: unknown = null
  if (errors.length === 0) {
    try {
      value = doc.toJS({ maxAliasCount: 100 })
    } catch (err) {
      errors.push({ file, line: 1, column: 1, path: '', message: err instanceof Error ? err.message : String(err) })
    }
  }
  const locate = (path: readonly PathSeg[], part: 'key' | 'value' = 'value'): Position => at(locateOffset(doc, path, part))
  const source: YamlSource = {
    file,
    text,
    value,
    locate,
    error(path, message, opts = {}) {
      const p = locate(path, opts.part)
      const e: ConfigError = { file, line: p.line, column: p.column, path: joinPath(path), message }
      if (opts.severity) e.severity = opts.severity
      return e
    },
  }
  return { source, errors: sortErrors(errors) }
}

function yamlMessage(m: string): string {
  // The yaml package appends " at line N, column M" and a code excerpt; we report positions ourselves.
  return m.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')
}

function start(node: unknown): number | undefined {
  const r = (node as { range?: [number, number, number] } | null)?.range
  return r ? r[0] : undefined
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value)
  if (typeof key === 'string' || typeof key === 'number') return String(key)
  return undefined
}

function locateOffset(doc: Document, path: readonly PathSeg[], part: 'key' | 'value'): number {
  let node: unknown = doc.contents
  let offset = start(node) ?? 0
  for (let i = 0; i < path.length; i++) {
    if (isAlias(node)) node = node.resolve(doc)
    const seg = path[i]!
    const last = i === path.length - 1
    if (isMap(node)) {
      const pair = node.items.find((p) => keyText(p.key) === String(seg))
      if (!pair) return offset
      const keyAt = start(pair.key) ?? offset
      if (last && part === 'key') return keyAt
      node = pair.value
      offset = start(node) ?? keyAt
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)] as YamlNode | undefined
      if (item === undefined) return offset
      node = item
      offset = start(item) ?? offset
    } else {
      return offset
    }
  }
  return offset
}
