/**
 * The client's encoding of an AppendRequest (store.proto). An update the gateway decoded strictly
 * from a CS payload travels as those very bytes: an embedded message is length-delimited on the
 * wire (protobuf encoding spec, "Embedded messages"), so `AppendItem.update` can carry the payload
 * as received — the same bytes on the socket as encoding the decoded object would give a decoder,
 * without the gateway re-encoding every update it has just decoded. The store decodes and checks
 * every item as before (append-server.ts, validate-items.ts): it trusts the bytes no more than it
 * trusted the re-encoded object.
 */
import protobuf from 'protobufjs'
import { encode } from '../../../proto/src/codec.ts'
import type { AppendItem } from '../../../proto/src/types.ts'
import { errors } from './errors.ts'

/** An item to send; `updateBytes`, when present, are sent as its `update`. */
export interface OutgoingAppendItem extends AppendItem {
  /** The bytes `update` was strictly decoded from (proto/src/codec.ts `decode('Update', …)`). */
  readonly updateBytes?: Uint8Array
}

const VARINT = 0
const LENGTH_DELIMITED = 2
const key = (field: number, wire: number): number => (field << 3) | wire
// store.proto field numbers.
const REQUEST_BATCH_ID = key(1, VARINT)
const REQUEST_ITEMS = key(2, LENGTH_DELIMITED)
const ITEM_MUNICIPALITY = key(1, LENGTH_DELIMITED)
const ITEM_UPDATE = key(2, LENGTH_DELIMITED)
const ITEM_SHA256 = key(4, LENGTH_DELIMITED)

/** @throws KEN_ERR_PROTO_ENCODE for an item the verifying codec refuses, KEN_ERR_STORE_INVALID_ITEM for bad `updateBytes` */
export function encodeAppendRequest (batchId: number, items: readonly OutgoingAppendItem[]): Uint8Array {
  const w = protobuf.Writer.create()
  if (!Number.isSafeInteger(batchId) || batchId < 0) throw errors.KEN_ERR_STORE_INVALID_ARGUMENT('batch id', { field: 'batch_id' })
  if (batchId !== 0) w.uint32(REQUEST_BATCH_ID).uint64(batchId)
  for (const item of items) {
    if (item.updateBytes === undefined) {
      w.uint32(REQUEST_ITEMS).bytes(encode('AppendItem', item))
      continue
    }
    // What the verifying codec would refuse of the envelope is refused here too.
    if (item.rejection !== undefined && item.rejection !== null) throw errors.KEN_ERR_STORE_INVALID_ITEM('an item with update bytes has no rejection', { field: 'rejection' })
    if (typeof item.municipalityCode !== 'string' || !(item.payloadSha256 instanceof Uint8Array) || !(item.updateBytes instanceof Uint8Array)) {
      throw errors.KEN_ERR_STORE_INVALID_ITEM('municipality code, payload hash or update bytes of the wrong type', { field: 'item' })
    }
    w.uint32(REQUEST_ITEMS).fork()
    if (item.municipalityCode !== '') w.uint32(ITEM_MUNICIPALITY).string(item.municipalityCode)
    w.uint32(ITEM_UPDATE).bytes(item.updateBytes)
    if (item.payloadSha256.length > 0) w.uint32(ITEM_SHA256).bytes(item.payloadSha256)
    w.ldelim()
  }
  return w.finish()
}
