/**
 * The appliance key (SPEC §2.5): 32 random bytes in a file that only the store's user may read. It
 * wraps every resident data key and keys the blind indexes; it never leaves the appliance and is never
 * in the database directory. Created on first start, like an SSH host key (private-file.ts).
 */
import { randomBytes } from 'node:crypto'
import { errors } from './errors.ts'
import { createPrivateFile, readPrivateFile, type PrivateFileRules } from './private-file.ts'

export const APPLIANCE_KEY_BYTES = 32

const RULES: PrivateFileRules = { refuse: errors.KEN_ERR_STORE_APPLIANCE_KEY, field: 'keyFile', bytes: APPLIANCE_KEY_BYTES }

/**
 * Read the key file, creating it (mode 0600, O_EXCL, fsynced) when it does not exist.
 * @throws KEN_ERR_STORE_APPLIANCE_KEY when the file is not a regular 32-byte file, is readable by
 *   group or others, or cannot be read or created
 */
export async function loadApplianceKey (file: string, options: { create?: boolean } = {}): Promise<Buffer> {
  const existing = await readPrivateFile(file, RULES)
  if (existing !== undefined) return existing
  if (options.create === false) throw errors.KEN_ERR_STORE_APPLIANCE_KEY('file does not exist', { field: 'keyFile' })
  const key = randomBytes(APPLIANCE_KEY_BYTES)
  // Two starters racing: the other one created it first; use theirs.
  return await createPrivateFile(file, key, RULES) ? key : await loadApplianceKey(file, { create: false })
}
