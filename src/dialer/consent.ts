/**
 * Consent (pure): the check made right before each dial, and the reading of a consent cell of
 * a contact list. The same rules are applied at import (rows refused there never become
 * contacts); this check covers what changed since: a number added to the opt-out register
 * after the import, a contact excluded later.
 */
import type { Contact } from '../domain/campaign.js'

export type ConsentReason = 'consent refused' | 'opted out' | 'excluded'

export type ConsentVerdict = { ok: true } | { ok: false; reason: ConsentReason }

/** The opt-out register as the check sees it: a set of E.164 numbers, or a membership test. */
export type OptOutLookup = ReadonlySet<string> | ((number: string) => boolean)

/**
 * May this contact be dialed now, as far as consent goes? Consent false (stated in the list)
 * → no; number in the opt-out register → no; a contact excluded by the campaign manager → no.
 * Consent not stated (undefined) is allowed unless opted out.
 */
export function mayDial(contact: Pick<Contact, 'number' | 'consent' | 'status'>, optedOut: OptOutLookup): ConsentVerdict {
  if (contact.consent === false) return { ok: false, reason: 'consent refused' }
  const out = typeof optedOut === 'function' ? optedOut(contact.number) : optedOut.has(contact.number)
  if (out) return { ok: false, reason: 'opted out' }
  if (contact.status === 'excluded') return { ok: false, reason: 'excluded' }
  return { ok: true }
}

const YES = new Set(['yes', 'y', 'si', 'sì', 's', '1', 'true', 'vero', 'ok'])
const NO = new Set(['no', 'n', '0', 'false', 'falso'])

/**
 * A consent cell: yes/no, si/sì/no, 1/0, true/false (any case, spaces trimmed). Empty means
 * not stated (undefined); anything else is 'invalid' (the importer rejects the row rather than
 * guess).
 */
export function parseConsent(cell: string | undefined): boolean | undefined | 'invalid' {
  const v = (cell ?? '').trim().toLowerCase()
  if (v === '') return undefined
  if (YES.has(v)) return true
  if (NO.has(v)) return false
  return 'invalid'
}
