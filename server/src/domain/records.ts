/**
 * The records of the prefectural files as the store keeps them (SPEC §2.1 別添2, §2.2), and the
 * shape of a decision on an update. Pure types: the rules are in transition.ts / fuhyo-transition.ts.
 */
import type { FuhyoUpdate, IdentityUpdate, Stream } from '../../../proto/src/types.ts'
import type { ReasonCode } from '../../../proto/src/reason-codes.ts'

/** Whether a person is on the register now, or removed (消除者: kept 150 years, SPEC §2.5). */
export type ResidentStatus = 'current' | 'removed'

/**
 * 都道府県知事保存本人確認情報 — one resident's current record (28 items of 別添2).
 * The CS-supplied items are those of IdentityUpdate; the rest the server derives.
 */
export interface ResidentRecord extends Omit<IdentityUpdate, 'previousJuminhyoCode'> {
  /** 市町村コード of the municipality the person is registered in. */
  municipalityCode: string
  status: ResidentStatus
  /** 清音化かな氏名 — search key derived from name_kana (kana.ts). */
  seionKana: string
  /** 通知を受けた年月日 — the date the prefecture received the notification (YYYY-MM-DD). */
  notifiedDate: string
  /** 削除フラグ — set when the record was removed (消除). */
  deleted: boolean
  /** 保存期間フラグ — set while the record is held only for the retention period (removed / history). */
  retentionOnly: boolean
  /** 更新順番号 and stream of the update that produced this state. */
  sequence: number
  stream: Stream
  /** 操作者ID / 操作端末ID / タイムスタンプ of that update. */
  operatorId: string
  terminalId: string
  timestamp: string
}

/** 都道府県知事保存附票本人確認情報 — one 附票 record (18 items, never 個人番号). */
export interface FuhyoRecord extends FuhyoUpdate {
  /** The CS that sent it. */
  municipalityCode: string
  notifiedDate: string
  sequence: number
  stream: Stream
}

/** What the store knows that a decision on an 本人確認情報 update needs (gathered before calling). */
export interface IdentityContext {
  /** The record under the update's 住民票コード — for 住民票コード変更, under previous_juminhyo_code. */
  readonly current: ResidentRecord | undefined
  /** 住民票コード変更 only: whether the new 住民票コード already has a record. */
  readonly targetCodeTaken: boolean
  /** The 住民票コード that holds the update's 個人番号 now, if any. */
  readonly kojinBangoHolder: string | undefined
  /** The municipality of the CS that sent the update (from its certificate). */
  readonly municipalityCode: string
  /** 通知を受けた年月日 to stamp (the store's clock, YYYY-MM-DD). */
  readonly today: string
}

/** A decision: the new state to commit, or a coded rejection (committed as a rejection record). */
export type Decision<R> =
  | { readonly ok: true, readonly next: R, readonly retiredCode?: string }
  | { readonly ok: false, readonly code: ReasonCode, readonly field?: string }
