/** CSV cells of the exports: RFC 4180 quoting, and formula injection defused without touching numbers. */
import t from 'tap'
import { csvCell } from '../../src/domain/csv.js'

t.test('quoting', async (t) => {
  t.equal(csvCell('plain'), 'plain')
  t.equal(csvCell('a,b'), '"a,b"')
  t.equal(csvCell('say "hi"'), '"say ""hi"""')
  t.equal(csvCell(' padded'), '" padded"')
  t.equal(csvCell(undefined), '')
  t.equal(csvCell(null), '')
  t.equal(csvCell(42), '42')
})

t.test('cells that a spreadsheet would run as formulas get an apostrophe; numbers stay numbers', async (t) => {
  t.equal(csvCell('=HYPERLINK("http://x","click")'), `"'=HYPERLINK(""http://x"",""click"")"`)
  t.equal(csvCell('@SUM(A1:A9)'), `'@SUM(A1:A9)`)
  t.equal(csvCell('+cmd|calc'), `'+cmd|calc`)
  t.equal(csvCell('-2+3'), `'-2+3`)
  t.equal(csvCell('\tx'), `'\tx`)
  t.equal(csvCell('+393331234567'), '+393331234567', 'an E.164 number is kept as it is')
  t.equal(csvCell('-1.5'), '-1.5')
  t.equal(csvCell('Mario = Rossi'), 'Mario = Rossi', 'only a leading sign counts')
})
