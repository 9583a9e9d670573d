/**
 * The one mapping of refusal codes to HTTP status (STYLE.md: errors mapped once). The JSON API
 * answers `{ code, field }`; the console shows the code's message in the operator's language.
 */
import type { TerminalErrorCode } from '../store/terminal/errors.ts'

const STATUS: Readonly<Record<TerminalErrorCode, number>> = {
  KEN_ERR_TERM_NO_SESSION: 401,
  KEN_ERR_TERM_SESSION_LOCKED: 423,
  KEN_ERR_TERM_LOGIN_FAILED: 401,
  KEN_ERR_TERM_ACCOUNT_LOCKED: 423,
  KEN_ERR_TERM_ACCOUNT_EXPIRED: 403,
  KEN_ERR_TERM_ACCOUNT_INACTIVE: 403,
  KEN_ERR_TERM_ROLE_FORBIDDEN: 403,
  KEN_ERR_TERM_PURPOSE_NOT_APPROVED: 403,
  KEN_ERR_TERM_ITEMS_OUTSIDE_PURPOSE: 403,
  KEN_ERR_TERM_SEARCH_CONDITIONS: 422,
  KEN_ERR_TERM_BAD_REQUEST: 400,
  KEN_ERR_TERM_UNKNOWN_REF: 404,
  KEN_ERR_TERM_RECIPIENT: 422,
  KEN_ERR_TERM_CHANNEL: 422,
  KEN_ERR_TERM_OTHER_BRANCH: 403,
  KEN_ERR_TERM_SAME_ADMINISTRATOR: 409,
  KEN_ERR_TERM_ACCOUNT_EXISTS: 409,
  KEN_ERR_TERM_ACCOUNT_UNKNOWN: 404,
  KEN_ERR_TERM_ACCOUNT_STATE: 409,
  KEN_ERR_TERM_CERTIFICATE: 422,
  KEN_ERR_TERM_WEAK_PIN: 422,
  KEN_ERR_TERM_UNAVAILABLE: 503,
  KEN_ERR_TERM_OPTIONS: 500
}

export function httpStatus (code: string): number {
  return Object.hasOwn(STATUS, code) ? STATUS[code as TerminalErrorCode] : 500
}
