/**
 * The prefecture's municipalities — one entry per 市町村CS (SPEC §1: Fukuoka has 60). Codes are
 * 全国地方公共団体コード (JIS X 0402): five digits and a check digit (SPEC §2.3). The wards of a
 * designated city (政令指定都市) carry codes of their own but are not separate CS; they are listed
 * under their city. The same checks serve the shipped file and an inline list in the configuration.
 */
import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { isValidMunicipalityCode, municipalityCheckDigit } from '../../server/src/domain/identifiers.ts'
import { errors } from './errors.ts'
import { formatIssues, type Hint, type Problem, renderProblem } from './issues.ts'
import { deepFreeze, type DeepReadonly } from './deep.ts'

/** 指定都市 / 市 / 町 / 村 — the suffix of the name must agree. */
export const MUNICIPALITY_KINDS = ['designated-city', 'city', 'town', 'village'] as const
export type MunicipalityKind = typeof MUNICIPALITY_KINDS[number]

const SUFFIX: Readonly<Record<MunicipalityKind, string>> = { 'designated-city': '市', city: '市', town: '町', village: '村' }

const code6 = z.string().regex(/^[0-9]{6}$/)
const kanjiName = z.string().min(1).max(20)
const katakana = z.string().regex(/^[ァ-ヶー]+$/u)

export const wardSchema = z.object({ code: code6, name: kanjiName.regex(/区$/u), kana: katakana }).strict()

export const municipalitySchema = z.object({
  code: code6,
  name: kanjiName,
  kana: katakana,
  kind: z.enum(MUNICIPALITY_KINDS),
  county: kanjiName.regex(/郡$/u).optional(),
  wards: z.array(wardSchema).min(1).optional()
}).strict()

/** One municipality (one CS). */
export type Municipality = DeepReadonly<z.output<typeof municipalitySchema>>
/** A ward (行政区) of a designated city: its own code, not its own CS. */
export type Ward = DeepReadonly<z.output<typeof wardSchema>>

export const municipalityFileSchema = z.object({
  prefectureCode: z.string().regex(/^(0[1-9]|[1-3][0-9]|4[0-7])$/),
  prefectureName: z.string().regex(/^.+[都道府県]$/u),
  asOf: z.string().regex(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/),
  source: z.string().min(1),
  note: z.string().optional(),
  municipalities: z.array(municipalitySchema).min(1)
}).strict()

/** The shipped file: the list and what it is. */
export type MunicipalityFile = DeepReadonly<z.output<typeof municipalityFileSchema>>

/** What each item of a municipality entry must look like, keyed by its path with `[]` for indexes. */
export const MUNICIPALITY_HINTS: Readonly<Record<string, Hint>> = {
  '[].code': { expect: 'a 6-digit 全国地方公共団体コード', fix: 'copy the code from 総務省「全国地方公共団体コード」' },
  '[].name': { expect: 'the name in kanji, 1–20 characters', fix: 'write the official name, e.g. "久留米市"' },
  '[].kana': { expect: 'the reading in full-width katakana', fix: 'write the reading, e.g. "クルメシ"' },
  '[].kind': { expect: `one of ${MUNICIPALITY_KINDS.join(', ')}`, fix: 'use designated-city for 政令指定都市' },
  '[].county': { expect: 'the 郡 name in kanji ending in 郡', fix: 'write e.g. "糟屋郡", or remove it for a city' },
  '[].wards': { expect: 'a non-empty list of {code, name, kana}', fix: 'list the wards of a designated city, or remove the key' },
  '[].wards[].code': { expect: 'a 6-digit ward code', fix: 'copy the ward code from 総務省「全国地方公共団体コード」' },
  '[].wards[].name': { expect: 'the ward name in kanji ending in 区', fix: 'write e.g. "博多区"' },
  '[].wards[].kana': { expect: 'the reading in full-width katakana', fix: 'write e.g. "ハカタク"' }
}

const FILE_HINTS: Readonly<Record<string, Hint>> = {
  prefectureCode: { expect: 'a 2-digit prefecture code 01–47', fix: 'write e.g. "40" for 福岡県' },
  prefectureName: { expect: 'the prefecture name ending in 都, 道, 府 or 県', fix: 'write e.g. "福岡県"' },
  asOf: { expect: 'the date the list is valid from (YYYY-MM-DD)', fix: 'write the date of the last consolidation' },
  source: { expect: 'where the list comes from', fix: 'name the source list' },
  municipalities: { expect: 'a non-empty list of municipalities', fix: 'list one entry per 市町村CS' },
  ...Object.fromEntries(Object.entries(MUNICIPALITY_HINTS).map(([k, v]) => [`municipalities${k}`, v]))
}

