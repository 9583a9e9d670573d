/**
 * Where an issued credential goes on disk: `<name>.crt` (the certificate followed by the issuing
 * CA certificate, as a TLS peer presents it; openssl and node read the first block as the leaf)
 * and `<name>.key` (mode 0600 from creation, never overwritten).
 */
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { IssuedCredential } from './ca-issue.ts'
import { createFile, PUBLIC_MODE, SECRET_MODE } from './files.ts'
import { errors } from './errors.ts'

/** Paths of a written credential. */
export interface CredentialPaths {
  readonly certPath: string
  readonly keyPath: string
}

/** Write `cred` as `<dir>/<name>.crt` and `<dir>/<name>.key`; KEN_ERR_PKI_FILE_EXISTS if either exists. */
export function writeCredential (dir: string, name: string, cred: IssuedCredential): CredentialPaths {
  mkdirSync(dir, { recursive: true, mode: 0o755 })
  const keyPath = join(dir, `${name}.key`)
  const certPath = join(dir, `${name}.crt`)
  createFile(keyPath, cred.privateKeyPem, { mode: SECRET_MODE })
  createFile(certPath, cred.chainPem, { mode: PUBLIC_MODE })
  return { certPath, keyPath }
}

/** Throws KEN_ERR_PKI_FILE_EXISTS when `<dir>/<name>.crt` or `.key` exists — check before issuing. */
export function assertCredentialAbsent (dir: string, name: string): void {
  for (const ext of ['crt', 'key']) {
    const path = join(dir, `${name}.${ext}`)
    if (existsSync(path)) throw errors.KEN_ERR_PKI_FILE_EXISTS(path, { field: path })
  }
}
