/**
 * Configuration problems with their positions: the one shape every loader (engine settings,
 * sections, flows, prompt catalogue) reports, sorted by position and printed as
 * `file:line:col: path: message` by the CLI and the logs.
 */

export interface ConfigError {
  file: string
  /** 1-based; 0 when the problem has no position in a file (e.g. an environment variable). */
  line: number
  column: number
  /** Dotted path of the offending value, e.g. `nodes.main.options.1` ('' for the whole document). */
  path: string
  message: string
  /** 'error' when absent. Warnings are reported but do not reject a file. */
  severity?: 'error' | 'warning'
}

export type PathSeg = string | number

export function joinPath(path: readonly PathSeg[]): string {
  return path.map(String).join('.')
}

export function isWarning(e: ConfigError): boolean {
  return e.severity === 'warning'
}

/** Sorts by file, then line, then column, then path (stable for equal positions). */
export function sortErrors<T extends ConfigError>(errors: readonly T[]): T[] {
  return [...errors].sort(
    (a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
  )
}

export function formatError(e: ConfigError): string {
  const where = e.line > 0 ? `${e.file}:${e.line}:${e.column}` : e.file
  const kind = isWarning(e) ? 'warning: ' : ''
  const path = e.path === '' ? '' : `${e.path}: `
  return `${where}: ${kind}${path}${e.message}`
}

/** One line per problem, sorted by position. */
export function formatErrors(errors: readonly ConfigError[]): string {
  return sortErrors(errors).map(formatError).join('\n')
}
