/**
 * Error catalogue of ken-national (STYLE.md: one coded catalogue per package; the export name is the
 * code). docs/national.md carries the same table and a test keeps the two in step.
 * Details MUST NOT carry personal data (SPEC §7).
 */
import { defineErrors } from '../../../proto/src/ken-error.ts'

export const errors = defineErrors({
  KEN_ERR_NATIONAL_INVALID_OPTIONS: { message: 'the ken-national options are invalid' },
  KEN_ERR_NATIONAL_OUTBOX_CLOSED: { message: 'the outbox connection to the store closed' },
  KEN_ERR_NATIONAL_OUTBOX_PROTOCOL: { message: 'the store answered on the outbox socket with something unexpected' },
  KEN_ERR_NATIONAL_OUTBOX_REFUSED: { message: 'the store refused an outbox read or confirm' },
  KEN_ERR_NATIONAL_LINK_DOWN: { message: 'the link to the national server is down; the query was not sent' },
  KEN_ERR_NATIONAL_PEER_REFUSED: { message: 'the national server failed mutual authentication; nothing was sent to it' },
  KEN_ERR_NATIONAL_QUERY_TIMEOUT: { message: 'the national server did not answer the query in time' },
  KEN_ERR_NATIONAL_ROTATION_INVALID: { message: 'the TLS material offered for rotation is unusable; the credential in force stays' }
})

export type NationalErrorCode = keyof typeof errors
