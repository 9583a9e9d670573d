/**
 * The keys of the search index view (SPEC §4 "search index by 清音化かな氏名 + 生年月日 (+ 住所, 性別)",
 * §6 4情報 search). A key is made of blind indexes (PRFs under the appliance's search key, keyring.ts)
 * of normalised values, so no name or date is on disk in clear (SPEC §4, docs/store-contract.md).
 * Three per resident since views v5 (docs/terminal.md "Search"):
 * - `N ‖ B'` PRF_N(清音化かな) ‖ the first {@link DATE_TOKEN_BYTES} bytes of PRF_B(生年月日) — the usual
 *   氏名 + 生年月日 search reads the range of the whole 24 bytes; 氏名 (かな) + 住所 without a date
 *   reads the range of PRF_N alone (the store's keys are sorted, so a prefix is a range read)
 * - `B` PRF_B(生年月日) — 住所 + 生年月日 without a name, and 漢字氏名 + 生年月日 (narrowed by the name)
 * - `K` PRF_K(漢字氏名, NFKC, no spaces) — 漢字氏名 + 住所 without a date (requirements H5)
 * Up to views v4 a fourth key, `S` = PRF(清音化かな ‖ 生年月日), answered the 氏名 + 生年月日 search;
 * `N ‖ B'` answers it with the same candidates and one key (and one LevelDB compaction's work, which
 * is per key: bench/results/2026-11-30-session13-views8-ab.txt) fewer per resident.
 * What the merged key reveals to a reader of the disk: which residents share a 清音化かな (as `N`
 * did), and among them which share a 生年月日 — which `B` already reveals for every resident (and a
 * resident's keys all end with its number, so they were linkable already). B' is B's own prefix: a
 * truncated PRF is a PRF, and it reveals nothing B does not; 64 bits keep two dates of one かな apart
 * (a collision would only add candidates, which the sealed records narrow: terminal/search.ts matches).
 * 住所 and 性別 are never keys: they only narrow candidates found by a key (two conditions are always
 * required, and 性別 never counts as one — A2.4).
 */
import { toSeionKana } from '../domain/kana.ts'
import { TOKEN_BYTES } from './layout.ts'

export type SearchDomain = 'N' | 'B' | 'K'

/** Bytes of PRF_B(生年月日) the merged key `N ‖ B'` carries after PRF_N(清音化かな). */
export const DATE_TOKEN_BYTES = 8

/** Which tokens {@link recordSearchValues} made besides `B` (its return value; the index worker posts it). */
export const SearchShape = { KANA: 1, KANJI: 2 } as const

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
  const tokens: Buffer[] = []
  const shape = recordSearchValues(r, (domain, value) => { tokens.push(token(domain, value)) })
  let at = 0
  return searchKeysOf(shape, () => tokens[at++] as Buffer)
}

/**
 * The normalised values of a record's search tokens, each handed to `each`: `B` (生年月日), then `N`
 * (清音化かな) when there is one, then `K` (漢字氏名) when there is one. Returns their shape
 * ({@link SearchShape}) for {@link searchKeysOf}. For a caller that makes the tokens later, many at a
 * time (index-worker.ts).
 */
export function recordSearchValues (r: { readonly nameKana: string, readonly nameKanji: string, readonly birthDate: string }, each: (domain: SearchDomain, value: string) => void): number {
  const seion = toSeionKana(r.nameKana)
  let shape = 0
  each('B', r.birthDate)
  if (seion !== '') {
    each('N', seion)
    shape |= SearchShape.KANA
  }
  const kanji = normalizeKanjiName(r.nameKanji)
  if (kanji !== '') {
    each('K', kanji)
    shape |= SearchShape.KANJI
  }
  return shape
}

/** How many tokens a {@link recordSearchValues} shape stands for. */
export function searchTokenCount (shape: number): number {
  return 1 + (shape & SearchShape.KANA) + ((shape & SearchShape.KANJI) >> 1)
}

/**
 * A record's search keys from its tokens, taken from `next` in the order {@link recordSearchValues}
 * handed their values: `B`, `N ‖ B'` (with a かな), `K` (with a 漢字氏名).
 */
export function searchKeysOf (shape: number, next: () => Buffer): Buffer[] {
  const date = next()
  const keys = [date]
  if ((shape & SearchShape.KANA) !== 0) keys.push(nameDateKey(next(), date))
  if ((shape & SearchShape.KANJI) !== 0) keys.push(next())
  return keys
}

/**
 * The search keys an entry's effect carries, as the views file them since views v5. The log is never
 * rewritten (SPEC §4), so an entry written before carries B, S, N (and K) — 16 bytes each, S and N
 * right after B (recordSearchKeys' order since the index began) — and a migration replays it
 * (recovery.ts): S is dropped and N becomes `N ‖ B'`, so the old entries answer every query as new
 * ones do. A newer entry's second key, when it has three, is the 24-byte `N ‖ B'`: kept as it is.
 */
export function viewSearchKeys (keys: Uint8Array[]): Uint8Array[] {
  const [date, second, name] = keys
  if (date === undefined || second === undefined || name === undefined || second.length !== TOKEN_BYTES) return keys
  return [date, nameDateKey(name, date), ...keys.slice(3)]
}

/** The merged key: PRF_N(清音化かな) ‖ PRF_B(生年月日)'s first {@link DATE_TOKEN_BYTES} bytes. */
function nameDateKey (name: Uint8Array, date: Uint8Array): Buffer {
  const key = Buffer.allocUnsafe(name.length + DATE_TOKEN_BYTES)
  key.set(name, 0)
  key.set(date.subarray(0, DATE_TOKEN_BYTES), name.length)
  return key
}

/**
 * The index key prefix of one search condition set: the most selective prefix its conditions make,
 * or undefined when they make none (no name and no date). A かな name reads `N ‖ B'` (with a date) or
 * every `N ‖ *` (without).
 */
export function querySearchKey (token: SearchTokenizer, q: { readonly name: string, readonly birthDate: string }): Buffer | undefined {
  if (q.name !== '' && isKanaInput(q.name)) {
    const name = token('N', toSeionKana(q.name))
    return q.birthDate !== '' ? nameDateKey(name, token('B', q.birthDate)) : name
  }
  if (q.birthDate !== '') return token('B', q.birthDate)
  return q.name !== '' ? token('K', normalizeKanjiName(q.name)) : undefined
}
