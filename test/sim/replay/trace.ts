/** Loading a reference trace (one JSON object per line) and locating ../shared. */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export interface TraceLine {
  line: number
  t: number
  kind: string
  [k: string]: unknown
}

const here = path.dirname(fileURLToPath(import.meta.url))
export const repoRoot = path.resolve(here, '..', '..', '..')

/** The shared reference directory, or undefined when it is not there. */
export function sharedDir(): string | undefined {
  const dir = process.env.CENTRALINO_SHARED ?? path.resolve(repoRoot, '..', 'shared')
  return existsSync(path.join(dir, 'asterisk')) ? dir : undefined
}

export function loadTrace(file: string): TraceLine[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l, i) => ({ l, i }))
    .filter(({ l }) => l.trim() !== '')
    .map(({ l, i }) => ({ ...(JSON.parse(l) as Omit<TraceLine, 'line'>), line: i + 1 }) as TraceLine)
}
