/**
 * A FlowRegistry for the HTTP tests: a temporary copy of config/flows (the national flow),
 * checked against the example catalogue, sections and back-office actions, as the engine does.
 * Not watched: the routes load what they write at once.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Test } from 'tap'
import { parseEngineConfig } from '../../src/config/engine.js'
import { readSections } from '../../src/config/sections.js'
import { SimClock, type Clock } from '../../src/domain/clock.js'
import { readCatalogue } from '../../src/ivr/catalogue.js'
import { FlowRegistry } from '../../src/ivr/registry.js'

const ROOT = path.resolve(import.meta.dirname, '../..')

export interface TestFlows {
  registry: FlowRegistry
  /** The flows directory (config/flows copied). */
  dir: string
}

export async function testFlows(t: Test, clock: Clock = new SimClock()): Promise<TestFlows> {
  const dir = mkdtempSync(path.join(tmpdir(), 'centralino-http-flows-'))
  cpSync(path.join(ROOT, 'config/flows'), dir, { recursive: true })
  const catalogue = readCatalogue(path.join(ROOT, 'prompts/catalogue.yaml')).catalogue!
  const sections = readSections(path.join(ROOT, 'config/sections.yaml')).config!
  const engine = parseEngineConfig(undefined, 'defaults', {}).config!
  const registry = new FlowRegistry({ dir, catalogue, sections, engine, clock })
  const r = await registry.load()
  if (r.rejected.length > 0) throw new Error(`example flows rejected: ${JSON.stringify(r.rejected[0]!.errors[0])}`)
  t.teardown(async () => {
    await registry.close()
    rmSync(dir, { recursive: true, force: true })
  })
  return { registry, dir }
}
