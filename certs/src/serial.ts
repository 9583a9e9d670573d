/**
 * Certificate serial numbers (RFC 5280 §4.1.2.2): positive integers of at most 20 octets, unique
 * per CA. This CA allocates them from a counter; their canonical text form is lower-case hex of
 * the minimal positive encoding, an even number of digits ("03", "01a4").
 */
import * as asn1js from 'asn1js'
import { errors } from './errors.ts'
import { toArrayBuffer, toHex } from './der.ts'

/** The DER INTEGER for a positive serial (a leading 0x00 keeps it positive, X.690 §8.3). */
export function serialInteger (serial: bigint): asn1js.Integer {
  if (serial <= 0n) throw new RangeError('serial must be positive')
  let hex = serial.toString(16)
  if (hex.length % 2 === 1) hex = `0${hex}`
  if (Number.parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`
  if (hex.length > 42) throw new RangeError('serial longer than 20 octets')
  return new asn1js.Integer({ valueHex: toArrayBuffer(Buffer.from(hex, 'hex')) })
}

/** Canonical hex of a certificate's serial INTEGER, without sign-padding zero octets. */
export function serialHexOf (integer: asn1js.Integer): string {
  return normalizeHex(toHex(integer.valueBlock.valueHexView))
}

/**
 * Canonical form of a serial typed by a person (`0x1A4`, `01:a4`, `1A4`); throws
 * KEN_ERR_PKI_BAD_SERIAL for anything that is not a positive hexadecimal integer.
 */
export function parseSerialHex (text: string): string {
  const digits = text.trim().replace(/^0x/i, '').replace(/:/g, '')
  if (!/^[0-9a-fA-F]{1,40}$/.test(digits) || /^0+$/.test(digits)) throw errors.KEN_ERR_PKI_BAD_SERIAL(undefined, { field: 'serial' })
  return normalizeHex(digits)
}

function normalizeHex (hex: string): string {
  let h = hex.toLowerCase().replace(/^0+/, '')
  if (h === '') h = '0'
  return h.length % 2 === 1 ? `0${h}` : h
}
