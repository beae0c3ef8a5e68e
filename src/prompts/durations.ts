/**
 * How long a catalogue prompt lasts, for the simulator's playbacks: the generated WAV's real
 * length when it exists (prompts/audio/<lang>/centralino/<id>.wav), otherwise an estimate
 * from the text at a speaking rate close to espeak-ng's.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { PROMPT_PREFIX } from '../domain/media.js'
import type { Catalogue } from '../ivr/types.js'
import { readWavInfo } from './wav.js'

const MS_PER_CHAR = 70
const LEAD_MS = 250

export function estimateSpeechMs(text: string): number {
  return LEAD_MS + text.length * MS_PER_CHAR
}

export function promptAudioPath(audioDir: string, lang: string, id: string): string {
  return path.join(audioDir, lang, PROMPT_PREFIX, `${id}.wav`)
}

/** A soundDuration function for the simulator: catalogue prompts only (undefined for others). */
export function catalogueDurations(catalogue: Catalogue, audioDir?: string): (name: string, lang: string) => number | undefined {
  const cache = new Map<string, number | undefined>()
  return (name, lang) => {
    if (!name.startsWith(PROMPT_PREFIX)) return undefined
    const key = `${lang}/${name}`
    if (cache.has(key)) return cache.get(key)
    const id = name.slice(PROMPT_PREFIX.length)
    const texts = catalogue.prompts[id]
    let ms: number | undefined
    if (texts) {
      const file = audioDir ? promptAudioPath(audioDir, lang, id) : undefined
      if (file && existsSync(file)) {
        try {
          ms = readWavInfo(readFileSync(file)).durationMs
        } catch {
          ms = undefined
        }
      }
      const text = texts[lang] ?? Object.values(texts)[0]
      ms ??= text === undefined ? undefined : estimateSpeechMs(text)
    }
    cache.set(key, ms)
    return ms
  }
}
