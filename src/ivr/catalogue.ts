/**
 * The prompt catalogue (prompts/catalogue.yaml): prompt id -> { <lang>: text }. Flows are checked
 * against it (every prompt in every language of the flow); the prompt generator turns the texts
 * into audio. parseCatalogue is pure; readCatalogue reads the file.
 */
import { readFileSync } from 'node:fs'
import { Type } from '@sinclair/typebox'
import { AppError } from '../domain/errors.js'
import { formatErrors, type ConfigError } from '../config/errors.js'
import { schemaErrors } from '../config/schema-check.js'
import { parseYaml } from '../config/yaml.js'
import type { Catalogue } from './types.js'

export const CatalogueSchema = Type.Object(
  {
    prompts: Type.Record(
      Type.String({ pattern: '^[A-Za-z0-9_-]+$' }),
      Type.Record(Type.String({ pattern: '^[a-z]{2}(-[A-Za-z]{2})?$' }), Type.String({ minLength: 1 }), { minProperties: 1 }),
    ),
  },
  { additionalProperties: false },
)

export interface CatalogueResult {
  catalogue: Catalogue
  errors: ConfigError[]
}

export function parseCatalogue(text: string, file: string): CatalogueResult {
  const parsed = parseYaml(text, file)
  if (parsed.errors.length > 0) return { catalogue: { prompts: {} }, errors: parsed.errors }
  const errors = schemaErrors(CatalogueSchema, parsed.source.value, parsed.source)
  if (errors.length > 0) return { catalogue: { prompts: {} }, errors }
  return { catalogue: parsed.source.value as Catalogue, errors: [] }
}

export function readCatalogue(file: string): CatalogueResult {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    return { catalogue: { prompts: {} }, errors: [{ file, line: 0, column: 0, path: '', message: `cannot read prompt catalogue (${(err as NodeJS.ErrnoException).code ?? 'error'})` }] }
  }
  return parseCatalogue(text, file)
}

/** readCatalogue that throws AppError CONFIG_INVALID (details: { errors }). */
export function loadCatalogue(file: string): Catalogue {
  const r = readCatalogue(file)
  if (r.errors.length > 0) throw new AppError('CONFIG_INVALID', `invalid prompt catalogue:\n${formatErrors(r.errors)}`, { errors: r.errors })
  return r.catalogue
}

/** The text of a prompt in lang, if the catalogue has it. */
export function promptText(c: Catalogue, id: string, lang: string): string | undefined {
  return c.prompts[id]?.[lang]
}
