import t from 'tap'
import { Readable } from 'node:stream'
import type { Contact } from '../../src/domain/campaign.js'
import { isAppError } from '../../src/domain/errors.js'
import { importContacts, type ImportBatch, type ImportOptions } from '../../src/dialer/import.js'
import { generateContactsCsv } from '../fixtures/dialer/generate.js'

async function run(text: string | string[], opts: Partial<ImportOptions> = {}) {
  const batches: ImportBatch[] = []
  const report = await importContacts(Readable.from(Array.isArray(text) ? text : [text], { objectMode: true }), {
    campaignId: 'c1',
    sink: async (b) => {
      batches.push(b)
    },
    ...opts,
  })
  const contacts = batches.flatMap((b) => b.contacts)
  const merges = batches.flatMap((b) => b.merges)
  return { report, batches, contacts, merges }
}

t.test('header mapping, normalisation, fields, consent; every rejected row with its line and reason', async (t) => {
  const csv = [
    'Telefono;Nome;Consenso;Codice Pratica', // 1
    '333 123 4567;Mario Rossi;si;P1', // 2 imported
    ';Senza Numero;;P2', // 3 missing number
    '333 12a4567;Lettere;;P3', // 4 invalid number
    '899 123456;Premium;;P4', // 5 invalid number (premium)
    '06 1234567;"Ufficio\nRoma";1;P5', // 6-7 imported (landline, name over two lines)
    '3339876543;Troppe;si;P6;extra', // 8 column count
    '3330000001;Poche', // 9 column count
    '+39 333-1234567;Duplicato;no;P7', // 10 consent refused on a number already imported
    '3331111111;Forse;forse;P8', // 11 invalid consent
    '3332222222;Anna;;P9;', // 12 imported: a trailing empty field is tolerated
    ';;;', // 13 a blank row: skipped, not counted
    '0039 333 2222222;Anna bis;SI;P10', // 14 merged into line 12
  ].join('\n')
  const { report, contacts, merges } = await run(csv)
  t.same(
    report.rejectedRows.map((r) => [r.line, r.reason]),
    [
      [3, 'missing number'],
      [4, 'invalid number: contains letters'],
      [5, 'invalid number: premium-rate number (899…)'],
      [8, 'column count (expected 4, got 5)'],
      [9, 'column count (expected 4, got 2)'],
      [10, 'consent refused'],
      [11, 'invalid consent: "forse"'],
    ],
  )
  t.equal(report.rejectedRows[1]!.value, '333 12a4567', 'the raw value is kept for the report')
  t.match(report, { campaignId: 'c1', rows: 11, imported: 3, merged: 1, rejected: 7, optedOut: 0, noConsent: 1 })
  t.equal(report.rows, report.imported + report.merged + report.rejected)
  t.same(
    contacts.map((c) => [c.id, c.number, c.name, c.consent, c.lines, c.status]),
    [
      ['+393331234567', '+393331234567', 'Mario Rossi', false, [2], 'excluded'],
      ['+39061234567', '+39061234567', 'Ufficio\nRoma', true, [6], 'pending'],
      ['+393332222222', '+393332222222', 'Anna', undefined, [12, 14], 'pending'],
    ],
    'a refusal on a later row excludes the contact; the merged row keeps the first row fields',
  )
  t.same(contacts[0]!.fields, { 'Codice Pratica': 'P1' })
  t.same(contacts[2]!.fields, { 'Codice Pratica': 'P9' })
  t.match(contacts[0], { campaignId: 'c1', attempts: 0, nextAt: 0, outcomes: [] })
  t.same(merges, [])
})

