/**
 * CSV as the clerks' files are (RFC 4180): fields separated by commas, quoted with double quotes when
 * they hold a comma, a quote or a line break, records ending in CRLF. Output starts with a UTF-8 BOM
 * so that spreadsheet software in Japan reads the Japanese text as UTF-8.
 */
import { errors } from '../forms/errors.ts'

const BOM = '\uFEFF'

/** Records (with the header first) as CSV text with a BOM and CRLF line ends. */
export function writeCsv (rows: ReadonlyArray<readonly string[]>): string {
  return BOM + rows.map((row) => row.map(quote).join(',')).join('\r\n') + '\r\n'
}

function quote (field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field
}

/**
 * Parse CSV text (a leading BOM is dropped; CRLF or LF). A blank last line is not a record.
 * @throws KEN_ERR_FORM_INPUT naming the line of an unterminated quote or a stray quote
 */
export function readCsv (text: string, maxRecords: number): string[][] {
  const s = text.startsWith(BOM) ? text.slice(1) : text
  const records: string[][] = []
  let record: string[] = []
  let field = ''
  let quoted = false
  let line = 1
  let i = 0
  const endField = (): void => { record.push(field); field = '' }
  const endRecord = (): void => {
    endField()
    if (records.length >= maxRecords) throw errors.KEN_ERR_FORM_INPUT(`more than ${maxRecords} records`)
    records.push(record)
    record = []
  }
  while (i < s.length) {
    const ch = s[i] as string
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') { field += '"'; i += 2; continue }
      if (ch === '"') { quoted = false; i++; continue }
      if (ch === '\n') line++
      field += ch
      i++
      continue
    }
    if (ch === '"') {
      if (field !== '') throw errors.KEN_ERR_FORM_INPUT(`line ${line}: a quote inside an unquoted field`)
      quoted = true
      i++
    } else if (ch === ',') {
      endField()
      i++
    } else if (ch === '\r' && s[i + 1] === '\n') {
      endRecord(); line++; i += 2
    } else if (ch === '\n') {
      endRecord(); line++; i++
    } else {
      field += ch
      i++
    }
  }
  if (quoted) throw errors.KEN_ERR_FORM_INPUT(`line ${line}: a quoted field is not closed`)
  if (field !== '' || record.length > 0) endRecord()
  return records
}
