/**
 * The keyUsage BIT STRING (RFC 5280 §4.2.1.3). DER requires a named bit list to drop trailing
 * zero bits (X.690 §11.2.2), which asn1js does not do for us, hence this small codec.
 */
import * as asn1js from 'asn1js'
import { toArrayBuffer } from './der.ts'

/** The named bits of KeyUsage, by bit number. */
export const KEY_USAGE_BITS = {
  digitalSignature: 0,
  nonRepudiation: 1,
  keyEncipherment: 2,
  dataEncipherment: 3,
  keyAgreement: 4,
  keyCertSign: 5,
  cRLSign: 6,
  encipherOnly: 7,
  decipherOnly: 8
} as const

/** A key usage name. */
export type KeyUsageName = keyof typeof KEY_USAGE_BITS

/** Encode a set of key usages as a DER BIT STRING. */
export function encodeKeyUsage (usages: readonly KeyUsageName[]): asn1js.BitString {
  if (usages.length === 0) throw new RangeError('keyUsage needs at least one bit (RFC 5280 §4.2.1.3)')
  const bits = usages.map((u) => KEY_USAGE_BITS[u])
  const highest = Math.max(...bits)
  const bytes = new Uint8Array(Math.floor(highest / 8) + 1)
  for (const b of bits) bytes[b >> 3] = (bytes[b >> 3] ?? 0) | (0x80 >> (b & 7))
  return new asn1js.BitString({ valueHex: toArrayBuffer(bytes), unusedBits: 7 - (highest & 7) })
}

/** Decode a keyUsage BIT STRING into the set of usages it asserts. */
export function decodeKeyUsage (bitString: asn1js.BitString): Set<KeyUsageName> {
  const bytes = bitString.valueBlock.valueHexView
  const out = new Set<KeyUsageName>()
  for (const [name, bit] of Object.entries(KEY_USAGE_BITS) as Array<[KeyUsageName, number]>) {
    const byte = bytes[bit >> 3]
    if (byte !== undefined && (byte & (0x80 >> (bit & 7))) !== 0) out.add(name)
  }
  return out
}
