/**
 * Distinguished names (RFC 5280 §4.1.2.4). Names are built one attribute per RDN — pkijs would
 * put every attribute into a single multi-valued RDN — and compared as DER bytes, the strictest of
 * the comparisons §7.1 permits, which is exact for names this CA copies from issuer to subject.
 */
import * as asn1js from 'asn1js'
import { RelativeDistinguishedNames } from 'pkijs'
import { ATTR } from './oids.ts'

/** One attribute of a name, in the order it appears (most significant first). */
export interface NameAttribute {
  readonly type: keyof typeof ATTR
  readonly value: string
}

const SHORT: Readonly<Record<string, string>> = {
  [ATTR.countryName]: 'C',
  [ATTR.organizationName]: 'O',
  [ATTR.organizationalUnitName]: 'OU',
  [ATTR.commonName]: 'CN',
  [ATTR.serialNumber]: 'serialNumber'
}

/**
 * A Name with one attribute per RDN. countryName and serialNumber are PrintableString
 * (X.520 / RFC 5280 Appendix A), everything else UTF8String (RFC 5280 §4.1.2.4).
 */
export function buildName (attrs: readonly NameAttribute[]): RelativeDistinguishedNames {
  const rdns = attrs.map((a) => {
    const oid = ATTR[a.type]
    const value = a.type === 'countryName' || a.type === 'serialNumber'
      ? new asn1js.PrintableString({ value: a.value })
      : new asn1js.Utf8String({ value: a.value })
    return new asn1js.Set({ value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: oid }), value] })] })
  })
  const der = new asn1js.Sequence({ value: rdns }).toBER()
  return RelativeDistinguishedNames.fromBER(der)
}

/** The DER of a name as it appears in the certificate. */
export function nameDer (name: RelativeDistinguishedNames): Uint8Array {
  return new Uint8Array(name.toSchema().toBER())
}

/** True when two names are byte-identical. */
export function namesEqual (a: RelativeDistinguishedNames, b: RelativeDistinguishedNames): boolean {
  return Buffer.compare(Buffer.from(nameDer(a)), Buffer.from(nameDer(b))) === 0
}

/** Every value of attribute `oid` in the name, as text. */
export function attributeValues (name: RelativeDistinguishedNames, oid: string): string[] {
  return name.typesAndValues.filter((tv) => tv.type === oid).map((tv) => String(tv.value.valueBlock.value))
}

/** The name as an RFC 4514 string (least significant RDN first), for logs and CLI output. */
export function formatName (name: RelativeDistinguishedNames): string {
  return name.typesAndValues
    .map((tv) => `${SHORT[tv.type] ?? tv.type}=${String(tv.value.valueBlock.value).replace(/([,+"\\<>;=])/g, '\\$1')}`)
    .reverse()
    .join(',')
}
