/**
 * Error catalogue of the terminal capability (SPEC §6): what the store answers on the terminal
 * socket and what ken-terminal maps to HTTP once (server/src/terminal/http-errors.ts). The export
 * name is the code; docs/terminal.md carries the same table and a test keeps them in step.
 * Messages and details MUST NOT carry personal data: they reach the terminal and its logs.
 */
import { defineErrors } from '../../../../proto/src/ken-error.ts'

export const errors = defineErrors({
  KEN_ERR_TERM_NO_SESSION: { message: 'no valid operator session: log in first' },
  KEN_ERR_TERM_SESSION_LOCKED: { message: 'the session is locked (idle or by hand): authenticate again' },
  KEN_ERR_TERM_LOGIN_FAILED: { message: 'login failed: operator key, PIN or account not accepted' },
  KEN_ERR_TERM_ACCOUNT_LOCKED: { message: 'the account is locked after repeated failures: an administrator must unlock it' },
  KEN_ERR_TERM_ACCOUNT_EXPIRED: { message: 'the registration has expired (at the latest 30 April of the next fiscal year): renew it' },
  KEN_ERR_TERM_ACCOUNT_INACTIVE: { message: 'the account is not active (awaiting approval, revoked or deleted)' },
  KEN_ERR_TERM_ROLE_FORBIDDEN: { message: 'the role of this account may not do this' },
  KEN_ERR_TERM_PURPOSE_NOT_APPROVED: { message: 'the purpose (事務) is not approved for this account or its department' },
  KEN_ERR_TERM_ITEMS_OUTSIDE_PURPOSE: { message: 'an item is outside what the purpose may receive' },
  KEN_ERR_TERM_SEARCH_CONDITIONS: { message: 'a 4情報 search needs at least two of name, address and birth date (sex never counts)' },
  KEN_ERR_TERM_BAD_REQUEST: { message: 'the request is malformed' },
  KEN_ERR_TERM_UNKNOWN_REF: { message: 'the record reference is not from a search of this session' },
  KEN_ERR_TERM_RECIPIENT: { message: 'the recipient is not registered for this purpose and kind of provision' },
  KEN_ERR_TERM_CHANNEL: { message: 'the channel is not allowed for this recipient' },
  KEN_ERR_TERM_OTHER_BRANCH: { message: 'a branch administrator may manage only the users of their own branch' },
  KEN_ERR_TERM_SAME_ADMINISTRATOR: { message: 'the approval must come from a second administrator' },
  KEN_ERR_TERM_ACCOUNT_EXISTS: { message: 'an account with this id exists' },
  KEN_ERR_TERM_ACCOUNT_UNKNOWN: { message: 'no such account' },
  KEN_ERR_TERM_ACCOUNT_STATE: { message: 'the account is not in a state that allows this change' },
  KEN_ERR_TERM_CERTIFICATE: { message: 'the certificate is not an operator certificate for this account id' },
  KEN_ERR_TERM_WEAK_PIN: { message: 'the PIN is too short or too simple' },
  KEN_ERR_TERM_UNAVAILABLE: { message: 'the store could not answer' },
  KEN_ERR_TERM_OPTIONS: { message: 'the terminal options are invalid' },
  KEN_ERR_TERM_DELETION_REFERENCE: { message: 'a 物理削除 request needs the municipality\'s request reference' },
  KEN_ERR_TERM_DELETION_UNKNOWN_REQUEST: { message: 'no pending 物理削除 request has this id' },
  KEN_ERR_TERM_DELETION_SAME_PERSON: { message: 'a 物理削除 must be approved by someone other than the requester' },
  KEN_ERR_TERM_UNKNOWN_RESIDENT: { message: 'the file holds no resident under this 住民票コード' },
  KEN_ERR_TERM_PRINT_PROHIBITED: { message: 'printing screens with 本人確認情報 is prohibited on this appliance (terminal.hardcopy)' },
  KEN_ERR_TERM_ROTATION_INVALID: { message: 'the TLS material offered for rotation is unusable; the certificate in force stays' },
  KEN_ERR_TERM_IDENTITY_UNVERIFIED: { message: 'a disclosure needs the requester\'s identity verification: a listed document and the request form number' },
  KEN_ERR_TERM_CASE_UNKNOWN: { message: 'no such correction case' },
  KEN_ERR_TERM_CASE_STEP: { message: 'this step cannot follow the correction case\'s present state' },
  KEN_ERR_TERM_UPDATE_MISMATCH: { message: 'the log position is not an accepted update of the case\'s resident' },
  KEN_ERR_TERM_BULK_NO_APPROVAL: { message: 'no approval of a bulk provision with this ID' },
  KEN_ERR_TERM_BULK_APPROVAL_EXPIRED: { message: 'the approval of this bulk provision has expired' },
  KEN_ERR_TERM_BULK_APPROVAL_USED: { message: 'the approval of this bulk provision was used already' },
  KEN_ERR_TERM_BULK_APPROVAL_MISMATCH: { message: 'the bulk provision does not match its approval (requester, purpose or count)' }
})

export type TerminalErrorCode = keyof typeof errors
