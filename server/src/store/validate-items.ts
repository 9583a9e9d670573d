/**
 * The checks the store makes on what `append` is given, before anything is queued (STYLE.md: the
 * public method validates). The gateway has already run validateUpdate; these are the invariants
 * the store itself relies on (keys, indexes, dedup), so a broken caller cannot corrupt the file.
 * A failure refuses the whole request: nothing of it is committed.
 */
import { ChangeReason, Stream, type AppendItem } from '../../../proto/src/types.ts'
import { isReasonCode } from '../../../proto/src/reason-codes.ts'
import { errors } from './errors.ts'

const MUNICIPALITY = /^[0-9]{6}$/
const JUMINHYO = /^[0-9]{11}$/
const KOJIN = /^[0-9]{12}$/

/** @throws KEN_ERR_STORE_INVALID_ITEM naming the item index and field */
export function validateItems (items: readonly AppendItem[]): void {
  if (!Array.isArray(items)) throw errors.KEN_ERR_STORE_INVALID_ITEM('items must be an array', { field: 'items' })
  items.forEach((item, i) => validateItem(item, `items[${i}]`))
}

function validateItem (item: AppendItem, at: string): void {
  const fail = (field: string, why: string): never => { throw errors.KEN_ERR_STORE_INVALID_ITEM(`${at}.${field}: ${why}`, { field: `${at}.${field}` }) }
  if (typeof item !== 'object' || item === null) fail('', 'not an object')
  if (typeof item.municipalityCode !== 'string' || !MUNICIPALITY.test(item.municipalityCode)) fail('municipality_code', 'not 6 digits')
  if (!(item.payloadSha256 instanceof Uint8Array) || (item.payloadSha256.length !== 0 && item.payloadSha256.length !== 32)) fail('payload_sha256', 'not 0 or 32 bytes')
  const update = item.update ?? undefined
  const rejection = item.rejection ?? undefined
  if ((update === undefined) === (rejection === undefined)) fail('item', 'exactly one of update and rejection')
  if (rejection !== undefined) {
    if (!isReasonCode(rejection.reasonCode)) fail('rejection.reason_code', 'not a KEN_REJECT_* code')
    if (rejection.stream !== Stream.UNSPECIFIED && rejection.stream !== Stream.NORMAL && rejection.stream !== Stream.ABNORMAL) fail('rejection.stream', 'undefined stream')
    if (!Number.isSafeInteger(rejection.sequence) || rejection.sequence < 0) fail('rejection.sequence', 'not a non-negative integer')
    return
  }
  if (update === undefined) return
  // SPEC §3: the certificate's municipality is the sender; the gateway refuses a payload that disagrees.
  if (update.municipalityCode !== item.municipalityCode) fail('update.municipality_code', 'differs from the item (certificate) municipality')
  if (update.stream !== Stream.NORMAL && update.stream !== Stream.ABNORMAL) fail('update.stream', 'neither normal nor 異常時')
  if (!Number.isSafeInteger(update.sequence) || update.sequence < 1) fail('update.sequence', 'not a positive integer')
  const identity = update.identity ?? undefined
  const fuhyo = update.fuhyo ?? undefined
  if ((identity === undefined) === (fuhyo === undefined)) fail('update.body', 'exactly one of identity and fuhyo')
  if (identity !== undefined) {
    if (!JUMINHYO.test(identity.juminhyoCode)) fail('update.identity.juminhyo_code', 'not 11 digits')
    if (!KOJIN.test(identity.kojinBango)) fail('update.identity.kojin_bango', 'not 12 digits')
    if (identity.changeReason === ChangeReason.JUMINHYO_CODE_HENKO && !JUMINHYO.test(identity.previousJuminhyoCode)) fail('update.identity.previous_juminhyo_code', 'not 11 digits')
  } else if (fuhyo !== undefined && !JUMINHYO.test(fuhyo.juminhyoCode)) {
    fail('update.fuhyo.juminhyo_code', 'not 11 digits')
  }
}
