/**
 * A contact list streamed into a campaign's store (the upload route's work): src/dialer/import.ts
 * reads and checks the rows; this sink stores the valid contacts a batch at a time (awaited:
 * back-pressure on the upload), appends later rows' lines to contacts of earlier batches or
 * lists, and excludes contacts whose consent a later row or list refused.
 */
import { Type, type Static } from '@fastify/type-provider-typebox'
import type { ImportReport } from '../domain/campaign.js'
import type { CampaignStore, NewContact } from '../domain/campaign-store.js'
import { importContacts, type ImportOptions } from '../dialer/import.js'

const DELIMITERS = { comma: ',', semicolon: ';', tab: '\t' } as const

export const UploadQuery = Type.Object(
  {
    delimiter: Type.Optional(Type.Union([Type.Literal('comma'), Type.Literal('semicolon'), Type.Literal('tab')], { description: 'Forces the delimiter (default: sniffed from the header line)' })),
    encoding: Type.Optional(Type.Union([Type.Literal('utf-8'), Type.Literal('latin1')], { description: 'Text encoding of the file (default utf-8; latin1 for old Excel exports)' })),
    numberColumn: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Header of the number column, when not a recognised one' })),
    nameColumn: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    consentColumn: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    foreign: Type.Optional(Type.Union([Type.Literal('reject'), Type.Literal('accept')], { description: 'Foreign numbers: refused (default) or accepted with their country code' })),
  },
  { additionalProperties: false },
)

export type UploadQueryT = Static<typeof UploadQuery>

/**
 * Streams a list into the store: valid contacts in batches (awaited: back-pressure on the
 * upload), merges of later rows appended to contacts of earlier batches, consent refused on a
 * later row or in this list for a number an earlier list stored: that contact is excluded
 * (never called). Numbers already stored by an earlier upload are counted as merged.
 */
export async function uploadContacts(store: CampaignStore, campaignId: string, source: AsyncIterable<Buffer>, q: UploadQueryT = {}, batchSize?: number): Promise<ImportReport> {
  let fromEarlier = 0
  const columns: NonNullable<ImportOptions['columns']> = {}
  if (q.numberColumn !== undefined) columns.number = q.numberColumn
  if (q.nameColumn !== undefined) columns.name = q.nameColumn
  if (q.consentColumn !== undefined) columns.consent = q.consentColumn
  const report = await importContacts(source, {
    campaignId,
    ...(batchSize !== undefined ? { batchSize } : {}),
    isOptedOut: (numbers) => store.isOptedOut(numbers),
    csv: { ...(q.delimiter ? { delimiter: DELIMITERS[q.delimiter] } : {}), ...(q.encoding ? { encoding: q.encoding } : {}) },
    phone: { foreign: q.foreign ?? 'reject' },
    columns,
    sink: async ({ contacts, merges, refusals }) => {
      const batch: NewContact[] = contacts.map((c) => ({
        id: c.id,
        number: c.number,
        fields: c.fields,
        lines: c.lines,
        status: c.status,
        ...(c.name !== undefined ? { name: c.name } : {}),
        ...(c.consent !== undefined ? { consent: c.consent } : {}),
      }))
      const refused: string[] = [...refusals]
      let stubs = 0
      for (const m of merges) {
        if (m.refused) refused.push(m.id)
        else {
          batch.push({ id: m.id, number: m.id, fields: {}, lines: [m.line] })
          stubs++
        }
      }
      if (batch.length > 0) {
        const r = await store.addContacts(campaignId, batch)
        fromEarlier += r.merged - stubs
      }
      if (refused.length > 0) await store.excludeContacts(campaignId, refused)
    },
  })
  return { ...report, imported: report.imported - fromEarlier, merged: report.merged + fromEarlier }
}
