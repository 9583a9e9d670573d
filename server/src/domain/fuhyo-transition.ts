/**
 * The 附票 file's logic checks (SPEC §2.2; 002 §III 附票 正確性確保: "既に削除されている者に対して、削除を
 * 要求する通知があった場合に当該処理をエラーとする"): the 通知区分 (新規/変更/消除) must fit the record the
 * file holds for the 住民票コード, and only the 附票管理市町村 (the municipality of the 本籍, which keeps
 * the 戸籍の附票, 住基法16条) may write it. Pure, like transition.ts.
 */
import { FuhyoNotice, FuhyoState, type FuhyoUpdate, type Update } from '../../../proto/src/types.ts'
import type { ReasonCode } from '../../../proto/src/reason-codes.ts'
import type { Decision, FuhyoRecord } from './records.ts'

/** What a 附票 decision needs besides the record: the sender (from its certificate) and the server's date. */
export interface FuhyoContext {
  readonly municipalityCode: string
  readonly today: string
}

function refuse (code: ReasonCode, field: string): Decision<FuhyoRecord> {
  return { ok: false, code, field }
}

const CODE = 'fuhyo.juminhyo_code'
const MANAGER = 'fuhyo.fuhyo_municipality_code'

/**
 * Decide a 附票本人確認情報 update against the file.
 * - The update's 附票管理市町村コード must be the sender's; so must the existing record's, for 変更 and
 *   消除 (KEN_REJECT_OTHER_MUNICIPALITY).
 * - 新規 for a 現存 附票: KEN_REJECT_FUHYO_STATE. 新規 for a 消除 附票 re-creates it (a new 附票 after
 *   転籍 back to a municipality, or after the 戸籍 was re-made) — whichever municipality kept the old one.
 * - 変更 or 消除 with no record: KEN_REJECT_FUHYO_STATE; 消除 of a 消除 附票: KEN_REJECT_ALREADY_REMOVED;
 *   DECISION: 変更 of a 消除 附票 is KEN_REJECT_FUHYO_STATE (the notice does not fit the file).
 * @param update an Update that passed validateUpdate, with `fuhyo` set
 * @param current the 附票 record the file holds under the update's 住民票コード
 */
export function decideFuhyoUpdate (update: Update, current: FuhyoRecord | undefined, ctx: FuhyoContext): Decision<FuhyoRecord> {
  const u = update.fuhyo
  if (u === undefined || u === null) return refuse('KEN_REJECT_MISSING_FIELD', 'body')
  if (u.fuhyoMunicipalityCode !== ctx.municipalityCode) return refuse('KEN_REJECT_OTHER_MUNICIPALITY', MANAGER)
  switch (u.notice) {
    case FuhyoNotice.NEW:
      if (current !== undefined && current.state === FuhyoState.CURRENT) return refuse('KEN_REJECT_FUHYO_STATE', 'fuhyo.notice')
      return accept(update, u, ctx)
    case FuhyoNotice.CHANGE:
    case FuhyoNotice.REMOVE:
      if (current === undefined) return refuse('KEN_REJECT_FUHYO_STATE', 'fuhyo.notice')
      if (current.fuhyoMunicipalityCode !== ctx.municipalityCode) return refuse('KEN_REJECT_OTHER_MUNICIPALITY', CODE)
      if (current.state === FuhyoState.REMOVED) {
        return u.notice === FuhyoNotice.REMOVE ? refuse('KEN_REJECT_ALREADY_REMOVED', CODE) : refuse('KEN_REJECT_FUHYO_STATE', 'fuhyo.notice')
      }
      return accept(update, u, ctx)
    default:
      return refuse('KEN_REJECT_BAD_FUHYO_STATE', 'fuhyo.notice')
  }
}

/** The record an accepted 附票 update produces: its 18 items, the sender, the server's date, 更新順番号 and stream. */
function accept (update: Update, u: FuhyoUpdate, ctx: FuhyoContext): Decision<FuhyoRecord> {
  return {
    ok: true,
    next: {
      juminhyoCode: u.juminhyoCode,
      nameKanji: u.nameKanji,
      nameGaijiCount: u.nameGaijiCount,
      nameKana: u.nameKana,
      birthDate: u.birthDate,
      sex: u.sex,
      addressMunicipalityCode: u.addressMunicipalityCode,
      address: u.address,
      addressGaijiCount: u.addressGaijiCount,
      lastAddress: u.lastAddress,
      lastAddressGaijiCount: u.lastAddressGaijiCount,
      changeDate: u.changeDate,
      previousJuminhyoCode: u.previousJuminhyoCode,
      fuhyoMunicipalityCode: u.fuhyoMunicipalityCode,
      state: u.state,
      gaijiFlag: u.gaijiFlag,
      gaijiPattern: u.gaijiPattern,
      notice: u.notice,
      municipalityCode: ctx.municipalityCode,
      notifiedDate: ctx.today,
      sequence: update.sequence,
      stream: update.stream
    }
  }
}
