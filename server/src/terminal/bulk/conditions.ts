/**
 * The search conditions of a bulk provision (一括提供, SPEC §6): a CSV file with a header row, one
 * condition per record. Each condition must stand on its own as a terminal search would: a
 * 住民票コード, a 個人番号, or at least two of 氏名・住所・生年月日 (性別 only beside them) — SPEC §6
 * "Search", requirements A2. Errors name the record and column, never a value (they are logged).
 */
import { isValidKojinBango } from '../../domain/identifiers.ts'
import { isIsoDate } from '../../domain/dates.ts'
import { readCsv } from './csv.ts'
import { errors } from '../forms/errors.ts'

/** One row of the file, items as given (empty: not a condition). */
export interface BulkCondition {
  /** The record number in the file (1 = the first after the header), for the result file. */
  readonly row: number
  readonly juminhyoCode: string
  readonly kojinBango: string
  readonly name: string
  readonly address: string
  readonly birthDate: string
  readonly sex: '' | 'male' | 'female'
}

/** Header names accepted, Japanese and English (the console offers a template with the Japanese ones). */
const COLUMNS: Readonly<Record<string, keyof Omit<BulkCondition, 'row'>>> = {
  住民票コード: 'juminhyoCode',
  juminhyo_code: 'juminhyoCode',
  個人番号: 'kojinBango',
  kojin_bango: 'kojinBango',
  氏名: 'name',
  name: 'name',
  住所: 'address',
  address: 'address',
  生年月日: 'birthDate',
  birth_date: 'birthDate',
  性別: 'sex',
  sex: 'sex'
}

const SEX: Readonly<Record<string, BulkCondition['sex']>> = { '': '', 男: 'male', 女: 'female', 1: 'male', 2: 'female', male: 'male', female: 'female' }

/** Parse and check a conditions file. @throws KEN_ERR_FORM_INPUT naming the row and column */
export function readBulkConditions (csv: string, maxRows: number): BulkCondition[] {
  const [header, ...records] = readCsv(csv, maxRows + 1)
  if (header === undefined) throw errors.KEN_ERR_FORM_INPUT('the file is empty')
  const keys = header.map((h, i) => {
    const key = COLUMNS[h.trim()]
    if (key === undefined) throw errors.KEN_ERR_FORM_INPUT(`column ${i + 1} of the header is not a known item`)
    return key
  })
  if (new Set(keys).size !== keys.length) throw errors.KEN_ERR_FORM_INPUT('a column appears twice in the header')
  if (records.length === 0) throw errors.KEN_ERR_FORM_INPUT('the file holds no condition')
  return records.map((fields, i) => {
    const row = i + 1
    if (fields.length !== keys.length) throw errors.KEN_ERR_FORM_INPUT(`row ${row}: ${fields.length} fields, the header has ${keys.length}`)
    const get = (key: keyof Omit<BulkCondition, 'row'>): string => (fields[keys.indexOf(key)] ?? '').trim()
    const sex = SEX[get('sex')]
    if (sex === undefined) throw errors.KEN_ERR_FORM_INPUT(`row ${row}: 性別 must be 男 or 女`)
    const c: BulkCondition = { row, juminhyoCode: get('juminhyoCode'), kojinBango: get('kojinBango'), name: get('name'), address: get('address'), birthDate: get('birthDate'), sex }
    checkCondition(c)
    return c
  })
}

function checkCondition (c: BulkCondition): void {
  if (c.juminhyoCode !== '' && !/^\d{11}$/.test(c.juminhyoCode)) throw errors.KEN_ERR_FORM_INPUT(`row ${c.row}: 住民票コード must be 11 digits`)
  if (c.kojinBango !== '' && !isValidKojinBango(c.kojinBango)) throw errors.KEN_ERR_FORM_INPUT(`row ${c.row}: 個人番号 is not a valid number (check digit)`)
  if (c.birthDate !== '' && !isIsoDate(c.birthDate)) throw errors.KEN_ERR_FORM_INPUT(`row ${c.row}: 生年月日 must be YYYY-MM-DD`)
  if (c.juminhyoCode !== '' || c.kojinBango !== '') return
  // SPEC §6: 4情報 with at least two of 氏名/住所/生年月日; 性別 never counts.
  const given = [c.name, c.address, c.birthDate].filter((v) => v !== '').length
  if (given < 2) throw errors.KEN_ERR_FORM_INPUT(`row ${c.row}: a condition needs a 住民票コード, a 個人番号, or two of 氏名・住所・生年月日`)
}
