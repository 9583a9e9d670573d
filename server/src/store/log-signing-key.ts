/**
 * The log-signing key (SPEC §4 signed checkpoints): an Ed25519 key made at set-up beside the
 * appliance key — mode 0600, outside the database directory (private-file.ts) — in the signer-key text of C2SP
 * signed-note as golang.org/x/mod/sumdb/note writes it (`PRIVATE+KEY+name+hash+base64`). Its name is
 * the checkpoints' origin and never changes: auditors hold the verifier key that goes with it.
 */
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { isKeyName, parseSignerKey, signerKeyText, type NoteSigner } from '../log/checkpoint/index.ts'
import { errors } from '../log/errors.ts'
import { createPrivateFile, readPrivateFile, type PrivateFileRules } from './private-file.ts'

const RULES: PrivateFileRules = { refuse: errors.KEN_ERR_LOG_KEY_FILE, field: 'logKeyFile' }

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
  const bytes = await readPrivateFile(file, RULES)
  if (bytes === undefined) {
    if (createAs === undefined) throw errors.KEN_ERR_LOG_KEY_FILE('ENOENT', { field: 'logKeyFile' })
    return await create(file, createAs)
  }
  const text = bytes.toString('utf8')
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
  // Two starters racing: the other one created it first; use theirs.
  if (!await createPrivateFile(file, text, RULES)) return await loadLogSigningKey(file, name)
  return parseSignerKey(text)
}
