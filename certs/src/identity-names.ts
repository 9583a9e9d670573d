/**
 * How identities are written into certificates, shared by the issuing side and the verifier.
 * A CS carries its municipality code (SPEC §2.3) in the subject (CN=CS-<code> and the X.520
 * serialNumber attribute) and in a SAN URI `urn:ken:cs:<code>:<serialhex>`; an operator or
 * technician carries `urn:ken:operator:<id>:<role>` (SPEC §6) and CN=<id>.
 */
import { isValidMunicipalityCode } from '../../server/src/domain/identifiers.ts'

export { isValidMunicipalityCode }

/** The roles of SPEC §6: operator, system administrator, security officer, technician. */
export const OPERATOR_ROLES = ['operator', 'admin', 'security', 'technician'] as const

/** One of {@link OPERATOR_ROLES}. */
export type OperatorRole = typeof OPERATOR_ROLES[number]

/** True when `s` is one of {@link OPERATOR_ROLES}. */
export function isOperatorRole (s: string): s is OperatorRole {
  return (OPERATOR_ROLES as readonly string[]).includes(s)
}

const OPERATOR_ID = /^[A-Z][A-Z0-9]{1,15}$/

/** Operator ids: an upper-case letter, then 1–15 upper-case letters or digits (OP001, TE001). */
export function isOperatorId (s: string): boolean {
  return OPERATOR_ID.test(s)
}

/** The CN of a CS certificate. */
export function csCommonName (code: string): string {
  return `CS-${code}`
}

/** The SAN URI of a CS certificate. */
export function csUrn (code: string, serialHex: string): string {
  return `urn:ken:cs:${code}:${serialHex}`
}

/** The SAN URI of an operator or technician certificate. */
export function operatorUrn (id: string, role: OperatorRole): string {
  return `urn:ken:operator:${id}:${role}`
}

/** 都道府県コード: 01 (北海道) … 47 (沖縄県). */
export function isPrefectureCode (s: string): boolean {
  return /^(0[1-9]|[1-3][0-9]|4[0-7])$/.test(s)
}

/** The SAN URI of ken-national's client certificate for the national server (SPEC §5.1). */
export function nationalClientUrn (prefectureCode: string, serialHex: string): string {
  return `urn:ken:national-client:${prefectureCode}:${serialHex}`
}

/** The parts of a `urn:ken:national-client:` URI, or undefined when `uri` is not one. */
export function parseNationalClientUrn (uri: string): { readonly prefectureCode: string, readonly serialHex: string } | undefined {
  const m = /^urn:ken:national-client:([0-9]{2}):([0-9a-f]+)$/.exec(uri)
  return m === null || !isPrefectureCode(m[1] ?? '') ? undefined : { prefectureCode: m[1] ?? '', serialHex: m[2] ?? '' }
}

/** The parts of a `urn:ken:cs:` URI, or undefined when `uri` is not one. */
export function parseCsUrn (uri: string): { readonly code: string, readonly serialHex: string } | undefined {
  const m = /^urn:ken:cs:([0-9]{6}):([0-9a-f]+)$/.exec(uri)
  return m === null ? undefined : { code: m[1] ?? '', serialHex: m[2] ?? '' }
}

/** The parts of a `urn:ken:operator:` URI, or undefined when `uri` is not one. */
export function parseOperatorUrn (uri: string): { readonly id: string, readonly role: string } | undefined {
  const m = /^urn:ken:operator:([^:]+):([^:]+)$/.exec(uri)
  return m === null ? undefined : { id: m[1] ?? '', role: m[2] ?? '' }
}
