/**
 * Contact-list import, streamed: a CSV of any length is read chunk by chunk (src/dialer/csv.ts)
 * and valid contacts are handed to an async sink in batches, awaited before more is read
 * (back-pressure). At most one batch of rows is held at a time, plus the set of numbers
 * already seen (kept as numbers, not strings: ~38 bytes each against ~86, so 500,000
 * contacts cost ~18 MB) and the first `maxRejectedKept` rejected rows.
 *
 * The header row names the columns (case and spaces ignored):
 * - the number: number, phone, telefono, numero, cellulare, tel, mobile (required);
 * - the name: name, nome, nominativo;
 * - the consent: consent, consenso (yes/no, si/no, 1/0, true/false; empty = not stated);
 * - every other column is kept in `fields` under its header, for the agent and the export.
 *
 * Each data row has exactly one fate, in file order (rows = imported + merged + rejected;
 * blank rows, such as ';;;' from a spreadsheet, are skipped and not counted):
 * - rejected, with its 1-based line and a reason: 'missing number', 'invalid number: <why>',
 *   'column count (expected N, got M)', 'unterminated quote', 'invalid consent: <value>',
 *   'consent refused', 'opted out' (the last two are also counted in noConsent/optedOut);
 * - merged: a number already imported (same E.164): the first row's fields are kept and the
 *   line is added to the contact's `lines` (in the batch that holds the contact, or as a
 *   `merges` entry of a later batch for the sink to apply to a contact it already stored);
 * - imported: a new contact, status 'pending', no attempts.
 * A number refused consent on any row is never imported: a later row of that number is
 * rejected as 'consent refused' too, and if the number had been imported already the merge
 * entry says `refused: true` (the sink must set consent false; the dial check refuses it).
 *
 * The opt-out register is asked once per batch (`isOptedOut(numbers)`), so Redis can answer
 * with one round trip per batch.
 */
import type { Contact, ImportReport, RejectedRow } from '../domain/campaign.js'
import { AppError } from '../domain/errors.js'
import { parseConsent } from './consent.js'
import { CsvError, readCsv, type CsvOptions } from './csv.js'
import { normalisePhone, type PhoneOptions } from './phone.js'

/** A line merged into a contact that an earlier batch handed to the sink. */
export interface ImportMerge {
  /** The contact id (its E.164 number). */
  id: string
  line: number
  /** This row refused consent: the contact must not be called. */
  refused?: true
}

export interface ImportBatch {
  contacts: Contact[]
  merges: ImportMerge[]
  /**
   * Numbers refused consent that this import never handed over: a contact an earlier list put
   * in the campaign may have them, and must then never be called (the sink excludes them).
   */
  refusals: string[]
}

export interface ImportOptions {
  campaignId: string
  /** Receives each batch; awaited before the next rows are read. */
  sink: (batch: ImportBatch) => Promise<void>
  /** Which of these numbers are in the opt-out register (batched). Default: none. */
  isOptedOut?: (numbers: string[]) => Promise<Set<string>>
  /** Rows per batch (default 1,000). */
  batchSize?: number
  /** Rejected rows kept in the report (all are counted); default 1,000. */
  maxRejectedKept?: number
  phone?: PhoneOptions
  csv?: CsvOptions
  /** Header names to use instead of the recognised ones (matched case-insensitively). */
  columns?: { number?: string; name?: string; consent?: string }
}

export const NUMBER_HEADERS = ['number', 'phone', 'telefono', 'numero', 'cellulare', 'tel', 'mobile', 'phone number', 'numero di telefono']
export const NAME_HEADERS = ['name', 'nome', 'nominativo', 'full name']
export const CONSENT_HEADERS = ['consent', 'consenso']

interface Columns {
  number: number
  name: number
  consent: number
  headers: string[]
}

/** A row that passed the per-row checks, waiting for the batch's opt-out answer. */
interface PendingRow {
  line: number
  number: string
  name: string
  consent: boolean | undefined
  fields: Record<string, string>
}

/** A row already rejected, kept in the batch so that the report lists rows in file order. */
interface RejectedPending {
  line: number
  reason: string
  value?: string
}

const norm = (h: string) => h.trim().toLowerCase().replace(/[\s_-]+/g, ' ')

function mapColumns(header: string[], opts: ImportOptions): Columns {
  const names = header.map(norm)
  const find = (override: string | undefined, known: readonly string[]) => (override !== undefined ? names.indexOf(norm(override)) : names.findIndex((h) => known.includes(h)))
  const number = find(opts.columns?.number, NUMBER_HEADERS)
  if (number < 0) {
    const expected = opts.columns?.number !== undefined ? `'${opts.columns.number}'` : `one of ${NUMBER_HEADERS.join(', ')}`
    throw new AppError('BAD_REQUEST', `the header has no number column (expected ${expected}; found: ${header.join(', ')})`, { line: 1 })
  }
  return { number, name: find(opts.columns?.name, NAME_HEADERS), consent: find(opts.columns?.consent, CONSENT_HEADERS), headers: header.map((h) => h.trim()) }
}

const isCandidate = (r: PendingRow | RejectedPending): r is PendingRow => 'number' in r

/** E.164 '+393331234567' as the number 393331234567 (exact: at most 15 digits < 2^53). */
const key = (e164: string) => Number(e164.slice(1))

/**
 * Imports a contact list. Throws AppError BAD_REQUEST when the file cannot be read as a list
 * at all (no header, no number column, a quote left open over a huge span); rows already
 * handed to the sink stay handed.
 */
