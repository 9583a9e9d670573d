/**
 * Record a revocation in the CA's revocation database (RFC 5280 §5.3). Revocation is final except
 * for certificateHold (§5.3.1): a held certificate may later be revoked for a final reason. The
 * revocation takes effect for relying parties when the next CRL is generated and published.
 * The issuing CA can be revoked (it goes on the root's CRL, e.g. for cACompromise — after which
 * this CA issues nothing more); the root cannot, since nothing above it could say so.
 */
import { join } from 'node:path'
import { errors } from './errors.ts'
import { parseSerialHex } from './serial.ts'
import { readCaState, writeCaState, type RevokedRecord } from './ca-state.ts'
import { CA_FILES } from './ca-files.ts'
import { isRevocationReason, type RevocationReason } from './revocation-reasons.ts'
import { wholeSeconds } from './time.ts'

/** Revoke the certificate with serial `serial` (hex) for `reason`; the caller holds the CA lock. */
export function revokeSerial (dir: string, serial: string, reason: RevocationReason, now: Date): RevokedRecord {
  if (!isRevocationReason(reason)) throw errors.KEN_ERR_PKI_BAD_REASON(String(reason), { field: 'reason' })
  const serialHex = parseSerialHex(serial)
  const statePath = join(dir, CA_FILES.state)
  const state = readCaState(statePath)
  const issued = state.issued.find((r) => r.serialHex === serialHex)
  if (issued === undefined) throw errors.KEN_ERR_PKI_UNKNOWN_SERIAL(serialHex, { field: 'serial' })
  if (issued.kind === 'root') throw errors.KEN_ERR_PKI_CANNOT_REVOKE_CA(serialHex, { field: 'serial' })
  const record: RevokedRecord = { serialHex, reason, revokedAt: wholeSeconds(now).toISOString() }
  const existing = state.revoked.findIndex((r) => r.serialHex === serialHex)
  if (existing === -1) {
    state.revoked.push(record)
  } else {
    if (state.revoked[existing]?.reason !== 'certificateHold' || reason === 'certificateHold') throw errors.KEN_ERR_PKI_ALREADY_REVOKED(serialHex, { field: 'serial' })
    state.revoked[existing] = record
  }
  writeCaState(statePath, state)
  return record
}
