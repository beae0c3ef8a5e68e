/**
 * Phone numbers of a contact list to E.164 (pure). Italian numbers in any of the ways people
 * write them ('333 123 4567', '+39 333-1234567', '0039 3331234567', '06 1234567',
 * '393331234567') become '+39…'; landlines keep their leading 0 ('+39061234567').
 *
 * The Italian numbering plan as a campaign sees it:
 * - mobiles: 3xx, 9 or 10 digits in all (10 for every current operator, 9 for a few old TIM ones);
 * - landlines (geographic): 0x, 6 to 11 digits in all, the 0 included;
 * - everything else is refused with its reason: premium rate (89x, 144, 166), toll-free and
 *   shared cost (80x, 84x), network and operator services (4xx), short and emergency numbers
 *   (1xx), internet and corporate ranges (5x, 7x), so a campaign never pays for, nor rings,
 *   a service instead of a person.
 *
 * Foreign numbers: refused by default (a national public-service campaign calls Italian
 * numbers and the trunk may not reach abroad); with `foreign: 'accept'` a number written
 * with its country code ('+44 20 7946 0958', '0044…') is accepted as E.164 when it has 8 to 15
 * digits (the country code included) and a country code that does not start with 0.
 * San Marino (+378) and the Vatican (+39 06 698…) follow the same rules: +378 is foreign.
 *
 * A 12-digit '393331234567' (country code without + or 00) is read as +39 only when it is
 * not itself a valid national number: '3931234567' stays the mobile it is (393 is a mobile
 * prefix).
 */

export interface PhoneOptions {
  /** 'reject' (default): only Italian numbers; 'accept': valid +CC numbers of other countries too. */
  foreign?: 'reject' | 'accept'
}

export type PhoneKind = 'mobile' | 'landline' | 'foreign'

export type PhoneResult = { ok: true; e164: string; kind: PhoneKind } | { ok: false; reason: string }

/** Separators people put in numbers: spaces (any Unicode space), dashes, dots, slashes, parentheses. */
const SEPARATORS = /[\s\-./()\u2010-\u2015]/g

const fail = (reason: string): PhoneResult => ({ ok: false, reason })

/** An Italian national number (digits only, as dialled inside Italy) to E.164, or why not. */
function italian(national: string): PhoneResult {
  const n = national.length
  const first = national[0]
  if (first === '3') {
    if (n < 9) return fail(`too short for a mobile number (${n} digits, 9-10 expected)`)
    if (n > 10) return fail(`too long for a mobile number (${n} digits, 9-10 expected)`)
    return { ok: true, e164: `+39${national}`, kind: 'mobile' }
  }
  if (first === '0') {
    if (n < 6) return fail(`too short for a landline number (${n} digits, 6-11 expected)`)
    if (n > 11) return fail(`too long for a landline number (${n} digits, 6-11 expected)`)
    return { ok: true, e164: `+39${national}`, kind: 'landline' }
  }
  if (national.startsWith('89') || national.startsWith('144') || national.startsWith('166')) return fail(`premium-rate number (${national.slice(0, 3)}…)`)
  if (national.startsWith('80') || national.startsWith('84')) return fail(`toll-free or shared-cost number (${national.slice(0, 3)}…)`)
  if (first === '4') return fail(`network service number (${national.slice(0, 3)}…)`)
  if (first === '1') return fail(`short or emergency number (${national.slice(0, 3)}…)`)
  return fail(`not an Italian mobile (3…) or landline (0…) number`)
}

/**
 * Normalises one number. Letters, and any character other than digits, a leading '+' and
 * the separators above, are refused (an extension 'x12' or a note 'ore pasti' is not part of
 * a number that can be dialled).
 */
export function normalisePhone(raw: string, opts: PhoneOptions = {}): PhoneResult {
  const s = raw.trim()
  if (s === '') return fail('missing number')
  const compact = s.replace(SEPARATORS, '')
  if (/\p{L}/u.test(compact)) return fail('contains letters')
  if (!/^\+?[0-9]+$/.test(compact)) return fail('unexpected characters')
  let international: string | undefined
  if (compact.startsWith('+')) international = compact.slice(1)
  else if (compact.startsWith('00')) international = compact.slice(2)
  if (international === undefined) {
    const r = italian(compact)
    // '393331234567': the country code written without + or 00.
    if (!r.ok && compact.startsWith('39') && compact.length >= 11) {
      const r2 = italian(compact.slice(2))
      if (r2.ok) return r2
    }
    return r
  }
  if (international === '') return fail('too short')
  if (international.startsWith('39')) return italian(international.slice(2))
  if (international.startsWith('0')) return fail('invalid country code')
  if (opts.foreign !== 'accept') return fail(`foreign number (+${international.slice(0, 3)}…) not accepted`)
  if (international.length < 8) return fail(`too short for an international number (${international.length} digits, 8-15 expected)`)
  if (international.length > 15) return fail(`too long for an international number (${international.length} digits, at most 15)`)
  return { ok: true, e164: `+${international}`, kind: 'foreign' }
}

/** True for a string already in E.164 form ('+' and 8-15 digits). */
export function isE164(s: string): boolean {
  return /^\+[1-9][0-9]{7,14}$/.test(s)
}
