/**
 * Error catalogue of certs/ (STYLE.md: one catalogue per package, export name = code).
 * `KEN_ERR_CERT_*` are the reasons a certificate is refused, `KEN_ERR_CRL_*` the reasons a CRL is
 * refused or cannot be used, `KEN_ERR_PKI_*` the CA tooling's own errors. docs/errors-certs.md is
 * generated from this table (`node --import tsx certs/src/errors-doc.ts`) and a test keeps them in step.
 * Codes are stable: never renamed or reused. Details appended to a message carry no personal data.
 */
import { defineErrors } from '../../proto/src/ken-error.ts'

/** What a code is about, for the docs table. */
export type CertErrorArea = 'certificate' | 'crl' | 'tooling'

/** One catalogue entry: the message, the area and where the rule comes from. */
export interface CertErrorSpec {
  readonly message: string
  readonly area: CertErrorArea
  readonly source: string
}

/** Every code certs/ can throw, with its message and the clause it enforces. */
export const CERT_ERRORS = {
  // -- certificate: why a presented certificate is refused (verifier)
  KEN_ERR_CERT_MALFORMED: { area: 'certificate', message: 'the certificate is not a well-formed X.509 v3 certificate', source: 'RFC 5280 §4.1' },
  KEN_ERR_CERT_UNKNOWN_CA: { area: 'certificate', message: 'the certificate does not chain to a configured trust anchor', source: 'RFC 5280 §6.1; SPEC §3' },
  KEN_ERR_CERT_BAD_SIGNATURE: { area: 'certificate', message: 'a signature in the certificate path does not verify', source: 'RFC 5280 §6.1.3(a)(1), §4.1.1.2' },
  KEN_ERR_CERT_UNSUPPORTED_ALGORITHM: { area: 'certificate', message: 'the certificate is signed with an algorithm this PKI does not accept', source: 'RFC 5280 §4.1.1.2; RFC 5758 §3.2' },
  KEN_ERR_CERT_EXPIRED: { area: 'certificate', message: 'a certificate in the path has expired', source: 'RFC 5280 §6.1.3(a)(2), §4.1.2.5' },
  KEN_ERR_CERT_NOT_YET_VALID: { area: 'certificate', message: 'a certificate in the path is not yet valid', source: 'RFC 5280 §6.1.3(a)(2), §4.1.2.5' },
  KEN_ERR_CERT_REVOKED: { area: 'certificate', message: 'the certificate is revoked', source: 'RFC 5280 §6.1.3(a)(3), §6.3' },
  KEN_ERR_CERT_NOT_A_CA: { area: 'certificate', message: 'an intermediate certificate is not a CA certificate', source: 'RFC 5280 §6.1.4(k), §4.2.1.9' },
  KEN_ERR_CERT_PATH_TOO_LONG: { area: 'certificate', message: 'the path exceeds a CA certificate\'s path length constraint', source: 'RFC 5280 §6.1.4(l)(m), §4.2.1.9' },
  KEN_ERR_CERT_LEAF_IS_CA: { area: 'certificate', message: 'a CA certificate was presented as an end-entity certificate', source: 'RFC 5280 §4.2.1.9 (default deny)' },
  KEN_ERR_CERT_WRONG_KEY_USAGE: { area: 'certificate', message: 'the key usage extension does not allow this use', source: 'RFC 5280 §4.2.1.3, §6.1.4(n)' },
  KEN_ERR_CERT_WRONG_EKU: { area: 'certificate', message: 'the extended key usage does not allow this use', source: 'RFC 5280 §4.2.1.12; SPEC §3' },
  KEN_ERR_CERT_UNKNOWN_CRITICAL_EXTENSION: { area: 'certificate', message: 'the certificate carries a critical extension this PKI does not process', source: 'RFC 5280 §4.2, §6.1.4(o)' },
  KEN_ERR_CERT_NO_MUNICIPALITY: { area: 'certificate', message: 'the CS certificate does not carry a municipality code in both subject and SAN', source: 'SPEC §3' },
  KEN_ERR_CERT_BAD_MUNICIPALITY_CODE: { area: 'certificate', message: 'the municipality code in the certificate is not 6 digits with a valid check digit', source: 'SPEC §2.3 (総務省 地方公共団体コード)' },
  KEN_ERR_CERT_MUNICIPALITY_NOT_CONFIGURED: { area: 'certificate', message: 'the municipality is not among this prefecture\'s configured municipalities', source: 'SPEC §3; firmware-config' },
  KEN_ERR_CERT_IDENTITY_MISMATCH: { area: 'certificate', message: 'the identity in the subject and in the subjectAltName disagree', source: 'SPEC §3; RFC 5280 §4.2.1.6' },
  KEN_ERR_CERT_NO_OPERATOR_ID: { area: 'certificate', message: 'the certificate does not carry an operator id and role', source: 'SPEC §6' },
  KEN_ERR_CERT_ROLE_NOT_ALLOWED: { area: 'certificate', message: 'the operator role is not allowed here', source: 'SPEC §6' },
  KEN_ERR_CERT_NO_SERVER_NAME: { area: 'certificate', message: 'the server certificate carries no DNS name or IP address', source: 'RFC 5280 §4.2.1.6; RFC 6125 §6.4.4' },
  // -- crl: why a CRL is refused on load, or why no usable CRL exists at verification time
  KEN_ERR_CRL_MALFORMED: { area: 'crl', message: 'the CRL is not a well-formed X.509 v2 CRL this PKI can process', source: 'RFC 5280 §5.1, §5.2, §5.3' },
  KEN_ERR_CRL_BAD_SIGNATURE: { area: 'crl', message: 'the CRL signature does not verify against its issuer', source: 'RFC 5280 §6.3.3(g)' },
  KEN_ERR_CRL_UNKNOWN_ISSUER: { area: 'crl', message: 'the CRL was not issued by a configured CRL signer', source: 'RFC 5280 §6.3.3(f), §4.2.1.3 (cRLSign)' },
  KEN_ERR_CRL_ROLLBACK: { area: 'crl', message: 'the new CRL has a lower CRL number than the one in use', source: 'RFC 5280 §5.2.3' },
  KEN_ERR_CRL_STALE: { area: 'crl', message: 'the CRL is past its nextUpdate', source: 'RFC 5280 §6.3.3(a)(2), §5.1.2.5' },
  KEN_ERR_CRL_UNAVAILABLE: { area: 'crl', message: 'no usable CRL from the issuer of this certificate is loaded', source: 'RFC 5280 §6.3.3 (default deny)' },
  // -- tooling: the CA and the credential files
  KEN_ERR_PKI_USAGE: { area: 'tooling', message: 'invalid command line', source: 'ken-pki usage' },
  KEN_ERR_PKI_CA_EXISTS: { area: 'tooling', message: 'a CA already exists in this directory', source: 'ken-pki init' },
  KEN_ERR_PKI_CA_NOT_FOUND: { area: 'tooling', message: 'no CA in this directory (run ken-pki init)', source: 'ken-pki' },
  KEN_ERR_PKI_CA_CORRUPT: { area: 'tooling', message: 'the CA state file is unreadable or inconsistent', source: 'ken-pki' },
  KEN_ERR_PKI_CA_BUSY: { area: 'tooling', message: 'another process holds the CA lock (remove the lock file only if that process is gone)', source: 'ken-pki' },
  KEN_ERR_PKI_CA_EXPIRED: { area: 'tooling', message: 'the issuing CA is not valid now; it cannot issue', source: 'RFC 5280 §4.1.2.5' },
  KEN_ERR_PKI_CA_REVOKED: { area: 'tooling', message: 'the issuing CA is revoked; it cannot issue', source: 'RFC 5280 §5.3' },
  KEN_ERR_PKI_FILE_EXISTS: { area: 'tooling', message: 'refusing to overwrite an existing file', source: 'ken-pki' },
  KEN_ERR_PKI_BAD_KEY: { area: 'tooling', message: 'the key file is unreadable or not an ECDSA P-256 PKCS#8 key', source: 'RFC 5915; RFC 5958' },
  KEN_ERR_PKI_KEY_MISMATCH: { area: 'tooling', message: 'the private key does not belong to the certificate', source: 'ken-pki' },
  KEN_ERR_PKI_BAD_PIN: { area: 'tooling', message: 'the PIN does not open the key file', source: 'SPEC §6 (IC-card equivalent)' },
  KEN_ERR_PKI_WEAK_PIN: { area: 'tooling', message: 'the PIN must be 6 to 64 characters', source: 'SPEC §6' },
  KEN_ERR_PKI_NO_PIN: { area: 'tooling', message: 'no PIN given (use --pin-file or KEN_PKI_PIN)', source: 'ken-pki' },
  KEN_ERR_PKI_BAD_MUNICIPALITY_CODE: { area: 'tooling', message: 'the municipality code is not 6 digits with a valid check digit', source: 'SPEC §2.3 (総務省 地方公共団体コード)' },
  KEN_ERR_PKI_BAD_OPERATOR_ID: { area: 'tooling', message: 'the operator id must be an upper-case letter followed by 1 to 15 upper-case letters or digits', source: 'SPEC §6' },
  KEN_ERR_PKI_BAD_ROLE: { area: 'tooling', message: 'the role must be operator, admin, security or technician', source: 'SPEC §6' },
  KEN_ERR_PKI_BAD_NAME: { area: 'tooling', message: 'the server name is neither a DNS name nor an IP address', source: 'RFC 5280 §4.2.1.6' },
  KEN_ERR_PKI_BAD_VALIDITY: { area: 'tooling', message: 'the validity period is not a positive whole number of days within the CA\'s own validity', source: 'RFC 5280 §4.1.2.5' },
  KEN_ERR_PKI_BAD_SERIAL: { area: 'tooling', message: 'the serial number is not a hexadecimal integer', source: 'RFC 5280 §4.1.2.2' },
  KEN_ERR_PKI_UNKNOWN_SERIAL: { area: 'tooling', message: 'this CA has not issued a certificate with that serial number', source: 'RFC 5280 §5.3' },
  KEN_ERR_PKI_CANNOT_REVOKE_CA: { area: 'tooling', message: 'the root CA cannot be revoked (nothing above it signs a CRL); replace the trust anchor instead', source: 'RFC 5280 §6.1.1(d)' },
  KEN_ERR_PKI_ALREADY_REVOKED: { area: 'tooling', message: 'the certificate is already revoked', source: 'RFC 5280 §5.3.1' },
  KEN_ERR_PKI_BAD_REASON: { area: 'tooling', message: 'unknown revocation reason', source: 'RFC 5280 §5.3.1' },
  KEN_ERR_PKI_BAD_DATE: { area: 'tooling', message: 'not an ISO 8601 date-time', source: 'ken-pki verify --at' }
} as const satisfies Record<string, CertErrorSpec>

/** The catalogue as error factories: `errors.KEN_ERR_CERT_REVOKED('reason keyCompromise')`. */
export const errors = defineErrors(CERT_ERRORS)

/** Any code of this catalogue. */
export type CertErrorCode = keyof typeof CERT_ERRORS
