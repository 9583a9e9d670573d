/**
 * Valid and invalid update payloads for the gateway tests. Bodies come from the domain tests'
 * fixtures (fictitious people); each update gets its own 住民票コード and 個人番号 so the store's
 * logic checks accept it as a new resident (転入).
 */
import { encode } from '../../../../proto/src/codec.ts'
import type { Update } from '../../../../proto/src/types.ts'
import { kojinBangoCheckDigit } from '../../../../server/src/domain/identifiers.ts'
import { identityUpdate } from '../../../unit/domain/fixtures.ts'

/** A valid 転入 from CS `code` with 更新順番号 `sequence`; `n` makes the person unique. */
export function updateFor (code: string, sequence: number, n = sequence, over: Partial<Update> = {}): Update {
  const serial = String(n % 10_000_000).padStart(7, '0')
  const first11 = `${code.slice(0, 4)}${serial}`
  return identityUpdate(
    { juminhyoCode: first11, kojinBango: `${first11}${kojinBangoCheckDigit(first11)}` },
    { municipalityCode: code, sequence, requestId: `REQ-${sequence}`, ...over }
  )
}

/** The wire payload of {@link updateFor}. */
export function payloadFor (code: string, sequence: number, n = sequence, over: Partial<Update> = {}): Buffer {
  return Buffer.from(encode('Update', updateFor(code, sequence, n, over)))
}

/** A valid payload followed by a field number ken.v1 does not define (field 99, varint 1). */
export function withUnknownField (payload: Buffer): Buffer {
  return Buffer.concat([payload, Buffer.from([0x98, 0x06, 0x01])])
}
