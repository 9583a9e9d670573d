/**
 * Error catalogue of the transparency log (server/src/log/ and the store's use of it; STYLE.md: one
 * coded catalogue per package, the export name is the code). docs/transparency-log.md carries the
 * same table and a test keeps the two in step.
 */
import { defineErrors } from '../../../proto/src/ken-error.ts'

export const errors = defineErrors({
  KEN_ERR_LOG_KEY: { message: 'a signed-note key is malformed (name, key hash or Ed25519 key)' },
  KEN_ERR_LOG_KEY_FILE: { message: 'the log-signing key file is unusable (format, permissions or I/O)' },
  KEN_ERR_LOG_NO_SIGNING_KEY: { message: 'this operation needs the log-signing key, and the store was opened without it' },
  KEN_ERR_LOG_NO_CHECKPOINT: { message: 'no checkpoint of that size is kept' },
  KEN_ERR_LOG_RANGE: { message: 'a position or tree size is outside the log or the checkpoint' },
  KEN_ERR_LOG_NOT_OWN_ENTRY: { message: 'the entry is not an update received from the asking municipality' },
  KEN_ERR_LOG_UNAVAILABLE: { message: 'the transparency log cannot be reached now; ask again later' }
})
