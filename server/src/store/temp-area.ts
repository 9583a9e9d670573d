/**
 * The 附票 temporary area (SPEC §2.2, requirements E6, H25): a 個人番号 drawn from the 住基 file for a
 * lawful request about a person who moved abroad lives only here — a primary space beside the keys,
 * outside the log and the 附票 keyspace — sealed under a key of its own that is stored wrapped in the
 * same slot. Erasing the slot (delivery confirmed, or its limit passed) erases key and ciphertext
 * together; nothing of it was ever in the log, so nothing can bring it back.
 *
 * slot value := created at (u64 ms, BE) ‖ wrapped slot key (60) ‖ sealed 個人番号
 */
import { sealAad, SealPurpose, seal, open } from './sealing.ts'
import { WRAPPED_KEY_BYTES } from './data-key.ts'
import type { Keyring } from './keyring.ts'
import { errors } from './errors.ts'

export const TEMP_DRAWN_KIND = 'store.fuhyo-kojin-drawn'
export const TEMP_ERASED_KIND = 'store.fuhyo-kojin-erased'

const KEY_AAD_POSITION = 0
const VALUE_AAD_POSITION = 1

/** The slot value holding `kojinBango`, made at `now`. */
export function sealSlot (keyring: Keyring, slot: Buffer, kojinBango: string, now: Date): Buffer {
  const { key, wrapped } = keyring.wrapNewKey(sealAad(SealPurpose.TEMP_KOJIN, slot, KEY_AAD_POSITION))
  const sealed = seal(key, sealAad(SealPurpose.TEMP_KOJIN, slot, VALUE_AAD_POSITION), Buffer.from(kojinBango, 'latin1'))
  key.fill(0)
  const created = Buffer.allocUnsafe(8)
  created.writeBigUInt64BE(BigInt(now.getTime()))
  return Buffer.concat([created, wrapped, sealed])
}

/** The 個人番号 in a slot value. @throws KEN_ERR_STORE_DECRYPT */
export function openSlot (keyring: Keyring, slot: Buffer, value: Buffer): string {
  if (value.length <= 8 + WRAPPED_KEY_BYTES) throw errors.KEN_ERR_STORE_CORRUPT('temporary-area slot too short')
  const key = keyring.unwrapKey(sealAad(SealPurpose.TEMP_KOJIN, slot, KEY_AAD_POSITION), value.subarray(8, 8 + WRAPPED_KEY_BYTES))
  try {
    return open(key, sealAad(SealPurpose.TEMP_KOJIN, slot, VALUE_AAD_POSITION), value.subarray(8 + WRAPPED_KEY_BYTES)).toString('latin1')
  } finally {
    key.fill(0)
  }
}

/** When a slot was made (ms since the epoch). */
export function slotCreatedAt (value: Buffer): number {
  return Number(value.readBigUInt64BE(0))
}
