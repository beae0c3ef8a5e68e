/**
 * One CSV cell for the exports (RFC 4180): a field with a comma, quote, CR or LF, or space at
 * either end, is quoted with its quotes doubled.
 *
 * Formula injection: the exports are opened in spreadsheets, and a cell written by a citizen
 * or a list uploader that starts with = + - @ (or tab/CR) would run as a formula. Such a cell
 * gets a leading apostrophe (the spreadsheet shows the text as typed) — except plain numbers
 * (+393331234567, -1.5), which no spreadsheet runs and which the exports' readers need intact.
 */
const NUMBER = /^[+-]?\d[\d.,]*$/
const FORMULA = /^[=+\-@\t\r]/

export function csvCell(v: unknown): string {
  let s = v === null || v === undefined ? '' : String(v)
  if (FORMULA.test(s) && !NUMBER.test(s)) s = `'${s}`
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}
