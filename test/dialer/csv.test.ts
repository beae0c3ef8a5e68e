import t, { type Test } from 'tap'
import { Readable } from 'node:stream'
import { CsvError, CsvParser, readCsv, sniffDelimiter, type CsvOptions, type CsvRecord } from '../../src/dialer/csv.js'

async function read(chunks: Array<string | Buffer>, opts?: CsvOptions): Promise<CsvRecord[]> {
  const out: CsvRecord[] = []
  for await (const r of readCsv(Readable.from(chunks, { objectMode: true }), opts)) out.push(r)
  return out
}

/** Every way of cutting text into two or three chunks gives the same records as one chunk. */
async function allSplits(t: Test, text: string, expected: CsvRecord[]) {
  t.same(await read([text]), expected, 'one chunk')
  for (let i = 0; i <= text.length; i++) t.same(await read([text.slice(0, i), text.slice(i)]), expected, `split at ${i}`)
  for (let i = 1; i < text.length; i += 3) for (let j = i + 1; j < text.length; j += 5) t.same(await read([text.slice(0, i), text.slice(i, j), text.slice(j)]), expected, `split at ${i},${j}`)
}

t.test('RFC 4180: quotes, escaped quotes, line breaks inside quotes, CRLF; lines are where a record starts', async (t) => {
  const text = 'number,name,note\r\n3331234567,"Rossi, Mario","he said ""hi"""\r\n"3339876543","Bianchi\r\nAnna","two\nlines\r\nhere"\r\n3330000000,Verdi,\r\n'
  await allSplits(t, text, [
    { line: 1, fields: ['number', 'name', 'note'] },
    { line: 2, fields: ['3331234567', 'Rossi, Mario', 'he said "hi"'] },
    { line: 3, fields: ['3339876543', 'Bianchi\r\nAnna', 'two\nlines\r\nhere'] },
    { line: 7, fields: ['3330000000', 'Verdi', ''] },
  ])
})

t.test("';' sniffed from the header, LF and lone CR line ends, blank lines skipped, no final line break", async (t) => {
  const text = 'telefono;nome;note\n\n333 1234567;Mario;a,b\r333 7654321;"Anna;Maria";\n\n06 1234567;Uff;x'
  await allSplits(t, text, [
    { line: 1, fields: ['telefono', 'nome', 'note'] },
    { line: 3, fields: ['333 1234567', 'Mario', 'a,b'] },
    { line: 4, fields: ['333 7654321', 'Anna;Maria', ''] },
    { line: 6, fields: ['06 1234567', 'Uff', 'x'] },
  ])
})

t.test('byte-order mark, UTF-8 split inside a character, Buffers', async (t) => {
  const bytes = Buffer.from('\ufeffnome,telefono\nNiccolò,3331234567\n', 'utf8')
  const at = bytes.indexOf(Buffer.from('ò')) + 1 // inside the two bytes of ò
  t.same(await read([bytes.subarray(0, at), bytes.subarray(at)]), [
    { line: 1, fields: ['nome', 'telefono'] },
    { line: 2, fields: ['Niccolò', '3331234567'] },
  ])
  t.same(await read(['\ufeffa;b\n1;2\n']), [{ line: 1, fields: ['a', 'b'] }, { line: 2, fields: ['1', '2'] }], 'a BOM in a string chunk')
  t.same(await read([Buffer.from('nome;tel\nNiccol\xf2;1\n', 'latin1')], { encoding: 'latin1' }), [
    { line: 1, fields: ['nome', 'tel'] },
    { line: 2, fields: ['Niccolò', '1'] },
  ], 'latin1 on request')
})

t.test('delimiter sniffing', async (t) => {
  t.equal(sniffDelimiter('a;b;c\n1,2', false), ';')
  t.equal(sniffDelimiter('a,b,c\n', false), ',')
  t.equal(sniffDelimiter('"x;y;z",b\n', false), ',', 'delimiters inside quotes do not count')
  t.equal(sniffDelimiter('a\tb\tc\n', false), '\t')
  t.equal(sniffDelimiter('number\n', false), ',', 'a single column: comma')
  t.equal(sniffDelimiter('a;b', false), undefined, 'the header line is not complete yet')
  t.equal(sniffDelimiter('a;b', true), ';', 'the end of the input completes it')
  t.same(await read(['a;b\n1,2;3\n'], { delimiter: ',' }), [{ line: 1, fields: ['a;b'] }, { line: 2, fields: ['1', '2;3'] }], 'a forced delimiter')
})

t.test('lenient where RFC 4180 is silent', async (t) => {
  t.same(await read(['a,b\nx"y,"q"r\n']), [{ line: 1, fields: ['a', 'b'] }, { line: 2, fields: ['x"y', 'qr'] }], 'a quote inside an unquoted field, text after a closing quote')
  t.same(await read(['a,b\n"",\n']), [{ line: 1, fields: ['a', 'b'] }, { line: 2, fields: ['', ''] }], 'an empty quoted field is a record')
  t.same(await read(['a,b\n1,"open\nstill']), [{ line: 1, fields: ['a', 'b'] }, { line: 2, fields: ['1', 'open\nstill'], unterminated: true }], 'a quote open at the end of the file')
})

t.test('a quote left open cannot swallow the file: bounded field, error with its line', async (t) => {
  const p = new CsvParser(',', 100)
  t.same(p.push('a,b\n1,"x\n'), [{ line: 1, fields: ['a', 'b'] }])
  const err = t.throws(() => p.push('y\n'.repeat(100))) as CsvError
  t.ok(err instanceof CsvError)
  t.equal(err.line, 2)
  t.match(err.message, /starting at line 2/)
  await t.rejects(read(['a'.repeat(200) + ',b\n'], { maxFieldChars: 100 }), /longer than 100/)
})

t.test('records come chunk by chunk: the reader is never ahead of the consumer by more than a chunk', async (t) => {
  let produced = 0
  async function* src() {
    yield 'n\n'
    for (let c = 0; c < 50; c++) {
      produced += 10
      yield Array.from({ length: 10 }, (_, i) => `${c * 10 + i}\n`).join('')
    }
  }
  let consumed = 0
  let worst = 0
  for await (const r of readCsv(src())) {
    if (r.line === 1) continue
    consumed++
    worst = Math.max(worst, produced - consumed)
  }
  t.equal(consumed, 500)
  t.ok(worst < 10, `at most one chunk ahead (was ${worst})`)
})
