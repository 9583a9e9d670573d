/**
 * A key file only its owner may read (SPEC §2.5, §4: the appliance key, the log-signing key): read it
 * if it is a regular file of mode 0600 (like ssh with a private key, a key others can read is a key
 * that may have leaked), or create it on first start — O_EXCL, mode 0600, the file and its directory
 * fsynced, like an SSH host key. Each caller refuses with its own coded error.
 */
import { mkdir, open, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { isKenError, type ErrorFactory } from '../../../proto/src/ken-error.ts'

export interface PrivateFileRules {
  /** The caller's error (KEN_ERR_STORE_APPLIANCE_KEY, KEN_ERR_LOG_KEY_FILE). */
  readonly refuse: ErrorFactory
  /** The option that names the file. */
  readonly field: string
  /** The exact size the file must have, if it has one. */
  readonly bytes?: number
}

/** The file's content; undefined when it does not exist. @throws `rules.refuse` (not regular, wrong size, mode, I/O) */
export async function readPrivateFile (file: string, rules: PrivateFileRules): Promise<Buffer | undefined> {
  const { refuse, field, bytes } = rules
  try {
    const info = await stat(file)
    if (!info.isFile() || (bytes !== undefined && info.size !== bytes)) throw refuse(`not a regular file${bytes === undefined ? '' : ` of ${bytes} bytes`}`, { field })
    if ((info.mode & 0o077) !== 0) throw refuse('mode allows group or other access (want 0600)', { field })
    return await readFile(file)
  } catch (err) {
    if (isKenError(err)) throw err
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw refuse((err as NodeJS.ErrnoException).code ?? 'I/O error', { field, cause: err })
  }
}

/**
 * Create the file with `content`, durably. False when it exists already (another starter won the
 * race: read theirs). @throws `rules.refuse` on I/O errors
 */
export async function createPrivateFile (file: string, content: Buffer | string, rules: PrivateFileRules): Promise<boolean> {
  try {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 })
    const handle = await open(file, 'wx', 0o600)
    try {
      await handle.writeFile(content)
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
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw rules.refuse((err as NodeJS.ErrnoException).code ?? 'I/O error', { field: rules.field, cause: err })
  }
}
