/**
 * certs/ — the prefecture's PKI: the CA (init, issue, revoke, CRL), the development PKI, the CRL
 * store, and the verifier the gateway and the operator terminal use. The CA's private keys are
 * not reachable through anything exported here.
 */
export { errors, CERT_ERRORS, type CertErrorCode } from './errors.ts'
export { CertificateAuthority, initCa, openCa, type CaOptions } from './certificate-authority.ts'
export type { InitOptions } from './ca-init.ts'
export { DEFAULT_VALIDITY_DAYS, type IssuedCredential } from './ca-issue.ts'
export { DEFAULT_CRL_DAYS, type GeneratedCrl } from './crl-build.ts'
export type { IssuedRecord, RevokedRecord } from './ca-state.ts'
export { REVOCATION_REASONS, isRevocationReason, type RevocationReason } from './revocation-reasons.ts'
export { writeCredential, type CredentialPaths } from './credential-files.ts'
export { openOperatorCredential, type OperatorCredential } from './operator-credential.ts'
export { devPki, DEV_PIN, type DevPkiOptions, type DevPkiResult } from './dev-pki.ts'
export { CrlStore, type CrlStoreOptions, type CrlStoreEvents, type CrlLoadedEvent, type CrlReloadResult } from './crl-store.ts'
export { loadCrl, type CrlSource, type LoadedCrl, type RevokedEntry } from './crl-load.ts'
export { createVerifier, VERIFY_STEPS, type Verifier, type VerifierOptions } from './verifier.ts'
export type { CsIdentity, OperatorIdentity, ServerIdentity, Identity, IdentityFor, ExpectedKind } from './identity.ts'
export { peerChain, type PeerChain } from './peer-certificate.ts'
export type { CertificateInput } from './trust-material.ts'
export { OPERATOR_ROLES, isOperatorRole, isOperatorId, type OperatorRole } from './identity-names.ts'
export { operatorRegistrationEnd } from './time.ts'