t.test('the header names a number column, or the file is refused', async (t) => {
  for (const h of ['number', 'Phone', 'TELEFONO', 'numero', 'cellulare']) {
    const { contacts } = await run(`${h}\n3331234567\n`)
    t.equal(contacts[0]?.number, '+393331234567', h)
  }
  const e = await run('nome,email\nMario,m@x.it\n').catch((err: unknown) => err)
  t.ok(isAppError(e, 'BAD_REQUEST'))
  t.match((e as Error).message, /no number column \(expected one of number, phone, telefono/)
  t.ok(isAppError(await run('').catch((err: unknown) => err), 'BAD_REQUEST'), 'an empty file')
  const mapped = await run('cell,chi,ok\n3331234567,Mario,no\n3337654321,Anna,yes\n', { columns: { number: 'cell', name: 'chi', consent: 'ok' } })
  t.same(mapped.contacts.map((c) => [c.number, c.name, c.consent]), [['+393337654321', 'Anna', true]], 'explicit column names')
  t.equal(mapped.report.noConsent, 1)
  const noConsentColumn = await run('number\n3331234567\n')
  t.equal(noConsentColumn.contacts[0]!.consent, undefined, 'no consent column: not stated')
  t.ok(isAppError(await run('number\n"3331234567\n' + 'x'.repeat(200), { csv: { maxFieldChars: 100 } }).catch((err: unknown) => err), 'BAD_REQUEST'), 'a quote left open over a huge span')
  const open = await run('number,name\n3331234567,"open')
  t.same(open.report.rejectedRows, [{ line: 2, reason: 'unterminated quote' }])
})

t.test('opt-out register asked once per batch; duplicates merged across batches through merge entries', async (t) => {
  const asked: string[][] = []
  const register = new Set(['+393330000002', '+393330000005'])
  const lines = ['number,name']
  for (let i = 1; i <= 7; i++) lines.push(`333000000${i},n${i}`)
  lines.push('3330000001,again') // line 9: merged into line 2, imported in the first batch
  lines.push('3330000002,again') // line 10: opted out again
  lines.push('3330000006,again') // line 11: merged into line 7 (an earlier batch)
  lines.push('333 0000006,and again') // line 12: merged too
  const { report, batches, merges } = await run(lines.join('\n') + '\n', {
    batchSize: 3,
    isOptedOut: async (numbers) => {
      asked.push(numbers)
      return new Set(numbers.filter((n) => register.has(n)))
    },
  })
  t.same(asked, [
    ['+393330000001', '+393330000002', '+393330000003'],
    ['+393330000004', '+393330000005', '+393330000006'],
    ['+393330000007', '+393330000001', '+393330000002'],
    ['+393330000006'],
  ])
  t.match(report, { rows: 11, imported: 5, merged: 3, rejected: 3, optedOut: 3 })
  t.same(report.rejectedRows, [
    { line: 3, reason: 'opted out' },
    { line: 6, reason: 'opted out' },
    { line: 10, reason: 'opted out' },
  ])
  t.same(merges, [{ id: '+393330000001', line: 9 }, { id: '+393330000006', line: 11 }, { id: '+393330000006', line: 12 }])
  t.same(batches.map((b) => b.contacts.map((c) => c.lines[0])), [[2, 4], [5, 7], [8], []])
})

t.test('consent refused on a later batch: the merge entry says so; a refused number stays refused', async (t) => {
  const csv = 'number,consent\n3331234567,si\n3339999999,\n3331234567,no\n3339999999,no\n3339999999,si\n'
  const { report, contacts, merges } = await run(csv, { batchSize: 2 })
  t.same(contacts.map((c) => [c.number, c.status, c.consent]), [['+393331234567', 'pending', true], ['+393339999999', 'pending', undefined]])
  t.same(merges, [{ id: '+393331234567', line: 4, refused: true }, { id: '+393339999999', line: 5, refused: true }])
  t.same(report.rejectedRows.map((r) => [r.line, r.reason]), [[4, 'consent refused'], [5, 'consent refused'], [6, 'consent refused']])
  t.match(report, { rows: 5, imported: 2, merged: 0, rejected: 3, noConsent: 3 })
})

t.test('rejected rows: all counted, the first maxRejectedKept kept', async (t) => {
  const csv = 'number\n' + Array.from({ length: 50 }, () => 'abc').join('\n')
  const { report } = await run(csv, { maxRejectedKept: 10 })
  t.equal(report.rejected, 50)
  t.equal(report.rejectedRows.length, 10)
  t.equal(report.rejectedRows[9]!.line, 11)
})

t.test('foreign numbers per option', async (t) => {
  const csv = 'number\n+44 20 7946 0958\n'
  t.match((await run(csv)).report.rejectedRows, [{ line: 2, reason: /^invalid number: foreign number/ }])
  t.equal((await run(csv, { phone: { foreign: 'accept' } })).contacts[0]?.number, '+442079460958')
})

t.test('20,000 generated rows streamed: batches flushed as the file is read, never more than a batch held', async (t) => {
  const rows = 20_000
  const batchSize = 500
  const rowsPerChunk = 300
  const gen = generateContactsCsv({ rows, seed: 7, delimiter: ';', crlf: true, rowsPerChunk, invalidEvery: 101, duplicateEvery: 53, refusedEvery: 211, buffers: true })
  let worstAhead = 0
  let firstBatchAt = 0
  let batches = 0
  let biggest = 0
  const seen = new Set<string>()
  let lastContact: Contact | undefined
  const report = await importContacts(gen.source, {
    campaignId: 'big',
    batchSize,
    sink: async (b) => {
      if (batches++ === 0) firstBatchAt = gen.stats.rows
      biggest = Math.max(biggest, b.contacts.length + b.merges.length)
      for (const c of b.contacts) {
        if (seen.has(c.id)) t.fail(`contact ${c.id} handed twice`)
        seen.add(c.id)
        lastContact = c
      }
      // The row index of the batch's last contact (its codice_pratica) against the rows the
      // generator has produced so far: how far ahead of the sink the reader got.
      const last = b.contacts[b.contacts.length - 1]
      if (last) worstAhead = Math.max(worstAhead, gen.stats.rows - Number(last.fields.codice_pratica!.slice(1)))
      await new Promise((r) => setImmediate(r)) // a slow store
    },
  })
  t.equal(report.rows, rows)
  t.equal(report.rejected, gen.stats.invalid + gen.stats.refused)
  t.equal(report.noConsent, gen.stats.refused)
  t.equal(report.merged, gen.stats.duplicates)
  t.equal(report.imported, rows - gen.stats.invalid - gen.stats.duplicates - gen.stats.refused)
  t.equal(seen.size, report.imported)
  t.ok(biggest <= batchSize, `no batch above ${batchSize} (biggest ${biggest})`)
  t.ok(batches >= Math.floor(report.imported / batchSize), `${batches} batches`)
  // Streaming: a batch reaches the sink when the generator has produced at most one chunk
  // beyond it; the first one long before the end of the file.
  t.ok(firstBatchAt <= batchSize + rowsPerChunk, `first batch after ${firstBatchAt} rows produced`)
  t.ok(worstAhead <= rowsPerChunk + 20, `the reader was at most a chunk ahead of the sink (${worstAhead} rows)`)
  t.ok(gen.stats.chunks >= rows / rowsPerChunk)
  // Rows with a quoted two-line note (every 97th) shift the physical lines of the rows after them.
  const lineOf = (i: number) => 1 + i + Math.floor((i - 1) / 97)
  t.same(report.rejectedRows.slice(0, 2).map((r) => r.line), [lineOf(101), lineOf(202)])
  t.match(report.rejectedRows[0]!.reason, /^invalid number: /)
  t.ok(lastContact && lastContact.lines.every((l) => l > 1))
})
