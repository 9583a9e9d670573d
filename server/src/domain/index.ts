/**
 * The domain rules of ken-server (issue 2 part 3): pure functions, no I/O. The gateway runs
 * validateUpdate on every decoded update; the store runs decideIdentityUpdate / decideFuhyoUpdate
 * against its current state. Every rule, its source and its code: docs/domain-rules.md.
 */
export type { ResidentStatus, ResidentRecord, FuhyoRecord, IdentityContext, Decision } from './records.ts'
export { kojinBangoCheckDigit, isValidKojinBango, municipalityCheckDigit, isValidMunicipalityCode, juminhyoCodeCheckDigit, isValidJuminhyoCode } from './identifiers.ts'
export { MIN_YEAR, isLeapYear, daysInMonth, isIsoDate, isIsoDateTime, compareDates, isAfter, isBefore, dateTimeToEpochMs, compareDateTimes } from './dates.ts'
export { toSeionKana, isKatakanaName } from './kana.ts'
export { GAIJI_FIRST, GAIJI_LAST, isGaijiCodePoint, countGaiji, checkGaiji, type GaijiItem } from './gaiji.ts'
export { DEFAULT_MAX_TEXT_LENGTH } from './field-checks.ts'
export { CHANGE_KINDS, MOVING_IN, changeKindOf, type ChangeKind } from './change-reasons.ts'
export { validateUpdate, type ValidateUpdateOptions } from './validate-update.ts'
export { validateIdentity, type IdentityCheckOptions } from './validate-identity.ts'
export { validateFuhyo, type FuhyoCheckOptions } from './validate-fuhyo.ts'
export { PERSON_ITEMS, TENKYO_MAY_CHANGE, differingItems, buildResidentRecord, type PersonItem } from './resident-record.ts'
export { decideIdentityUpdate } from './transition.ts'
export { decideFuhyoUpdate, type FuhyoContext } from './fuhyo-transition.ts'
