/**
 * Streamed CSV reading (RFC 4180, leniently): quoted fields with escaped quotes ("") and line
 * breaks inside, CRLF, LF or lone CR line ends, a UTF-8 byte-order mark, and the delimiter
 * (',' ';' or tab) sniffed from the header line: the one that occurs most often outside quotes
 * ('`,`' on a tie). Chunks are decoded as they come (a UTF-8 character split across two
 * chunks is handled), so memory holds one chunk and the rows parsed from it, never the file.
 *
 * Every record carries the 1-based physical line where it starts (a record whose quoted field
 * spans lines is reported at its first line, and the next record's number counts those lines).
 * Empty lines are skipped. Lenient where RFC 4180 is silent: a quote inside an unquoted field
 * is kept as a character, and characters after a closing quote are appended to the field.
 *
 * A quoted field left open swallows the rest of the file by the grammar; to keep memory
 * bounded a field longer than `maxFieldChars` (default 64 KiB) stops the reading with a
 * CsvError naming the line where the field started. An open quote at the end of the file is
 * reported as a record with `unterminated: true` (the importer rejects it).
 */

export interface CsvRecord {
  /** 1-based physical line where the record starts. */
  line: number
  fields: string[]
  /** The file ended inside a quoted field of this record. */
  unterminated?: boolean
}

export interface CsvOptions {
  /** Forces the delimiter instead of sniffing it from the header line. */
  delimiter?: ',' | ';' | '\t'
  /** Decoding of Buffer chunks: 'utf-8' (default) or 'latin1' (old Excel exports). */
  encoding?: 'utf-8' | 'latin1'
  /** Longest field accepted (characters); default 65,536. */
  maxFieldChars?: number
}

export class CsvError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message)
    this.name = 'CsvError'
  }
}

const QUOTE = 34 // "
const CR = 13
const LF = 10

/** Counts candidate delimiters outside quotes in the first record of text; undefined when the first record is not complete yet. */
export function sniffDelimiter(text: string, final: boolean): ',' | ';' | '\t' | undefined {
  let inQuotes = false
  const counts = { ',': 0, ';': 0, '\t': 0 }
  let end = -1
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (c === '"') inQuotes = !inQuotes
    else if (!inQuotes) {
      if (c === '\n' || c === '\r') {
        end = i
        break
      }
      if (c === ',' || c === ';' || c === '\t') counts[c]++
    }
  }
  if (end < 0 && !final) return undefined
  if (counts[';'] > counts[','] && counts[';'] >= counts['\t']) return ';'
  if (counts['\t'] > counts[','] && counts['\t'] > counts[';']) return '\t'
  return ','
}

/**
 * The incremental parser: push text, get the records completed so far. Holds at most one
 * partial record between pushes.
 */
export class CsvParser {
  private delim: number
  private line = 1
  private recordLine = 1
  private fields: string[] = []
  private field = ''
  private inQuotes = false
  /** The current field was quoted and its closing quote has been seen. */
  private quoted = false
  /** Something (a character or a delimiter) has been read for the current record. */
  private started = false
  /** The previous chunk ended with CR: an LF starting the next chunk belongs to it. */
  private pendingCR = false
  private readonly maxField: number
  private fieldStartLine = 1

  constructor(delimiter: ',' | ';' | '\t', maxFieldChars = 65_536) {
    this.delim = delimiter.charCodeAt(0)
    this.maxField = maxFieldChars
  }

