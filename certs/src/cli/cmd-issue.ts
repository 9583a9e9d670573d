/** ken-pki issue server|cs|national-client|operator: issue a credential from the CA and write it to --out. */
import { readFileSync } from 'node:fs'
import { errors } from '../errors.ts'
import { openCa } from '../certificate-authority.ts'
import type { IssuedCredential } from '../ca-issue.ts'
import { assertCredentialAbsent, writeCredential } from '../credential-files.ts'
import { isOperatorRole } from '../identity-names.ts'
import { COMMON_OPTIONS, DEFAULT_CA_DIR, days, required, strictArgs, type CliIo, type CliResult } from './io.ts'

const OPTIONS = {
  ...COMMON_OPTIONS,
  out: { type: 'string' },
  days: { type: 'string' },
  name: { type: 'string', multiple: true },
  municipality: { type: 'string' },
  prefecture: { type: 'string' },
  id: { type: 'string' },
  role: { type: 'string' },
  'pin-file': { type: 'string' }
} as const

/**
 * The PIN for an operator key: from --pin-file (one line; the trailing newline is not part of
 * it) or from KEN_PKI_PIN. Never from argv, where it would be visible in the process list.
 */
export function readPin (pinFile: string | undefined, io: CliIo): string {
  if (pinFile !== undefined) {
    try {
      return readFileSync(pinFile, 'utf8').replace(/\r?\n$/, '')
    } catch (err) {
      throw errors.KEN_ERR_PKI_NO_PIN(`cannot read ${pinFile}`, { field: 'pin-file', cause: err })
    }
  }
  const pin = io.env.KEN_PKI_PIN
  if (pin === undefined || pin === '') throw errors.KEN_ERR_PKI_NO_PIN(undefined, { field: 'pin' })
  return pin
}

/** `issue <kind> …` */
export async function cmdIssue (args: readonly string[], io: CliIo): Promise<CliResult> {
  const { values, positionals } = strictArgs(args, OPTIONS, true)
  const [kind, ...extra] = positionals
  if (extra.length > 0) throw errors.KEN_ERR_PKI_USAGE(`unexpected argument ${extra[0] ?? ''}`)
  const outDir = required(values.out, 'out')
  const validityDays = days(values.days)
  const v = validityDays === undefined ? {} : { validityDays }
  const only = (allowed: ReadonlyArray<keyof typeof values>): void => {
    for (const k of ['name', 'municipality', 'prefecture', 'id', 'role', 'pin-file'] as const) {
      if (values[k] !== undefined && !allowed.includes(k)) throw errors.KEN_ERR_PKI_USAGE(`--${k} does not apply to issue ${kind ?? ''}`, { field: k })
    }
  }
  const ca = openCa(values.ca ?? DEFAULT_CA_DIR)
  let cred: IssuedCredential
  let fileName: string
  if (kind === 'server') {
    only(['name'])
    const names = values.name ?? []
    if (names.length === 0) throw errors.KEN_ERR_PKI_USAGE('--name is required', { field: 'name' })
    fileName = 'server'
    assertCredentialAbsent(outDir, fileName)
    cred = await ca.issueServer({ names, ...v })
  } else if (kind === 'cs') {
    only(['municipality'])
    fileName = required(values.municipality, 'municipality')
    assertCredentialAbsent(outDir, fileName)
    cred = await ca.issueCs({ municipalityCode: fileName, ...v })
  } else if (kind === 'national-client') {
    only(['prefecture'])
    const prefectureCode = required(values.prefecture, 'prefecture')
    fileName = 'ken-national'
    assertCredentialAbsent(outDir, fileName)
    cred = await ca.issueNationalClient({ prefectureCode, ...v })
  } else if (kind === 'operator') {
    only(['id', 'role', 'pin-file'])
    fileName = required(values.id, 'id')
    const role = required(values.role, 'role')
    if (!isOperatorRole(role)) throw errors.KEN_ERR_PKI_BAD_ROLE(role, { field: 'role' })
    const pin = readPin(values['pin-file'], io)
    assertCredentialAbsent(outDir, fileName)
    cred = await ca.issueOperator({ id: fileName, role, pin, ...v })
  } else {
    throw errors.KEN_ERR_PKI_USAGE('issue needs server, cs, national-client or operator', { field: 'kind' })
  }
  const paths = writeCredential(outDir, fileName, cred)
  return { kind: cred.kind, serial: cred.serialHex, subject: cred.subject, notAfter: cred.notAfter.toISOString(), cert: paths.certPath, key: paths.keyPath, keyEncrypted: cred.privateKeyEncrypted }
}
