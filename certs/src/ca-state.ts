/**
 * The CA's state file (`state.json` in the CA directory, mode 0600): the serial counter, the CRL
 * number, the index of issued certificates and the revocation database. It is validated against
 * a strict schema on every read — an edited or truncated file is KEN_ERR_PKI_CA_CORRUPT, never a
 * silently reused serial — and replaced atomically and durably on every write.
 */
import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { errors } from './errors.ts'
import { replaceFile, SECRET_MODE } from './files.ts'
import { OPERATOR_ROLES } from './identity-names.ts'
import { REVOCATION_REASONS, type RevocationReason } from './revocation-reasons.ts'

const isoDate = z.string().datetime()
const serialHex = z.string().regex(/^([0-9a-f]{2})+$/)

const issuedSchema = z.object({
  serialHex,
  kind: z.enum(['root', 'issuing', 'server', 'cs', 'operator', 'national-client']),
  subject: z.string(),
  /** municipality code (cs), operator id (operator) or first name (server) */
  name: z.string(),
  role: z.enum(OPERATOR_ROLES).optional(),
  notBefore: isoDate,
  notAfter: isoDate
}).strict()

const revokedSchema = z.object({
  serialHex,
  reason: z.enum(Object.keys(REVOCATION_REASONS) as [RevocationReason, ...RevocationReason[]]),
  revokedAt: isoDate
}).strict()

const stateSchema = z.object({
  version: z.literal(1),
  organization: z.string().min(1),
  nextSerial: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  crlNumber: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  issued: z.array(issuedSchema),
  revoked: z.array(revokedSchema)
}).strict()

/** The CA state as stored. */
export type CaState = z.infer<typeof stateSchema>
/** One entry of the issued-certificate index. */
export type IssuedRecord = z.infer<typeof issuedSchema>
/** One entry of the revocation database. */
export type RevokedRecord = z.infer<typeof revokedSchema>

/** Read and validate the state file. */
export function readCaState (path: string): CaState {
  let raw: string
  try {
    raw = readFileSync(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw errors.KEN_ERR_PKI_CA_NOT_FOUND(undefined, { cause: err })
    throw err
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch (err) {
    throw errors.KEN_ERR_PKI_CA_CORRUPT('not JSON', { field: 'state.json', cause: err })
  }
  const result = stateSchema.safeParse(parsed)
  if (!result.success) {
    const issue = result.error.issues[0]
    throw errors.KEN_ERR_PKI_CA_CORRUPT(issue === undefined ? undefined : `${issue.path.join('.')}: ${issue.message}`, { field: 'state.json' })
  }
  const serials = new Set(result.data.issued.map((r) => r.serialHex))
  if (serials.size !== result.data.issued.length) throw errors.KEN_ERR_PKI_CA_CORRUPT('duplicate serial in the issued index', { field: 'state.json' })
  return result.data
}

/** Replace the state file atomically and durably. */
export function writeCaState (path: string, state: CaState): void {
  replaceFile(path, `${JSON.stringify(state, null, 2)}\n`, { mode: SECRET_MODE, durable: true })
}
