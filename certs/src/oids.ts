/** Object identifiers certs/ reads or writes, named after the RFC that defines them. */

/** RFC 5280 §4.1.2.4 / X.520 attribute types. */
export const ATTR = {
  countryName: '2.5.4.6',
  organizationName: '2.5.4.10',
  organizationalUnitName: '2.5.4.11',
  commonName: '2.5.4.3',
  serialNumber: '2.5.4.5'
} as const

/** RFC 5280 §4.2.1 certificate extensions and §5.2 / §5.3 CRL extensions. */
export const EXT = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  cRLNumber: '2.5.29.20',
  reasonCode: '2.5.29.21',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37'
} as const

/** RFC 5280 §4.2.1.12 key purposes. */
export const EKU = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  anyExtendedKeyUsage: '2.5.29.37.0'
} as const

/** RFC 5758 §3.2 ECDSA signature algorithms and RFC 5480 §2.1.1 key/curve identifiers. */
export const ALG = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  ecPublicKey: '1.2.840.10045.2.1',
  prime256v1: '1.2.840.10045.3.1.7'
} as const
