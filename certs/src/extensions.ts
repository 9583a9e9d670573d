/**
 * Builders for the certificate extensions this CA writes (RFC 5280 §4.2.1). Criticality follows
 * the RFC: basicConstraints critical in CA certificates (§4.2.1.9), keyUsage critical (§4.2.1.3
 * "SHOULD"), subjectAltName critical only when the subject is empty (§4.2.1.6), key identifiers
 * never critical (§4.2.1.1, §4.2.1.2).
 */
import { createHash } from 'node:crypto'
import { isIP } from 'node:net'
import * as asn1js from 'asn1js'
import { AuthorityKeyIdentifier, BasicConstraints, Extension, ExtKeyUsage, GeneralName, GeneralNames, PublicKeyInfo } from 'pkijs'
import { EXT } from './oids.ts'
import { toArrayBuffer } from './der.ts'
import { encodeKeyUsage, type KeyUsageName } from './key-usage.ts'

function ext (extnID: string, critical: boolean, value: asn1js.BaseBlock): Extension {
  return new Extension({ extnID, critical, extnValue: value.toBER() })
}

/** basicConstraints (§4.2.1.9); `pathLen` only for CA certificates. */
export function basicConstraints (ca: boolean, pathLen?: number): Extension {
  const value = ca && pathLen !== undefined ? new BasicConstraints({ cA: true, pathLenConstraint: pathLen }) : new BasicConstraints({ cA: ca })
  return ext(EXT.basicConstraints, true, value.toSchema())
}

/** keyUsage (§4.2.1.3), critical. */
export function keyUsage (usages: readonly KeyUsageName[]): Extension {
  return ext(EXT.keyUsage, true, encodeKeyUsage(usages))
}

/** extKeyUsage (§4.2.1.12), not critical, as is usual for TLS certificates. */
export function extKeyUsage (purposes: readonly string[]): Extension {
  return ext(EXT.extKeyUsage, false, new ExtKeyUsage({ keyPurposes: [...purposes] }).toSchema())
}

/** One subjectAltName entry. */
export type AltName = { readonly dns: string } | { readonly ip: string } | { readonly uri: string }

/** subjectAltName (§4.2.1.6): dNSName [2], uniformResourceIdentifier [6], iPAddress [7]. */
export function subjectAltName (names: readonly AltName[]): Extension {
  const general = names.map((n) => {
    if ('dns' in n) return new GeneralName({ type: 2, value: n.dns })
    if ('uri' in n) return new GeneralName({ type: 6, value: n.uri })
    return new GeneralName({ type: 7, value: new asn1js.OctetString({ valueHex: toArrayBuffer(ipBytes(n.ip)) }) })
  })
  return ext(EXT.subjectAltName, false, new GeneralNames({ names: general }).toSchema())
}

/** The key identifier of §4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING value. */
export function keyIdentifier (spki: PublicKeyInfo): Uint8Array {
  return new Uint8Array(createHash('sha1').update(spki.subjectPublicKey.valueBlock.valueHexView).digest())
}

/** subjectKeyIdentifier (§4.2.1.2). */
export function subjectKeyIdentifier (keyId: Uint8Array): Extension {
  return ext(EXT.subjectKeyIdentifier, false, new asn1js.OctetString({ valueHex: toArrayBuffer(keyId) }))
}

/** authorityKeyIdentifier (§4.2.1.1) with the issuer's key identifier. */
export function authorityKeyIdentifier (issuerKeyId: Uint8Array): Extension {
  const aki = new AuthorityKeyIdentifier({ keyIdentifier: new asn1js.OctetString({ valueHex: toArrayBuffer(issuerKeyId) }) })
  return ext(EXT.authorityKeyIdentifier, false, aki.toSchema())
}

/** The 4 or 16 octets of an IP address for iPAddress (§4.2.1.6). */
export function ipBytes (ip: string): Uint8Array {
  const family = isIP(ip)
  if (family === 4) return new Uint8Array(ip.split('.').map(Number))
  if (family !== 6) throw new RangeError('not an IP address')
  // An embedded dotted quad (::ffff:192.0.2.1) becomes its two hex groups first.
  const hexOnly = ip.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_m, a: string, b: string, c: string, d: string) =>
    `${((Number(a) << 8) | Number(b)).toString(16)}:${((Number(c) << 8) | Number(d)).toString(16)}`)
  const [head = '', tail = ''] = hexOnly.split('::')
  const groupsOf = (s: string): number[] => (s === '' ? [] : s.split(':').map((g) => Number.parseInt(g, 16)))
  const h = groupsOf(head)
  const t = hexOnly.includes('::') ? groupsOf(tail) : []
  const groups = [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t]
  return new Uint8Array(groups.flatMap((g) => [g >> 8, g & 0xff]))
}

/** Text form of iPAddress octets. */
export function formatIp (bytes: Uint8Array): string {
  if (bytes.length === 4) return [...bytes].join('.')
  const groups: string[] = []
  for (let i = 0; i + 1 < bytes.length; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16))
  return groups.join(':')
}
