/**
 * Generates the catalogue's prompts as 8 kHz mono 16-bit WAV files for Asterisk, with
 * espeak-ng (Debian package espeak-ng): prompts/audio/<lang>/centralino/<id>.wav. Only missing
 * prompts, or prompts whose text changed since they were made (manifest.json keeps a hash of
 * each text), are generated; the rest are left alone.
 */
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import type { Catalogue } from '../ivr/types.js'
import { promptAudioPath } from './durations.js'
import { decodeWav, encodeWav, resample } from './wav.js'

const run = promisify(execFile)

/** espeak-ng voice per catalogue language. */
export const VOICES: Record<string, string> = { it: 'it', en: 'en-gb', de: 'de', fr: 'fr', es: 'es' }

export interface GenerateResult {
  generated: string[]
  unchanged: number
  failed: Array<{ prompt: string; error: string }>
}

const hash = (voice: string, text: string) => createHash('sha256').update(`${voice}\u0000${text}`).digest('hex').slice(0, 16)

export async function espeakAvailable(bin = 'espeak-ng'): Promise<boolean> {
  try {
    await run(bin, ['--version'])
    return true
  } catch {
    return false
  }
}

export async function generatePrompts(catalogue: Catalogue, audioDir: string, opts: { bin?: string; only?: string[] } = {}): Promise<GenerateResult> {
  const bin = opts.bin ?? 'espeak-ng'
  const manifestFile = path.join(audioDir, 'manifest.json')
  const manifest: Record<string, string> = existsSync(manifestFile) ? JSON.parse(await readFile(manifestFile, 'utf8')) : {}
  const result: GenerateResult = { generated: [], unchanged: 0, failed: [] }
  const tmp = path.join(tmpdir(), `centralino-prompt-${process.pid}.wav`)
  for (const [id, texts] of Object.entries(catalogue.prompts)) {
    if (opts.only && !opts.only.includes(id)) continue
    for (const [lang, text] of Object.entries(texts)) {
      const key = `${lang}/${id}`
      const voice = VOICES[lang] ?? lang
      const out = promptAudioPath(audioDir, lang, id)
      const h = hash(voice, text)
      if (manifest[key] === h && existsSync(out)) {
        result.unchanged++
        continue
      }
      try {
        await run(bin, ['-v', voice, '-s', '150', '-w', tmp, text])
        const { samples, sampleRate } = decodeWav(await readFile(tmp))
        await mkdir(path.dirname(out), { recursive: true })
        await writeFile(out, encodeWav(resample(samples, sampleRate, 8000), 8000))
        manifest[key] = h
        result.generated.push(key)
      } catch (err) {
        result.failed.push({ prompt: key, error: err instanceof Error ? err.message : String(err) })
      }
    }
  }
  await rm(tmp, { force: true })
  await mkdir(audioDir, { recursive: true })
  await writeFile(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`)
  return result
}