  /** Parses text and returns the records it completed. */
  push(text: string): CsvRecord[] {
    const out: CsvRecord[] = []
    const d = this.delim
    const n = text.length
    let i = 0
    if (this.pendingCR) {
      this.pendingCR = false
      if (n > 0 && text.charCodeAt(0) === LF) i = 1
    }
    while (i < n) {
      if (this.inQuotes) {
        // Inside quotes: copy up to the next quote, counting line breaks for the physical line.
        const q = text.indexOf('"', i)
        const stop = q < 0 ? n : q
        let prevCR = this.quotedCR
        for (let j = i; j < stop; j++) {
          const c = text.charCodeAt(j)
          if (c === CR || (c === LF && !prevCR)) this.line++
          prevCR = c === CR
        }
        if (stop > i) this.quotedCR = prevCR
        this.field += text.slice(i, stop)
        if (this.field.length > this.maxField) throw new CsvError(`a quoted field longer than ${this.maxField} characters (a quote left open?) starting at line ${this.fieldStartLine}`, this.fieldStartLine)
        if (q < 0) return out
        this.quotedCR = false
        if (q + 1 < n) {
          if (text.charCodeAt(q + 1) === QUOTE) {
            this.field += '"'
            i = q + 2
          } else {
            this.inQuotes = false
            this.quoted = true
            i = q + 1
          }
        } else {
          // The quote is the last character of the chunk: escaped or closing depends on the next chunk.
          this.inQuotes = false
          this.quoted = true
          this.maybeEscape = true
          return out
        }
        continue
      }
      if (this.maybeEscape) {
        this.maybeEscape = false
        if (text.charCodeAt(i) === QUOTE) {
          // '""' split across chunks: an escaped quote, still inside the field.
          this.field += '"'
          this.inQuotes = true
          this.quoted = false
          i++
          continue
        }
      }
      // Unquoted: scan to the next delimiter, quote or line break.
      let j = i
      let c = 0
      while (j < n) {
        c = text.charCodeAt(j)
        if (c === d || c === CR || c === LF || c === QUOTE) break
        j++
      }
      if (j > i) {
        this.field += text.slice(i, j)
        this.started = true
        if (this.field.length > this.maxField) throw new CsvError(`a field longer than ${this.maxField} characters at line ${this.recordLine}`, this.recordLine)
      }
      if (j >= n) return out
      if (c === QUOTE) {
        if (this.field === '' && !this.quoted) {
          this.inQuotes = true
          this.quotedCR = false
          this.started = true
          this.fieldStartLine = this.line
        } else {
          this.field += '"' // a quote inside an unquoted field is a plain character
        }
        i = j + 1
        continue
      }
      if (c === d) {
        this.fields.push(this.field)
        this.field = ''
        this.quoted = false
        this.started = true
        i = j + 1
        continue
      }
      // A line break ends the record.
      if (this.started) {
        this.fields.push(this.field)
        out.push({ line: this.recordLine, fields: this.fields })
      }
      this.fields = []
      this.field = ''
      this.quoted = false
      this.started = false
      this.line++
      if (c === CR) {
        if (j + 1 < n) {
          i = text.charCodeAt(j + 1) === LF ? j + 2 : j + 1
        } else {
          this.pendingCR = true
          i = n
        }
      } else i = j + 1
      this.recordLine = this.line
    }
    return out
  }

  private maybeEscape = false
  /** Inside quotes, the last character read was CR (a CRLF split across chunks is one line break). */
  private quotedCR = false

  /** The end of the input: the last record if the file does not end with a line break. */
  end(): CsvRecord[] {
    this.maybeEscape = false
    if (!this.started) return []
    this.fields.push(this.field)
    const r: CsvRecord = { line: this.recordLine, fields: this.fields }
    if (this.inQuotes) r.unterminated = true
    this.fields = []
    this.field = ''
    this.started = false
    this.inQuotes = false
    return [r]
  }
}

/**
 * Reads records from a stream (a Node Readable, or any AsyncIterable of Buffers or strings),
 * one chunk at a time: the consumer's pace is the reader's pace (back-pressure), and only the
 * records of the current chunk are held.
 */
export async function* readCsv(source: AsyncIterable<Buffer | Uint8Array | string>, opts: CsvOptions = {}): AsyncGenerator<CsvRecord> {
  const decoder = new TextDecoder(opts.encoding ?? 'utf-8')
  let parser: CsvParser | undefined = opts.delimiter ? new CsvParser(opts.delimiter, opts.maxFieldChars) : undefined
  let head = '' // text held until the header line is complete (delimiter sniffing)
  let first = true
  const feed = (text: string, final: boolean): CsvRecord[] => {
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
      first = false
    }
    if (!parser) {
      head += text
      const delim = sniffDelimiter(head, final)
      if (!delim) {
        if (head.length > (opts.maxFieldChars ?? 65_536)) throw new CsvError('the header line is too long (or a quote left open)', 1)
        return []
      }
      parser = new CsvParser(delim, opts.maxFieldChars)
      text = head
      head = ''
    }
    const out = parser.push(text)
    return final ? out.concat(parser.end()) : out
  }
  for await (const chunk of source) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true })
    if (text.length === 0) continue
    for (const r of feed(text, false)) yield r
  }
  for (const r of feed(decoder.decode(), true)) yield r
}
