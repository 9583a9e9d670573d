/**
 * The 異動事由 logic of SPEC §2.4: (the prefectural file's current state, an update) → the new state
 * to commit, or a coded rejection. These are the 論理チェック of the assessments ("現存する住民に対して
 * 転入を異動事由とする更新…転居を異動事由とする更新の際に住所以外の更新…当該処理をエラーとする",
 * 000/002 §III リスク3 正確性確保) made complete for every 異動事由. Pure: the store gathers the
 * IdentityContext, calls this, and commits either `next` or a rejection record. The update is expected
 * to have passed validateUpdate (formats, check digits, dates, 外字); this file decides only what needs
 * the file, and still refuses a missing body or an undefined 異動事由 rather than guessing.
 *
 * Decisions on rules the sources leave open are marked DECISION and listed in docs/domain-rules.md.
 */
import { ChangeReason, type IdentityUpdate, type Update } from '../../../proto/src/types.ts'
import type { ReasonCode } from '../../../proto/src/reason-codes.ts'
import type { Decision, IdentityContext, ResidentRecord } from './records.ts'
import { changeKindOf, MOVING_IN, type ChangeKind } from './change-reasons.ts'
import { buildResidentRecord, differingItems, PERSON_ITEMS, TENKYO_MAY_CHANGE } from './resident-record.ts'

type Refusal = Extract<Decision<ResidentRecord>, { ok: false }>

function refuse (code: ReasonCode, field: string): Refusal {
  return { ok: false, code, field }
}

const CODE = 'identity.juminhyo_code'
const PREVIOUS_CODE = 'identity.previous_juminhyo_code'
const KOJIN_BANGO = 'identity.kojin_bango'

/**
 * Decide an 本人確認情報 update against the file.
 * @param update an Update that passed validateUpdate, with `identity` set
 * @param ctx the record under the update's 住民票コード (under previous_juminhyo_code for 住民票コード変更),
 *   whether the new code is taken, who holds the 個人番号, the sender and the server's date
 */
export function decideIdentityUpdate (update: Update, ctx: IdentityContext): Decision<ResidentRecord> {
  const u = update.identity
  if (u === undefined || u === null) return refuse('KEN_REJECT_MISSING_FIELD', 'body')
  const kind = changeKindOf(u.changeReason)
  if (kind === undefined) return refuse('KEN_REJECT_BAD_CHANGE_REASON', 'identity.change_reason')
  if (kind === 'create') return decideCreate(update, u, ctx)
  return decideExisting(update, u, ctx, kind)
}

/**
 * 転入, 特例転入, 出生, 職権記載, 国外からの転入.
 * - No record: created.
 * - A current record: KEN_REJECT_ALREADY_RESIDENT (SPEC §2.4) — except DECISION "転入 before 転出":
 *   a 転入/特例転入/職権記載 for a person still current in ANOTHER municipality of the prefecture is
 *   accepted and moves the record to the sender. Each CS's updates are ordered only on its own link
 *   (SPEC §3), and the new municipality's 転入 can overtake the old one's 転出 (an outage, the 異常時
 *   stream, 特例転入 where the 転出証明書情報 and the 転出確定 follow the 転入 — 001 別添1 7-②, 7-⑧).
 *   The 転入届 is made to the new municipality (住基法22条), which keeps the 住民票 from then on, so the
 *   file follows it; the old municipality's late 転出 is then refused KEN_REJECT_OTHER_MUNICIPALITY,
 *   and its rejection record keeps that 転出 in the log. 出生 and 国外からの転入 never take over: such a person is current nowhere.
 * - A removed record (消除者 under the same 住民票コード, which stays with a person for life unless changed
 *   under 住基法30条の4): a person who moved out of the prefecture and back, returned from abroad, or
 *   whose removal by 転出 was processed before this 転入 — re-created as current under the sender.
 *   DECISION: 出生 is KEN_REJECT_JUMINHYO_CODE_IN_USE (a newborn is given a new code, 住基法30条の3;
 *   a used one means a code collision, not a resident). DECISION: a record removed by 死亡 is not
 *   re-created by any creating event (KEN_REJECT_REMOVED_RESIDENT): the death must first be undone
 *   by 消除の回復 of the municipality that recorded it.
 */
function decideCreate (update: Update, u: IdentityUpdate, ctx: IdentityContext): Decision<ResidentRecord> {
  const current = ctx.current
  if (current !== undefined) {
    if (current.status === 'current') {
      const movingIn = MOVING_IN.has(u.changeReason) && current.municipalityCode !== ctx.municipalityCode
      if (!movingIn) return refuse('KEN_REJECT_ALREADY_RESIDENT', CODE)
    } else {
      if (u.changeReason === ChangeReason.SHUSSEI) return refuse('KEN_REJECT_JUMINHYO_CODE_IN_USE', CODE)
      if (current.changeReason === ChangeReason.SHIBOU) return refuse('KEN_REJECT_REMOVED_RESIDENT', CODE)
    }
  }
  const held = kojinBangoHeldByAnother(ctx, u.juminhyoCode)
  if (held !== undefined) return held
  return accept(update, u, ctx, 'current')
}

