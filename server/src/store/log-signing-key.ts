/**
 * The log-signing key (SPEC §4 signed checkpoints): an Ed25519 key made at set-up beside the
 * appliance key — mode 0600, outside the database directory — in the signer-key text of C2SP
 * signed-note as golang.org/x/mod/sumdb/note writes it (`PRIVATE+KEY+name+hash+base64`). Its name is
 * the checkpoints' origin and never changes: auditors hold the verifier key that goes with it.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, open, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { isKeyName, parseSignerKey, signerKeyText, type NoteSigner } from '../log/checkpoint/index.ts'
import { isKenError } from '../../../proto/src/ken-error.ts'
import { errors } from '../log/errors.ts'

/** The default file: beside the appliance key. */
export function defaultLogKeyFile (applianceKeyFile: string): string {
  return path.join(path.dirname(applianceKeyFile), 'log-signing.key')
}

/**
 * Read the signing key, creating it (0600, O_EXCL, fsynced) under `createAs` when the file is absent;
 * `name`, when given, is the origin the key must have.
 * @throws KEN_ERR_LOG_KEY_FILE (mode, format, a name other than `name`, I/O)
 */
export async function loadLogSigningKey (file: string, name?: string, createAs: string | undefined = name): Promise<NoteSigner> {
  if (createAs !== undefined && !isKeyName(createAs)) throw errors.KEN_ERR_LOG_KEY_FILE('the origin must be a key name: no spaces, no "+"', { field: 'logOrigin' })
  if (name !== undefined && !isKeyName(name)) throw errors.KEN_ERR_LOG_KEY_FILE('the origin must be a key name: no spaces, no "+"', { field: 'logOrigin' })
  let text: string
  try {
    const info = await stat(file)
    if (!info.isFile()) throw errors.KEN_ERR_LOG_KEY_FILE('not a regular file', { field: 'logKeyFile' })
    if ((info.mode & 0o077) !== 0) throw errors.KEN_ERR_LOG_KEY_FILE('mode allows group or other access (want 0600)', { field: 'logKeyFile' })
    text = await readFile(file, 'utf8')
  } catch (err) {
    if (isKenError(err)) throw err
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || createAs === undefined) throw errors.KEN_ERR_LOG_KEY_FILE((err as NodeJS.ErrnoException).code ?? 'I/O error', { field: 'logKeyFile', cause: err })
    return await create(file, createAs)
  }
  let signer: NoteSigner
  try {
    signer = parseSignerKey(text)
  } catch (err) {
    throw errors.KEN_ERR_LOG_KEY_FILE('not a signed-note Ed25519 signer key', { field: 'logKeyFile', cause: err })
  }
  if (name !== undefined && signer.name !== name) throw errors.KEN_ERR_LOG_KEY_FILE(`the key is named ${signer.name}, the configured origin is ${name}; the origin cannot change`, { field: 'logOrigin' })
  return signer
}

async function create (file: string, name: string): Promise<NoteSigner> {
  const seed = randomBytes(32)
  const text = `${signerKeyText(name, seed)}\n`
  seed.fill(0)
  try {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 })
    const handle = await open(file, 'wx', 0o600)
    try {
      await handle.writeFile(text)
      await handle.sync()
    } finally {
      await handle.close()
    }
    const dir = await open(path.dirname(file), 'r')
    try {
      await dir.sync()
    } finally {
      await dir.close()
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return await loadLogSigningKey(file, name)
    throw errors.KEN_ERR_LOG_KEY_FILE((err as NodeJS.ErrnoException).code ?? 'I/O error', { field: 'logKeyFile', cause: err })
  }
  return parseSignerKey(text)
}
