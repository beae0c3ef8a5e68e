/**
 * Privacy: phone numbers and personal codes never reach the logs in clear.
 * Pure functions, used by the logger on every record and usable anywhere else.
 */

/**
 * Runs of 6 or more digits (optionally with +, spaces or dashes inside) look like phone numbers.
 * Asterisk unique ids (epoch seconds, a dot, a sequence: 1795426752.17) are matched first by
 * the alternative and left alone, so channel ids stay readable in the logs; digits glued to
 * letters (hex versions, UUIDs) are not phone numbers.
 */
const PHONE = /(?<![\d.])(\d{10}\.\d+)(?![\d.])|(?<![0-9A-Za-z])\+?\d(?:[\s-]?\d){5,}(?![0-9A-Za-z])/g
/** Italian codice fiscale (tax code), also with omocodia letters. */
const FISCAL_CODE = /\b[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-EHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]\b/gi

/** Keys whose values are personal by definition and are hidden whole. */
const SECRET_KEYS = new Set(['digits', 'collected', 'pin', 'fiscalCode', 'personalCode', 'password', 'secret', 'authorization'])

export function maskPhone(s: string): string {
  const digits = s.replace(/\D/g, '')
  const keep = digits.slice(-3)
  return `${s.startsWith('+') ? '+' : ''}${'*'.repeat(Math.max(0, digits.length - 3))}${keep}`
}

/** Masks phone numbers (all but the last 3 digits) and personal codes inside a string. */
export function redactText(s: string): string {
  return s
    .replace(FISCAL_CODE, (m) => `${m.slice(0, 3)}*************`)
    .replace(PHONE, (m, uniqueId: string | undefined) => (uniqueId ? m : maskPhone(m)))
}

/** Deep copy of a log record with every string redacted and secret keys hidden. */
export function redactValue(v: unknown, depth = 0): unknown {
  if (typeof v === 'string') return redactText(v)
  if (depth > 8 || v === null || typeof v !== 'object') return v
  if (v instanceof Error) return { type: v.name, message: redactText(v.message), code: (v as { code?: unknown }).code }
  if (Array.isArray(v)) return v.map((x) => redactValue(x, depth + 1))
  const out: Record<string, unknown> = {}
  for (const [k, x] of Object.entries(v)) {
    out[k] = SECRET_KEYS.has(k) && x !== undefined && x !== null ? '[redacted]' : redactValue(x, depth + 1)
  }
  return out
}
