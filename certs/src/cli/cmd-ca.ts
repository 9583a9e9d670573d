/** ken-pki init, revoke and crl: the commands that act on the CA itself. */
import { join } from 'node:path'
import { errors } from '../errors.ts'
import { initCa, openCa } from '../certificate-authority.ts'
import { CA_FILES } from '../ca-files.ts'
import { replaceFile, PUBLIC_MODE } from '../files.ts'
import { isRevocationReason } from '../revocation-reasons.ts'
import { COMMON_OPTIONS, DEFAULT_CA_DIR, days, required, strictArgs, type CliResult } from './io.ts'

/** `init [--ca DIR | --out DIR] [--org NAME] [--years N]` */
export async function cmdInit (args: readonly string[]): Promise<CliResult> {
  const { values } = strictArgs(args, { ...COMMON_OPTIONS, out: { type: 'string' }, org: { type: 'string' }, years: { type: 'string' } })
  if (values.ca !== undefined && values.out !== undefined && values.ca !== values.out) throw errors.KEN_ERR_PKI_USAGE('give --ca or --out, not both', { field: 'out' })
  const dir = values.ca ?? values.out ?? DEFAULT_CA_DIR
  const years = values.years === undefined ? undefined : Number(values.years)
  await initCa(dir, { ...(values.org === undefined ? {} : { organization: values.org }), ...(years === undefined ? {} : { years }) })
  return { ca: dir, root: join(dir, CA_FILES.rootCert), issuing: join(dir, CA_FILES.issuingCert), bundle: join(dir, CA_FILES.bundle) }
}

/** `revoke --serial HEX --reason REASON [--ca DIR]` */
export async function cmdRevoke (args: readonly string[]): Promise<CliResult> {
  const { values } = strictArgs(args, { ...COMMON_OPTIONS, serial: { type: 'string' }, reason: { type: 'string' } })
  const reason = values.reason ?? 'unspecified'
  if (!isRevocationReason(reason)) throw errors.KEN_ERR_PKI_BAD_REASON(reason, { field: 'reason' })
  const ca = openCa(values.ca ?? DEFAULT_CA_DIR)
  const r = await ca.revoke(required(values.serial, 'serial'), reason)
  return { serial: r.serialHex, reason: r.reason, revokedAt: r.revokedAt, next: 'publish with: ken-pki crl --out <crl file>' }
}

/** `crl [--out FILE] [--days N] [--ca DIR]` */
export async function cmdCrl (args: readonly string[]): Promise<CliResult> {
  const { values } = strictArgs(args, { ...COMMON_OPTIONS, out: { type: 'string' }, days: { type: 'string' } })
  const ca = openCa(values.ca ?? DEFAULT_CA_DIR)
  const validityDays = days(values.days)
  const crl = await ca.generateCrl(validityDays === undefined ? {} : { validityDays })
  if (values.out !== undefined) replaceFile(values.out, crl.pem, { mode: PUBLIC_MODE, durable: true })
  return {
    crlNumber: crl.crlNumber,
    thisUpdate: crl.thisUpdate.toISOString(),
    nextUpdate: crl.nextUpdate.toISOString(),
    entries: crl.entries,
    written: values.out ?? join(ca.dir, CA_FILES.crl)
  }
}
