/**
 * Error catalogue of the store daemon (STYLE.md: one coded catalogue per package; the export name is
 * the code). docs/store-contract.md carries the same table and a test keeps the two in step.
 * Details appended to a message MUST NOT carry personal data (SPEC §7).
 */
import { defineErrors } from '../../../proto/src/ken-error.ts'

export const errors = defineErrors({
  KEN_ERR_STORE_INVALID_OPTIONS: { message: 'the store options are invalid' },
  KEN_ERR_STORE_INVALID_ITEM: { message: 'an append item is malformed; nothing of its request was committed' },
  KEN_ERR_STORE_INVALID_ARGUMENT: { message: 'an argument of a store call is malformed' },
  KEN_ERR_STORE_NOT_OPEN: { message: 'the store is not open (or is closing)' },
  KEN_ERR_STORE_READ_ONLY: { message: 'the store was opened read-only (verify); it takes no writes' },
  KEN_ERR_STORE_FAILED: { message: 'a commit failed earlier; the store refuses writes until it is restarted' },
  KEN_ERR_STORE_WRITE_FAILED: { message: 'the atomic batch of a commit group could not be written durably' },
  KEN_ERR_STORE_APPEND_FAILED: { message: 'the request could not be planned; nothing of it was committed' },
  KEN_ERR_STORE_NO_APPLIANCE_KEY: { message: 'this operation needs the appliance key, and the store was opened without it' },
  KEN_ERR_STORE_APPLIANCE_KEY: { message: 'the appliance key file is unusable (size, permissions or I/O)' },
  KEN_ERR_STORE_KEY_ERASED: { message: 'the resident data key was erased (crypto-shredded); the data cannot be read' },
  KEN_ERR_STORE_ACT_KIND: { message: 'the act kind is not in the registry (proto/src/act-kinds.ts)' },
  KEN_ERR_STORE_TEMP_UNKNOWN: { message: 'no 附票 temporary-area slot has this id (erased, expired or never made)' },
  KEN_ERR_STORE_UNKNOWN_RESIDENT: { message: 'the file holds no record under this 住民票コード' },
  KEN_ERR_STORE_APPROVER: { message: 'the act needs a second approver who is not the requester' },
  KEN_ERR_STORE_NO_KOJIN_BANGO: { message: 'the current record holds no 個人番号 to draw' },
  KEN_ERR_STORE_KEY_UNKNOWN: { message: 'no resident data key has this key id' },
  KEN_ERR_STORE_DECRYPT: { message: 'a sealed value failed authentication (tampered, or a different appliance key)' },
  KEN_ERR_STORE_CORRUPT: { message: 'stored data is not in the format the store writes' },
  KEN_ERR_STORE_LAYOUT: { message: 'the store directory was made by an earlier on-disk layout' },
  KEN_ERR_STORE_VIEWS_AHEAD: { message: 'the views record a head beyond the end of the log (the log was truncated)' },
  KEN_ERR_STORE_CHAIN_BROKEN: { message: 'the hash chain of the log does not verify' },
  KEN_ERR_STORE_SOCKET_IN_USE: { message: 'another process is listening on the append socket path' },
  KEN_ERR_STORE_SOCKET_PATH: { message: 'the append socket path exists and is not a socket' },
  KEN_ERR_STORE_BAD_FRAME: { message: 'an append frame is oversized or not an AppendRequest; the connection is closed' },
  KEN_ERR_STORE_CONNECTION_CLOSED: { message: 'the append connection closed before the response arrived' },
  KEN_ERR_STORE_PROTOCOL: { message: 'the append peer broke the protocol (unexpected or undecodable response)' },
  KEN_ERR_STORE_OUTBOX_POSITION: { message: 'an outbox read must start at 0 (the confirmed position) or right after the previous batch' },
  KEN_ERR_STORE_OUTBOX_CONFIRM: { message: 'an outbox confirm must name a forward this session was given, at or beyond the confirmed position' },
  KEN_ERR_STORE_OUTBOX_BUSY: { message: 'the outbox has a consumer already; a second one is refused' },
  KEN_ERR_STORE_NATIONAL_QUERY: { message: 'a national query needs a purpose and one key: 住民票コード, 個人番号, or at least two of 氏名/住所/生年月日' },
  KEN_ERR_STORE_NATIONAL_NO_LINK: { message: 'no ken-national is connected to the outbox socket; the national server cannot be asked' },
  KEN_ERR_STORE_NATIONAL_TIMEOUT: { message: 'the national server did not answer the query in time' },
  KEN_ERR_STORE_RECONCILE_UNKNOWN: { message: 'no reconciliation run or difference at this position and index' },
  KEN_ERR_STORE_RECONCILE_RESOLVED: { message: 'this mismatch was resolved already' },
  KEN_ERR_STORE_RECONCILE_FIX: { message: 'the log position given is not an accepted update of that municipality for that resident, after the run' },
  KEN_ERR_STORE_MAINT_UNSUPPORTED: { message: 'the maintenance socket does not offer this operation' },
  KEN_ERR_STORE_MAINT_BAD_FRAME: { message: 'a maintenance frame is oversized or not a MaintRequest; the connection is closed' },
  KEN_ERR_STORE_MAINT_ACT_KIND: { message: 'the maintenance socket records technician acts (maint.*) only' },
  KEN_ERR_STORE_MAINT_FAILED: { message: 'the maintenance operation failed' },
  KEN_ERR_STORE_BACKUP_RECIPIENT: { message: 'the backup recipient key is unusable (not an X25519 public key)' },
  KEN_ERR_STORE_BACKUP_NOT_CONFIGURED: { message: 'backups need a backup directory and the recipient key; the store was started without them' },
  KEN_ERR_STORE_BACKUP_BUSY: { message: 'a backup is already running' },
  KEN_ERR_STORE_BACKUP_FORMAT: { message: 'the file is not a ken-server backup, or it is truncated' },
  KEN_ERR_STORE_BACKUP_KEY_MISMATCH: { message: 'the key given is not the backup\'s recipient key (only the administrator\'s key decrypts a backup)' },
  KEN_ERR_STORE_BACKUP_TAMPERED: { message: 'the backup failed authentication: it was altered or damaged' },
  KEN_ERR_STORE_RESTORE_TARGET: { message: 'the restore target exists; restore writes into a new directory only' },
  KEN_ERR_STORE_RESTORE_VERIFY: { message: 'the restored log does not verify against the head (or checkpoint) recorded in the backup' },
  KEN_ERR_STORE_MEDIA_UNKNOWN: { message: 'no medium of the register has this id' }
})

export type StoreErrorCode = keyof typeof errors
