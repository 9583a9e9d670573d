/**
 * Byte helpers: PEM armour (RFC 7468), hex, and byte equality. PEM parsing is strict about the
 * label and lenient about surrounding text, as RFC 7468 §2 allows ("explanatory text").
 */

/** Wrap DER in PEM armour with 64-character lines (RFC 7468 §2). */
export function toPem (label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64')
  const lines = b64.match(/.{1,64}/g) ?? []
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`
}

/** Every PEM block with `label` in `text`, decoded, in order. */
export function fromPemAll (text: string, label: string): Uint8Array[] {
  const re = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]*?)-----END ${label}-----`, 'g')
  const out: Uint8Array[] = []
  for (const m of text.matchAll(re)) out.push(new Uint8Array(Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64')))
  return out
}

/** Lower-case hex of bytes. */
export function toHex (bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex')
}

/** True when both byte strings are identical. */
export function bytesEqual (a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.compare(a, b) === 0
}

/** A standalone ArrayBuffer holding a copy of `bytes` (pkijs/asn1js want ArrayBuffers). */
export function toArrayBuffer (bytes: Uint8Array): ArrayBuffer {
  const out = new ArrayBuffer(bytes.byteLength)
  new Uint8Array(out).set(bytes)
  return out
}
