/**
 * The appliance key (SPEC §2.5): 32 random bytes in a file that only the store's user may read. It
 * wraps every resident data key and keys the blind indexes; it never leaves the appliance and is never
 * in the database directory. Created on first start, like an SSH host key.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, open, stat, readFile } from 'node:fs/promises'
import path from 'node:path'
import { errors } from './errors.ts'

export const APPLIANCE_KEY_BYTES = 32

/**
 * Read the key file, creating it (mode 0600, O_EXCL, fsynced) when it does not exist.
 * @throws KEN_ERR_STORE_APPLIANCE_KEY when the file is not a regular 32-byte file, is readable by
 *   group or others, or cannot be read or created
 */
export async function loadApplianceKey (file: string, options: { create?: boolean } = {}): Promise<Buffer> {
  const create = options.create ?? true
  try {
    const info = await stat(file)
    if (!info.isFile() || info.size !== APPLIANCE_KEY_BYTES) throw errors.KEN_ERR_STORE_APPLIANCE_KEY('not a regular file of 32 bytes', { field: 'keyFile' })
    // Like ssh with a private key: a key others can read is a key that may have leaked.
    if ((info.mode & 0o077) !== 0) throw errors.KEN_ERR_STORE_APPLIANCE_KEY('mode allows group or other access (want 0600)', { field: 'keyFile' })
    return await readFile(file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw wrap(err)
    if (!create) throw errors.KEN_ERR_STORE_APPLIANCE_KEY('file does not exist', { field: 'keyFile', cause: err })
  }
  return await createKeyFile(file)
}

async function createKeyFile (file: string): Promise<Buffer> {
  const key = randomBytes(APPLIANCE_KEY_BYTES)
  try {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 })
    const handle = await open(file, 'wx', 0o600)
    try {
      await handle.writeFile(key)
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
    // Two starters racing: the other one created it first; use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return await loadApplianceKey(file, { create: false })
    throw wrap(err)
  }
  return key
}

function wrap (err: unknown): Error {
  if (err instanceof Error && 'code' in err && String(err.code).startsWith('KEN_')) return err
  return errors.KEN_ERR_STORE_APPLIANCE_KEY((err as NodeJS.ErrnoException).code ?? 'I/O error', { field: 'keyFile', cause: err })
}