/**
 * The checks zod cannot express on one item: check digits, the prefecture prefix, duplicates
 * (codes across cities and wards, names), the kind agreeing with the name, wards under their city.
 */
export function checkMunicipalities (list: readonly Municipality[], prefectureCode: string): Problem[] {
  const problems: Problem[] = []
  const codes = new Map<string, string>()
  const names = new Map<string, string>()
  const seen = (map: Map<string, string>, key: string, where: string, what: string): void => {
    const first = map.get(key)
    if (first === undefined) map.set(key, where)
    else problems.push({ path: where, expect: `a ${what} not used before (already at ${first})`, got: key, fix: 'remove the duplicate entry' })
  }
  const checkCode = (code: string, where: string, prefix: string): void => {
    if (/^[0-9]{6}$/.test(code) && !isValidMunicipalityCode(code)) {
      problems.push({ path: where, expect: `a code whose 6th digit is its check digit (${municipalityCheckDigit(code.slice(0, 5))} for ${code.slice(0, 5)})`, got: code, fix: 'copy the code from 総務省「全国地方公共団体コード」' })
    }
    if (!code.startsWith(prefix)) problems.push({ path: where, expect: `a code starting with ${prefix}`, got: code, fix: 'list only municipalities of this prefecture' })
    seen(codes, code, where, 'code')
  }
  list.forEach((m, i) => {
    const at = `[${i}]`
    checkCode(m.code, `${at}.code`, prefectureCode)
    seen(names, m.name, `${at}.name`, 'name')
    if (!m.name.endsWith(SUFFIX[m.kind])) {
      problems.push({ path: `${at}.kind`, expect: `a kind matching the name's suffix (${m.name})`, got: m.kind, fix: 'use city or designated-city for 市, town for 町, village for 村' })
    }
    if (m.wards !== undefined && m.kind !== 'designated-city') {
      problems.push({ path: `${at}.wards`, expect: 'wards only under a designated city', got: m.kind, fix: 'remove the wards, or set kind to designated-city' })
    }
    if (m.county !== undefined && (m.kind === 'city' || m.kind === 'designated-city')) {
      problems.push({ path: `${at}.county`, expect: 'a 郡 only for a town or village', got: m.county, fix: 'remove the county of a city' })
    }
    m.wards?.forEach((w, j) => checkCode(w.code, `${at}.wards[${j}].code`, m.code.slice(0, 4)))
  })
  return problems
}

/**
 * Read, validate and deep-freeze a municipality file (firmware-config/municipalities/*.json).
 * @throws KenError KEN_ERR_CONFIG_UNREADABLE when the file cannot be read or parsed,
 *   KEN_ERR_MUNICIPALITIES_INVALID naming every offending entry and the fix
 */
export function loadMunicipalities (file: string, options: { prefectureCode?: string } = {}): MunicipalityFile {
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'))
  } catch (err) {
    throw errors.KEN_ERR_CONFIG_UNREADABLE(`${file}: ${(err as Error).message}`, { cause: err })
  }
  const parsed = municipalityFileSchema.safeParse(raw)
  if (!parsed.success) throw invalid(file, formatIssues(parsed.error, raw, municipalityFileSchema, FILE_HINTS))
  const data = parsed.data
  const expected = options.prefectureCode ?? data.prefectureCode
  const problems = checkMunicipalities(data.municipalities, expected).map((p) => ({ ...p, path: `municipalities${p.path}` }))
  if (data.prefectureCode !== expected) {
    problems.unshift({ path: 'prefectureCode', expect: `the configured prefecture ${expected}`, got: data.prefectureCode, fix: 'point prefecture.municipalities at this prefecture\'s list' })
  }
  if (problems.length > 0) throw invalid(file, problems)
  return deepFreeze(data)
}

function invalid (file: string, problems: readonly Problem[]): Error {
  return errors.KEN_ERR_MUNICIPALITIES_INVALID(`${file}:\n  ${problems.map(renderProblem).join('\n  ')}`, { field: problems[0]?.path })
}
