/**
 * The keys of the search index view (SPEC §4 "search index by 清音化かな氏名 + 生年月日 (+ 住所, 性別)",
 * §6 4情報 search). A key is a blind index (HMAC under the appliance's index key, keyring.ts) of one
 * normalised value, so no name or date is on disk in clear (SPEC §4, docs/store-contract.md):
 * - `S` 清音化かな ‖ 生年月日 — the usual 氏名 + 生年月日 search, exact or fuzzy
 * - `N` 清音化かな alone — 氏名 (かな) + 住所 without a date
 * - `B` 生年月日 alone — 住所 + 生年月日 without a name, and 漢字氏名 + 生年月日 (narrowed by the name)
 * - `K` 漢字氏名 (NFKC, no spaces) — 漢字氏名 + 住所 without a date (requirements H5)
 * 住所 and 性別 are never keys: they only narrow candidates found by a key (two conditions are always
 * required, and 性別 never counts as one — A2.4).
 */
import { toSeionKana } from '../domain/kana.ts'

export type SearchDomain = 'S' | 'N' | 'B' | 'K'

/** Makes the blind index of one normalised value (Keyring#searchToken). */
export type SearchTokenizer = (domain: SearchDomain, value: string) => Buffer

const SPACES = /[\s\u3000]/gu
const KANA = /^[\u3041-\u3096\u309d\u309e\u30a1-\u30fa\u30fc\u30fd\u30fe\u31f0-\u31ff\u30fb\uff66-\uff9f\s\u3000]+$/u

/** 漢字氏名 as the index keeps it: NFKC, no spaces of any width. */
export function normalizeKanjiName (name: string): string {
  return name.normalize('NFKC').replace(SPACES, '')
}

/** 住所 as the search compares it: NFKC, no spaces. */
export function normalizeAddress (address: string): string {
  return address.normalize('NFKC').replace(SPACES, '')
}

/** ふりがな as the exact search compares it: NFKC, hiragana → katakana, no spaces. */
export function normalizeKana (kana: string): string {
  let out = ''
  for (const ch of kana.normalize('NFKC').replace(SPACES, '')) {
    const cp = ch.codePointAt(0) ?? 0
    out += cp >= 0x3041 && cp <= 0x3096 ? String.fromCodePoint(cp + 0x60) : ch
  }
  return out
}

/** True when a name the operator typed is a reading (kana) rather than 漢字. */
export function isKanaInput (name: string): boolean {
  return KANA.test(name)
}

/** The search keys of one record (the effect of an accepted 本人確認情報 update carries them). */
export function recordSearchKeys (token: SearchTokenizer, r: { readonly nameKana: string, readonly nameKanji: string, readonly birthDate: string }): Buffer[] {
  const keys: Buffer[] = []
  recordSearchValues(r, (domain, value) => { keys.push(token(domain, value)) })
  return keys
}

/**
 * The normalised values of a record's search keys, in the order of {@link recordSearchKeys}, each
 * handed to `each`; returns how many (1–4). For a caller that makes the keys later, many at a time
 * (index-worker.ts).
 */
export function recordSearchValues (r: { readonly nameKana: string, readonly nameKanji: string, readonly birthDate: string }, each: (domain: SearchDomain, value: string) => void): number {
  const seion = toSeionKana(r.nameKana)
  let count = 1
  each('B', r.birthDate)
  if (seion !== '') {
    each('S', `${seion}\u0000${r.birthDate}`)
    each('N', seion)
    count += 2
  }
  const kanji = normalizeKanjiName(r.nameKanji)
  if (kanji !== '') {
    each('K', kanji)
    count++
  }
  return count
}

/**
 * The index key of one search condition set: the most selective key its conditions make, or
 * undefined when they make none (no name and no date).
 */
export function querySearchKey (token: SearchTokenizer, q: { readonly name: string, readonly birthDate: string }): Buffer | undefined {
  if (q.name !== '' && isKanaInput(q.name)) {
    const seion = toSeionKana(q.name)
    return q.birthDate !== '' ? token('S', `${seion}\u0000${q.birthDate}`) : token('N', seion)
  }
  if (q.birthDate !== '') return token('B', q.birthDate)
  return q.name !== '' ? token('K', normalizeKanjiName(q.name)) : undefined
}
