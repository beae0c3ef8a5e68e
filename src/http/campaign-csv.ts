/**
 * The results export of a campaign: one CSV row per contact, in insertion order, read from
 * the store a page at a time (store.scan) and written as the pages come, so a 500,000-contact
 * campaign never sits in memory. Columns: number (E.164), name, consent (yes/no/empty),
 * status, attempts, outcomes (in order, joined by '|'), last_outcome, reached_at (ISO 8601,
 * UTC), lines (the CSV lines of the upload merged into the contact, joined by '|'), then the
 * original columns of the list (the `fields` of the contacts).
 *
 * The original columns are not known before the contacts are read (two uploads may have
 * different headers), so the export scans twice: once for the column names (first seen
 * first), once for the rows. A column name that clashes with one of the fixed columns is
 * written as 'field_<name>'. Contacts added between the two scans are exported; a column
 * that only they carry is not (it was not in the header).
 *
 * The header names number, name and consent are those the importer recognises: the export
 * can be uploaded again as a list.
 */
import { csvCell } from '../domain/csv.js'
import type { CampaignStore, StoredContact } from '../domain/campaign-store.js'

export const FIXED_COLUMNS = ['number', 'name', 'consent', 'status', 'attempts', 'outcomes', 'last_outcome', 'reached_at', 'lines'] as const

export interface ExportOptions {
  /** Contacts per store.scan call (default 1,000). */
  pageSize?: number
  /** At most this many original columns (default 200): a pathological list cannot blow the header up. */
  maxFieldColumns?: number
}

export { csvCell }

async function* pages(store: Pick<CampaignStore, 'scan'>, campaignId: string, pageSize: number): AsyncGenerator<StoredContact[]> {
  let cursor = '0'
  do {
    const page = await store.scan(campaignId, cursor, pageSize)
    if (page.contacts.length > 0) yield page.contacts
    cursor = page.cursor
  } while (cursor !== '0')
}

/** The original column names of the campaign's contacts, first seen first. */
export async function fieldColumns(store: Pick<CampaignStore, 'scan'>, campaignId: string, o: ExportOptions = {}): Promise<string[]> {
  const max = o.maxFieldColumns ?? 200
  const seen = new Set<string>()
  for await (const page of pages(store, campaignId, o.pageSize ?? 1000)) {
    for (const c of page) {
      for (const k of Object.keys(c.fields)) {
        if (seen.size >= max) break
        seen.add(k)
      }
    }
  }
  return [...seen]
}

function exportRow(c: StoredContact, fields: readonly string[]): string {
  const cells: Array<string | number | undefined> = [
    c.number,
    c.name,
    c.consent === undefined ? '' : c.consent ? 'yes' : 'no',
    c.status,
    c.attempts,
    c.outcomes.join('|'),
    c.lastOutcome,
    c.reachedAt !== undefined ? new Date(c.reachedAt).toISOString() : '',
    c.lines.join('|'),
    ...fields.map((f) => c.fields[f]),
  ]
  return cells.map(csvCell).join(',')
}

/** Header names for the original columns (clashes with the fixed ones prefixed). */
export function headerOf(fields: readonly string[]): string[] {
  const used = new Set<string>(FIXED_COLUMNS)
  const out: string[] = [...FIXED_COLUMNS]
  for (const f of fields) {
    let name = f
    while (used.has(name.trim().toLowerCase())) name = `field_${name}`
    used.add(name.trim().toLowerCase())
    out.push(name)
  }
  return out
}

/** The export as CSV text chunks (the header, then one chunk per page of contacts; CRLF line ends). */
export async function* exportCampaignCsv(store: Pick<CampaignStore, 'scan'>, campaignId: string, o: ExportOptions = {}): AsyncGenerator<string> {
  const fields = await fieldColumns(store, campaignId, o)
  yield `${headerOf(fields).map(csvCell).join(',')}\r\n`
  for await (const page of pages(store, campaignId, o.pageSize ?? 1000)) {
    yield page.map((c) => `${exportRow(c, fields)}\r\n`).join('')
  }
}
