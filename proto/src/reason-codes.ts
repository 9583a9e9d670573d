/**
 * The reason-code catalogue: the one list of why an update is refused. The same codes travel on the
 * wire (`UpdateResult.reason_code`) and are thrown as {@link KenError}s by the decoder and the domain
 * rules, so a test that asserts `err.code` asserts what the CS will see. docs/reason-codes.md is
 * generated from this table (`node --import tsx proto/src/reason-codes-doc.ts`) and a test keeps them in step.
 */
import { defineErrors } from './ken-error.ts'

/**
 * Where a reason is decided: at the gateway (the payload alone) or in the store (against the file);
 * `reconcile`: a reconciliation chunk, not an update (SPEC §5.3, ReconcileResult.reason_code).
 */
export type ReasonStage = 'decode' | 'field' | 'logic' | 'reconcile'

export interface ReasonSpec {
  readonly message: string
  readonly ja: string
  readonly stage: ReasonStage
  /** Where the rule comes from. */
  readonly source: string
}

/** Every reason an update may be rejected for, with its stable code. Never renumber or reuse a code. */
export const REASONS = {
  // -- decode: the payload itself (SPEC §3: malformed protobuf, unknown fields, oversized)
  KEN_REJECT_MALFORMED: { stage: 'decode', message: 'payload is not a valid ken.v1 protobuf message', ja: 'protobuf として解釈できない', source: 'SPEC §3' },
  KEN_REJECT_UNKNOWN_FIELD: { stage: 'decode', message: 'payload carries a field that ken.v1 does not define', ja: '未定義の項目を含む', source: 'SPEC §3 (fail closed)' },
  KEN_REJECT_DUPLICATE_FIELD: { stage: 'decode', message: 'a singular field or a oneof occurs more than once', ja: '単一項目の重複', source: 'SPEC §3 (fail closed)' },
  KEN_REJECT_UNKNOWN_ENUM: { stage: 'decode', message: 'an enum field carries a value ken.v1 does not define', ja: '未定義の区分値', source: 'SPEC §3 (fail closed)' },
  KEN_REJECT_OVERSIZED: { stage: 'decode', message: 'payload exceeds the configured maximum size', ja: '電文長の上限超過', source: 'SPEC §3' },
  KEN_REJECT_WRONG_MESSAGE_TYPE: { stage: 'decode', message: 'the topic does not accept this message', ja: 'トピックと電文種別の不一致', source: 'SPEC §3 topics v1' },
  // -- field: checks of one update on its own (SPEC §2.3, 別添2)
  KEN_REJECT_MISSING_FIELD: { stage: 'field', message: 'a required item is missing', ja: '必須項目の欠落', source: 'SPEC §2.1' },
  KEN_REJECT_UNEXPECTED_FIELD: { stage: 'field', message: 'an item is set that this 異動事由 or body does not allow', ja: '設定不可の項目の設定', source: 'SPEC §2.4 (e.g. 変更前住民票コード only with 住民票コード変更)' },
  KEN_REJECT_MUNICIPALITY_MISMATCH: { stage: 'field', message: 'municipality code differs from the CS certificate', ja: '市町村コードが証明書と不一致', source: 'SPEC §3' },
  KEN_REJECT_BAD_MUNICIPALITY_CODE: { stage: 'field', message: 'municipality code is not 6 digits with a valid check digit', ja: '市町村コードの形式・検査数字誤り', source: 'SPEC §2.3 (総務省 地方公共団体コード)' },
  KEN_REJECT_BAD_KOJIN_BANGO: { stage: 'field', message: '個人番号 is not 12 digits with a valid check digit', ja: '個人番号の形式・検査用数字誤り', source: 'SPEC §2.3 (番号法施行令8条)' },
  KEN_REJECT_BAD_JUMINHYO_CODE: { stage: 'field', message: '住民票コード is not 11 digits (or fails the configured check digit)', ja: '住民票コードの形式誤り', source: 'SPEC §2.3' },
  KEN_REJECT_BAD_STREAM: { stage: 'field', message: 'stream is neither normal nor 異常時', ja: '更新系列の誤り', source: 'SPEC §3' },
  KEN_REJECT_BAD_SEQUENCE: { stage: 'field', message: '更新順番号 must be a positive integer', ja: '更新順番号の誤り', source: 'SPEC §3' },
  KEN_REJECT_BAD_DATE: { stage: 'field', message: 'a date is not a valid ISO 8601 calendar date', ja: '日付の誤り', source: 'SPEC §2.3' },
  KEN_REJECT_DATE_ORDER: { stage: 'field', message: 'dates are out of order (e.g. change before birth, or in the future)', ja: '日付の前後関係の誤り', source: 'SPEC §2.3' },
  KEN_REJECT_BAD_TIMESTAMP: { stage: 'field', message: 'timestamp is not an ISO 8601 date-time with offset', ja: 'タイムスタンプの誤り', source: 'SPEC §2.1' },
  KEN_REJECT_BAD_TEXT: { stage: 'field', message: 'a text item is empty, too long or holds characters not allowed', ja: '文字項目の誤り', source: 'SPEC §2.1' },
  KEN_REJECT_BAD_KANA: { stage: 'field', message: 'ふりがな is not katakana', ja: 'ふりがなの誤り', source: 'SPEC §2.1' },
  KEN_REJECT_GAIJI_INCONSISTENT: { stage: 'field', message: '外字数 or 外字フラグ does not agree with the text', ja: '外字数・外字フラグの不整合', source: 'SPEC §2.1 (別添2)' },
  KEN_REJECT_BAD_SEX: { stage: 'field', message: 'sex is not 1 (男) or 2 (女)', ja: '性別の誤り', source: 'SPEC §2.1' },
  KEN_REJECT_BAD_CHANGE_REASON: { stage: 'field', message: '異動事由 is missing or not allowed for this body', ja: '異動事由の誤り', source: 'SPEC §2.4' },
  KEN_REJECT_BAD_FUHYO_STATE: { stage: 'field', message: '附票 state or notice kind is missing or inconsistent', ja: '附票状態区分・通知区分の誤り', source: 'SPEC §2.2' },
  // -- logic: against the prefectural file (SPEC §2.4, the assessments' 論理チェック)
  KEN_REJECT_ALREADY_RESIDENT: { stage: 'logic', message: 'a creating event for a person who is already a current resident', ja: '既に住民である者への転入・出生・職権記載', source: 'SPEC §2.4' },
  KEN_REJECT_TENKYO_NON_ADDRESS: { stage: 'logic', message: '転居 changes an item other than the address', ja: '住所以外を変更する転居', source: 'SPEC §2.4' },
  KEN_REJECT_ALREADY_REMOVED: { stage: 'logic', message: 'a removal for a person already removed', ja: '消除済みの者の消除', source: 'SPEC §2.4' },
  KEN_REJECT_UNKNOWN_RESIDENT: { stage: 'logic', message: 'no record for this 住民票コード (and the event does not create one)', ja: '該当する住民票コードなし', source: 'SPEC §2.4' },
  KEN_REJECT_OTHER_MUNICIPALITY: { stage: 'logic', message: 'the resident belongs to another municipality', ja: '他市町村の住民の更新', source: 'SPEC §2.4' },
  KEN_REJECT_NOT_REMOVED: { stage: 'logic', message: 'an event for removed persons on a current resident (e.g. 消除の回復)', ja: '消除されていない者の消除の回復', source: 'SPEC §2.4' },
  KEN_REJECT_REMOVED_RESIDENT: { stage: 'logic', message: 'a change to a removed person other than 消除の回復', ja: '消除済みの者の更新', source: 'SPEC §2.4' },
  KEN_REJECT_KOJIN_BANGO_IN_USE: { stage: 'logic', message: '個人番号 already belongs to another resident', ja: '個人番号の重複', source: '番号法7条 (一人一番号)' },
  KEN_REJECT_KOJIN_BANGO_MISMATCH: { stage: 'logic', message: '個人番号 differs from the file and the event is not 個人番号変更', ja: '個人番号変更以外での個人番号の相違', source: '番号法7条2項 (変更は個人番号変更のみ)' },
  KEN_REJECT_JUMINHYO_CODE_IN_USE: { stage: 'logic', message: 'the new 住民票コード already belongs to another record', ja: '住民票コードの重複', source: '住基法30条の3' },
  KEN_REJECT_NO_CHANGE: { stage: 'logic', message: 'the event changes nothing it is meant to change', ja: '変更内容なし', source: 'SPEC §2.4' },
  KEN_REJECT_RECONCILE_CHUNK_ORDER: { stage: 'reconcile', message: 'a reconciliation chunk beyond the next one expected (resume from the last acknowledged chunk + 1)', ja: '整合性確認の分割番号の順序誤り', source: 'SPEC §5.3 (resumable by chunk)' },
  KEN_REJECT_RECONCILE_SESSION: { stage: 'reconcile', message: 'a reconciliation chunk that does not fit its run (chunk count or 基準日 changed, or index out of range)', ja: '整合性確認の実行単位との不整合', source: 'SPEC §5.3' },
  KEN_REJECT_FUHYO_STATE: { stage: 'logic', message: '附票 notice does not fit the 附票 file (new for existing, change/remove for missing)', ja: '附票ファイルとの不整合', source: 'SPEC §2.2' }
} as const satisfies Record<string, ReasonSpec>

export type ReasonCode = keyof typeof REASONS

/** Throwable factories: `reject.KEN_REJECT_BAD_DATE(undefined, { field: 'birth_date' })`. */
export const reject = defineErrors(REASONS)

/** True for a string that is a code of this catalogue. */
export function isReasonCode (code: string): code is ReasonCode {
  return Object.hasOwn(REASONS, code)
}