/** Every event on an existing record: who may touch it and in which status, then the event's own rule. */
function decideExisting (update: Update, u: IdentityUpdate, ctx: IdentityContext, kind: Exclude<ChangeKind, 'create'>): Decision<ResidentRecord> {
  const codeChange = kind === 'juminhyo-code'
  const ownCode = codeChange ? u.previousJuminhyoCode : u.juminhyoCode
  const current = ctx.current
  if (current === undefined) return refuse('KEN_REJECT_UNKNOWN_RESIDENT', codeChange ? PREVIOUS_CODE : CODE)
  // SPEC §2.4: a CS writes only residents of its own municipality (who registered or removed them).
  if (current.municipalityCode !== ctx.municipalityCode) return refuse('KEN_REJECT_OTHER_MUNICIPALITY', CODE)
  const status = checkStatus(current, kind)
  if (status !== undefined) return status
  const held = kojinBangoHeldByAnother(ctx, ownCode)
  if (held !== undefined) return held
  // DECISION: 番号法7条2項 — a 個人番号 changes only by 個人番号変更; any other event that carries a
  // different one disagrees with the file (cf. 004 §III: "すでに個人番号が紐付いている人に、以前と異なる
  // 個人番号を紐付けようとした場合"). 転居 reports it as TENKYO_NON_ADDRESS like any non-address item.
  if (kind !== 'kojin-bango' && kind !== 'tenkyo' && u.kojinBango !== current.kojinBango) return refuse('KEN_REJECT_KOJIN_BANGO_MISMATCH', KOJIN_BANGO)
  switch (kind) {
    case 'remove':
      return accept(update, u, ctx, 'removed')
    case 'restore':
      return accept(update, u, ctx, 'current')
    case 'tenkyo':
      return decideTenkyo(update, u, ctx, current)
    case 'modify':
      // 職権修正 / 氏名等の変更 exist to change an item; one that changes none is an error of the CS.
      return differingItems(current, u).length === 0 ? refuse('KEN_REJECT_NO_CHANGE', 'identity') : accept(update, u, ctx, 'current')
    case 'kojin-bango':
      return u.kojinBango === current.kojinBango ? refuse('KEN_REJECT_NO_CHANGE', KOJIN_BANGO) : accept(update, u, ctx, 'current')
    case 'juminhyo-code':
      // 住基法30条の4: the new code is one no other record has (30条の3 uniqueness).
      if (ctx.targetCodeTaken) return refuse('KEN_REJECT_JUMINHYO_CODE_IN_USE', CODE)
      return { ...accept(update, u, ctx, 'current'), retiredCode: u.previousJuminhyoCode }
  }
}

/**
 * Removals need a current resident ("既に削除されている者に対して、削除を要求する通知…エラー",
 * 002 §III for the 附票, applied alike here); 消除の回復 needs a removed one; everything else a current one.
 */
function checkStatus (current: ResidentRecord, kind: Exclude<ChangeKind, 'create'>): Refusal | undefined {
  const removed = current.status === 'removed'
  if (kind === 'remove') return removed ? refuse('KEN_REJECT_ALREADY_REMOVED', CODE) : undefined
  if (kind === 'restore') return removed ? undefined : refuse('KEN_REJECT_NOT_REMOVED', CODE)
  return removed ? refuse('KEN_REJECT_REMOVED_RESIDENT', CODE) : undefined
}

/** 転居: only the address and what describes it may differ, and the address must. */
function decideTenkyo (update: Update, u: IdentityUpdate, ctx: IdentityContext, current: ResidentRecord): Decision<ResidentRecord> {
  const other = differingItems(current, u).find((item) => !TENKYO_MAY_CHANGE.has(item))
  if (other !== undefined) return refuse('KEN_REJECT_TENKYO_NON_ADDRESS', PERSON_ITEMS[other])
  if (u.address === current.address) return refuse('KEN_REJECT_NO_CHANGE', PERSON_ITEMS.address)
  return accept(update, u, ctx, 'current')
}

/** 番号法7条 (one number, one person): the 個人番号 may be held by no other 住民票コード. */
function kojinBangoHeldByAnother (ctx: IdentityContext, ownCode: string): Refusal | undefined {
  const holder = ctx.kojinBangoHolder
  return holder !== undefined && holder !== ownCode ? refuse('KEN_REJECT_KOJIN_BANGO_IN_USE', KOJIN_BANGO) : undefined
}

function accept (update: Update, u: IdentityUpdate, ctx: IdentityContext, status: ResidentRecord['status']): { readonly ok: true, readonly next: ResidentRecord } {
  return { ok: true, next: buildResidentRecord(update, u, ctx.municipalityCode, ctx.today, status) }
}
