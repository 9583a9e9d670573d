/**
 * 本人確認情報検索 (SPEC §6, A2): by 住民票コード, by 個人番号, or by 4情報 with at least two of
 * 氏名/住所/生年月日 — 性別 never counts (A2.4, the stricter CS rule adopted as default). Candidates come
 * from the search index view (blind indexes, search-keys.ts) and are narrowed on the sealed records;
 * more than the cap answers "narrow the conditions" with no hit (A2.6); there is no way to list
 * residents without conditions. A person not in the file is asked of the national server (A2.3).
 */
import { isKenError } from '../../../../proto/src/ken-error.ts'
import type { SearchHit, SearchQuery, SearchResult } from '../../../../proto/src/types.ts'
import type { ErrorFactory } from '../../../../proto/src/ken-error.ts'
import type { ResidentRecord } from '../../domain/records.ts'
import { isIsoDate } from '../../domain/dates.ts'
import { toSeionKana } from '../../domain/kana.ts'
import { isKanaInput, normalizeAddress, normalizeKana, normalizeKanjiName } from '../search-keys.ts'
import type { TerminalContext } from './context.ts'
import { errors } from './errors.ts'
import { LIST_ITEMS, type Purpose } from './purposes.ts'
import { nationalValues, pickItems, recordValues } from './record-items.ts'
import type { Session } from './sessions.ts'

export type SearchMode = 'juminhyo' | 'kojin' | 'four'

/** The mode of a query, or the refusal its conditions earn. */
export function searchMode (q: SearchQuery): SearchMode | { readonly error: ErrorFactory, readonly field: string } {
  const four = [q.name, q.address, q.birthDate].filter((v) => v.trim() !== '').length
  const others = four + (q.sex !== 0 ? 1 : 0)
  if (q.juminhyoCode !== '') {
    if (!/^[0-9]{11}$/.test(q.juminhyoCode)) return { error: errors.KEN_ERR_TERM_BAD_REQUEST, field: 'juminhyoCode' }
    return q.kojinBango === '' && others === 0 ? 'juminhyo' : { error: errors.KEN_ERR_TERM_BAD_REQUEST, field: 'juminhyoCode' }
  }
  if (q.kojinBango !== '') {
    if (!/^[0-9]{12}$/.test(q.kojinBango)) return { error: errors.KEN_ERR_TERM_BAD_REQUEST, field: 'kojinBango' }
    return others === 0 ? 'kojin' : { error: errors.KEN_ERR_TERM_BAD_REQUEST, field: 'kojinBango' }
  }
  if (four < 2) return { error: errors.KEN_ERR_TERM_SEARCH_CONDITIONS, field: 'conditions' }
  if (q.birthDate !== '' && !isIsoDate(q.birthDate)) return { error: errors.KEN_ERR_TERM_BAD_REQUEST, field: 'birthDate' }
  if (q.name.length > 64 || q.address.length > 256) return { error: errors.KEN_ERR_TERM_BAD_REQUEST, field: 'conditions' }
  return 'four'
}

export interface SearchOutcome {
  readonly result: SearchResult
  /** The 住民票コード of the hits shown (for the act's subjects). */
  readonly codes: string[]
  /** Matches found (also when too many to show). */
  readonly matched: number
}

export async function runSearch (ctx: TerminalContext, session: Session, purpose: Purpose, q: SearchQuery, mode: SearchMode): Promise<SearchOutcome> {
  const records = await localMatches(ctx, q, mode)
  const shown = LIST_ITEMS.filter((item) => purpose.items.includes(item))
  if (records === 'too-many' || records.length > ctx.options.resultCap) {
    return { result: { hits: [], tooMany: true, national: '' }, codes: [], matched: records === 'too-many' ? ctx.options.candidateCap : records.length }
  }
  if (records.length > 0) {
    const hits: SearchHit[] = records.map((r) => ({
      ref: ctx.sessions.remember(session, { juminhyoCode: r.juminhyoCode, purpose: purpose.code }),
      items: pickItems(recordValues(r), shown),
      removed: r.status === 'removed'
    }))
    return { result: { hits, tooMany: false, national: '' }, codes: records.map((r) => r.juminhyoCode), matched: records.length }
  }
  const answer = await ctx.national.search({ purpose: purpose.code, juminhyoCode: q.juminhyoCode, kojinBango: q.kojinBango, name: q.name, address: q.address, birthDate: q.birthDate, sex: q.sex })
  if (answer.status !== 'answered') return { result: { hits: [], tooMany: false, national: answer.status }, codes: [], matched: 0 }
  if (answer.persons.length > ctx.options.resultCap) return { result: { hits: [], tooMany: true, national: 'answered' }, codes: [], matched: answer.persons.length }
  const hits = answer.persons.map((p) => ({
    ref: ctx.sessions.remember(session, { juminhyoCode: p.juminhyoCode, purpose: purpose.code, national: p }),
    items: pickItems(nationalValues(p), shown),
    removed: false
  }))
  return { result: { hits, tooMany: false, national: 'answered' }, codes: answer.persons.map((p) => p.juminhyoCode), matched: hits.length }
}

export async function localMatches (ctx: TerminalContext, q: SearchQuery, mode: SearchMode): Promise<ResidentRecord[] | 'too-many'> {
  const store = ctx.store
  if (mode === 'juminhyo') {
    const r = await readable(store.getCurrent(q.juminhyoCode))
    return r === undefined ? [] : [r]
  }
  if (mode === 'kojin') {
    const code = await store.findByKojinBango(q.kojinBango)
    const r = code === undefined ? undefined : await readable(store.getCurrent(code))
    return r === undefined ? [] : [r]
  }
  const numbers = await store.searchResidents({ name: q.name.trim(), birthDate: q.birthDate }, ctx.options.candidateCap + 1)
  if (numbers.length > ctx.options.candidateCap) return 'too-many'
  const out: ResidentRecord[] = []
  for (const number of numbers) {
    const r = await readable(store.getCurrentByNumber(number))
    if (r !== undefined && matches(r, q)) out.push(r)
  }
  return out
}

/**
 * SPEC §2.5: a person whose keys were destroyed (物理削除, or the retention job) is no longer in the
 * file — the views and the blind index may still name the subject, but nothing of them can be read.
 */
async function readable (read: Promise<ResidentRecord | undefined>): Promise<ResidentRecord | undefined> {
  try {
    return await read
  } catch (err) {
    if (isKenError(err) && err.code === 'KEN_ERR_STORE_KEY_ERASED') return undefined
    throw err
  }
}

function matches (r: ResidentRecord, q: SearchQuery): boolean {
  const name = q.name.trim()
  if (name !== '') {
    if (isKanaInput(name)) {
      // Fuzzy (あいまい) compares 清音化かな (濁点, small kana, ー dropped); exact compares the reading.
      if (q.fuzzy ? toSeionKana(r.nameKana) !== toSeionKana(name) : normalizeKana(r.nameKana) !== normalizeKana(name)) return false
    } else if (normalizeKanjiName(r.nameKanji) !== normalizeKanjiName(name)) {
      return false
    }
  }
  if (q.birthDate !== '' && r.birthDate !== q.birthDate) return false
  if (q.address.trim() !== '' && !normalizeAddress(r.address).includes(normalizeAddress(q.address))) return false
  return q.sex === 0 || r.sex === q.sex
}