export async function importContacts(source: AsyncIterable<Buffer | Uint8Array | string>, opts: ImportOptions): Promise<ImportReport> {
  const batchSize = Math.max(1, opts.batchSize ?? 1000)
  const keep = opts.maxRejectedKept ?? 1000
  const report: ImportReport = { campaignId: opts.campaignId, rows: 0, imported: 0, merged: 0, rejected: 0, optedOut: 0, noConsent: 0, rejectedRows: [] }
  const seen = new Set<number>() // numbers imported
  const refused = new Set<number>() // numbers whose consent was refused
  let cols: Columns | undefined
  let pending: Array<PendingRow | RejectedPending> = []

  const record = (line: number, reason: string, value?: string) => {
    report.rejected++
    if (report.rejectedRows.length < keep) {
      const r: RejectedRow = { line, reason }
      if (value !== undefined) r.value = value
      report.rejectedRows.push(r)
    }
  }

  const flush = async () => {
    if (pending.length === 0) return
    const rows = pending
    pending = []
    const numbers = [...new Set(rows.filter(isCandidate).map((r) => r.number))]
    const out = numbers.length > 0 && opts.isOptedOut ? await opts.isOptedOut(numbers) : new Set<string>()
    const contacts: Contact[] = []
    const inBatch = new Map<string, Contact>()
    const merges: ImportMerge[] = []
    const refusals: string[] = []
    for (const r of rows) {
      if (!isCandidate(r)) {
        record(r.line, r.reason, r.value)
        continue
      }
      const k = key(r.number)
      if (out.has(r.number)) {
        report.optedOut++
        record(r.line, 'opted out')
        continue
      }
      if (r.consent === false || refused.has(k)) {
        report.noConsent++
        record(r.line, 'consent refused')
        if (refused.has(k)) continue
        refused.add(k)
        if (seen.has(k)) {
          // Imported earlier: the contact stays (its first row's line) but must never be called.
          const c = inBatch.get(r.number)
          if (c) {
            c.consent = false
            c.status = 'excluded'
          } else merges.push({ id: r.number, line: r.line, refused: true })
        } else refusals.push(r.number)
        continue
      }
      if (seen.has(k)) {
        report.merged++
        const c = inBatch.get(r.number)
        if (c) c.lines.push(r.line)
        else merges.push({ id: r.number, line: r.line })
        continue
      }
      seen.add(k)
      report.imported++
      const c: Contact = { id: r.number, campaignId: opts.campaignId, number: r.number, fields: r.fields, lines: [r.line], status: 'pending', attempts: 0, nextAt: 0, outcomes: [] }
      if (r.name !== '') c.name = r.name
      if (r.consent !== undefined) c.consent = r.consent
      contacts.push(c)
      inBatch.set(r.number, c)
    }
    if (contacts.length > 0 || merges.length > 0 || refusals.length > 0) await opts.sink({ contacts, merges, refusals })
  }

  // Rejected rows wait in the batch too (the report lists rows in file order) and count
  // towards its size, so a file of nothing but bad rows holds no more than a batch either.
  const reject = async (line: number, reason: string, value?: string) => {
    const r: RejectedPending = { line, reason }
    if (value !== undefined) r.value = value
    pending.push(r)
    if (pending.length >= batchSize) await flush()
  }

  try {
    for await (const rec of readCsv(source, opts.csv)) {
      if (!cols) {
        cols = mapColumns(rec.fields, opts)
        continue
      }
      if (rec.fields.every((f) => f.trim() === '')) continue // a blank row (';;;' from a spreadsheet)
      report.rows++
      const f = rec.fields
      if (rec.unterminated) {
        await reject(rec.line, 'unterminated quote')
        continue
      }
      const expected = cols.headers.length
      if (f.length < expected || (f.length > expected && f.slice(expected).some((x) => x.trim() !== ''))) {
        await reject(rec.line, `column count (expected ${expected}, got ${f.length})`)
        continue
      }
      const raw = f[cols.number]!.trim()
      if (raw === '') {
        await reject(rec.line, 'missing number')
        continue
      }
      const phone = normalisePhone(raw, opts.phone)
      if (!phone.ok) {
        await reject(rec.line, `invalid number: ${phone.reason}`, raw)
        continue
      }
      let consent: boolean | undefined
      if (cols.consent >= 0) {
        const c = parseConsent(f[cols.consent])
        if (c === 'invalid') {
          await reject(rec.line, `invalid consent: ${JSON.stringify(f[cols.consent]!.trim().slice(0, 20))}`)
          continue
        }
        consent = c
      }
      const fields: Record<string, string> = {}
      for (let i = 0; i < expected; i++) {
        if (i === cols.number || i === cols.name || i === cols.consent) continue
        const h = cols.headers[i]!
        if (h !== '' && !(h in fields)) fields[h] = f[i]!
      }
      pending.push({ line: rec.line, number: phone.e164, name: cols.name >= 0 ? f[cols.name]!.trim() : '', consent, fields })
      if (pending.length >= batchSize) await flush()
    }
  } catch (err) {
    if (err instanceof CsvError) throw new AppError('BAD_REQUEST', `unreadable CSV: ${err.message}`, { line: err.line }, { cause: err })
    throw err
  }
  if (!cols) throw new AppError('BAD_REQUEST', 'the file is empty (a header row naming the columns is expected)', { line: 1 })
  await flush()
  return report
}
