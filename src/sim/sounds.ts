/**
 * How long media lasts, in milliseconds. The default sound table has the stock sounds the
 * traces and Asterisk's demos use, with realistic lengths; engine prompts (sound:centralino/…)
 * last 2.5 s unless `soundDuration` says otherwise; any other sound is missing (the playback
 * ends "failed", as Asterisk does for a file that does not exist). Spoken numbers, digits and
 * characters take ~600 ms per word.
 */
const TABLE: Record<string, number> = {
  'hello-world': 1400,
  'tt-monkeys': 16000,
  'tt-weasels': 4300,
  'tt-somethingwrong': 2600,
  beep: 250,
  'demo-congrats': 21000,
  'demo-thanks': 3500,
  'vm-goodbye': 900,
  goodbye: 700,
  'auth-thankyou': 900,
  'queue-thankyou': 1900,
  'queue-youarenext': 1300,
  'queue-thereare': 900,
  'queue-callswaiting': 1500,
  'queue-holdtime': 2200,
  'queue-minutes': 700,
  'queue-seconds': 700,
  'queue-periodic-announce': 3200,
  'pls-hold-while-try': 2500,
  'conf-onlyperson': 2300,
  'agent-pass': 1100,
  'please-try-again': 1300,
  'invalid': 1200,
}

export const WORD_MS = 600
export const PROMPT_MS = 2500

export function defaultSoundDuration(name: string, _lang: string): number | undefined {
  if (Object.prototype.hasOwnProperty.call(TABLE, name)) return TABLE[name]
  if (/^digits\/[0-9a-z-]+$/i.test(name) || /^letters\/./.test(name)) return WORD_MS
  const sil = /^silence\/(\d+)$/.exec(name)
  if (sil) return Number(sil[1]) * 1000
  if (name.startsWith('centralino/')) return PROMPT_MS
  return undefined
}

/** Words Asterisk says for a number (roughly: "ventitré" is one word, "cento tre" two). */
export function numberWords(n: number): number {
  let v = Math.abs(Math.trunc(n))
  if (v === 0) return 1
  let words = n < 0 ? 1 : 0
  const groups: Array<[number, number]> = [
    [1_000_000_000, 2],
    [1_000_000, 2],
    [1000, 1],
    [100, 1],
  ]
  for (const [unit, extra] of groups) {
    if (v >= unit) {
      const q = Math.floor(v / unit)
      words += (q > 1 ? numberWords(q) : 0) + extra
      v %= unit
    }
  }
  if (v > 0) words += v <= 20 || v % 10 === 0 ? 1 : 2
  return words
}

export type MediaLength = { kind: 'ms'; ms: number } | { kind: 'missing' } | { kind: 'forever' } | { kind: 'unsupported' }

/** Length of one ARI media URI. */
export function mediaLength(uri: string, lang: string, sound: (name: string, lang: string) => number | undefined): MediaLength {
  const colon = uri.indexOf(':')
  const scheme = colon > 0 ? uri.slice(0, colon) : ''
  const rest = uri.slice(colon + 1)
  switch (scheme) {
    case 'sound': {
      const ms = sound(rest, lang)
      return ms === undefined ? { kind: 'missing' } : { kind: 'ms', ms }
    }
    case 'recording':
      return { kind: 'missing' }
    case 'number': {
      const n = Number.parseInt(rest, 10)
      return Number.isNaN(n) ? { kind: 'missing' } : { kind: 'ms', ms: numberWords(n) * WORD_MS }
    }
    case 'digits':
    case 'characters':
      return { kind: 'ms', ms: Math.max(1, rest.length) * WORD_MS }
    case 'tone':
      return { kind: 'forever' }
    default:
      return { kind: 'unsupported' }
  }
}

/** Playbacks that DELETE /playbacks can stop (sound, recording, tone). */
export function controllable(uri: string): boolean {
  return uri.startsWith('sound:') || uri.startsWith('recording:') || uri.startsWith('tone:')
}
