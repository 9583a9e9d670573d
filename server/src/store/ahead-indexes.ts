/**
 * The blind indexes the index worker made ahead for 本人確認情報 updates (index-ahead.ts), kept until
 * the planner asks for them (keyring.ts). One Map entry per update, under its 住民票コード (and under
 * the code a 住民票コード変更 replaces): its subject, 個人番号 token, content tag and search keys are all
 * found from there. One map per kind of index (four sets and four deletes per update, and each index
 * then set again in the keyring's memo) cost the store's serial thread ~10 % of its time (issue 18).
 *
 * Only a performance step, as index-ahead.ts: an index is handed out only for the very values it was
 * made of (every one compared), so an entry that is stale, or belongs to another update of the same
 * person, is never wrong — the keyring then computes the index itself.
 */
import type { DigestInput } from '../../../proto/src/reconcile-digest.ts'
import type { SearchNames } from './blind-index.ts'
import type { AheadTokens } from './index-ahead.ts'

/** Updates kept and not used yet; past this the set starts over (an entry whose update was refused is never taken). */
export const AHEAD_LIMIT = 65536

export class AheadIndexes {
  readonly #byCode = new Map<string, AheadTokens>()
  readonly #limit: number
  /**
   * The entry last found by code: a 個人番号 is looked up in it, never in a map of its own — prefetch.ts
   * and planner.ts ask for an update's 個人番号 token right after its subject.
   */
  #last: AheadTokens | undefined

  constructor (limit = AHEAD_LIMIT) {
    this.#limit = limit
  }

  /** Codes held (an update's own, and the one its 住民票コード変更 replaces). */
  get size (): number {
    return this.#byCode.size
  }

  /**
   * Keep an 本人確認情報 update's indexes (one with search keys). A later update of the same code takes
   * its place: its subject is the same, and its other indexes are compared before use.
   */
  learn (t: AheadTokens): void {
    if (this.#byCode.size >= this.#limit) this.#byCode.clear()
    this.#byCode.set(t.code, t)
    if (t.previousSubject !== undefined) this.#byCode.set(t.previousCode, t)
  }

  /** The blind index of a 住民票コード, when an update held names it. */
  subject (code: string): Buffer | undefined {
    const t = this.#byCode.get(code)
    if (t === undefined) return undefined
    this.#last = t
    return code === t.code ? t.subject : code === t.previousCode ? t.previousSubject : undefined
  }

  /** The blind index of a 個人番号, when it is that of the update last found by {@link subject}. */
  kojin (kojinBango: string): Buffer | undefined {
    const t = this.#last
    return t !== undefined && kojinBango !== '' && t.kojinBango === kojinBango ? t.kojinToken : undefined
  }

  /** The content tag of a record made of exactly the update's reconciliation items, else undefined. */
  contentTag (r: DigestInput): Buffer | undefined {
    const digest = this.#byCode.get(r.juminhyoCode)?.digest
    if (digest === undefined) return undefined
    const a = digest.input
    return a.juminhyoCode === r.juminhyoCode && a.nameKanji === r.nameKanji && a.nameKana === r.nameKana && a.birthDate === r.birthDate && a.sex === r.sex &&
      a.address === r.address && a.kojinBango === r.kojinBango && a.changeReason === r.changeReason && a.changeDate === r.changeDate
      ? digest.tag
      : undefined
  }

  /**
   * The search keys of a record with the update's 住民票コード and names, else undefined. The last index
   * the planner asks of an accepted update (planner.ts planIdentity, after its content tag): the
   * entry leaves here, under each code it is held by.
   */
  searchKeys (r: SearchNames & { readonly juminhyoCode: string }): Buffer[] | undefined {
    const t = this.#byCode.get(r.juminhyoCode)
    if (t === undefined || t.code !== r.juminhyoCode || t.searchKeys === undefined || t.names === undefined) return undefined
    const names = t.names
    if (names.nameKana !== r.nameKana || names.nameKanji !== r.nameKanji || names.birthDate !== r.birthDate) return undefined
    this.#byCode.delete(t.code)
    if (t.previousSubject !== undefined && this.#byCode.get(t.previousCode) === t) this.#byCode.delete(t.previousCode)
    return t.searchKeys
  }

  clear (): void {
    this.#byCode.clear()
    this.#last = undefined
  }
}
