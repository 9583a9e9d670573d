/**
 * validateUpdate: everything that can be decided about an Update from the update alone and the CS's
 * certificate — run by the gateway after decoding, before the store (SPEC §3: "validates every
 * protobuf update"). Checks against the prefectural file are transition.ts / fuhyo-transition.ts.
 */
import { reject } from '../../../proto/src/reason-codes.ts'
import { Stream, type Update } from '../../../proto/src/types.ts'
import { isIsoDate, isIsoDateTime } from './dates.ts'
import { isValidMunicipalityCode } from './identifiers.ts'
import { checkText, requireMunicipalityCode, DEFAULT_MAX_TEXT_LENGTH } from './field-checks.ts'
import { validateIdentity } from './validate-identity.ts'
import { validateFuhyo } from './validate-fuhyo.ts'

/** What validateUpdate needs beyond the update. */
export interface ValidateUpdateOptions {
  /** 市町村コード carried by the CS's certificate (the authenticated sender). */
  readonly certMunicipality: string
  /** Check the modulus-11 check digit of 住民票コード (SPEC §2.3: configurable, off by default). */
  readonly juminhyoCheckDigit: boolean
  /** The server's date (YYYY-MM-DD): no 生年月日 or 異動年月日 may be later. */
  readonly today: string
  /** Bound on every text item, in code points (default {@link DEFAULT_MAX_TEXT_LENGTH}). */
  readonly maxTextLength?: number
}

/**
 * Throw the first coded rejection of `update`, or return when it passes every field check.
 * The order is fixed (envelope, then body in wire-field order), so a CS always gets the same reason
 * for the same payload.
 * @throws KenError whose `code` is a KEN_REJECT_* and whose `field` is the snake_case wire name
 * @throws RangeError when the options themselves are wrong (a programming error, not a rejection)
 */
export function validateUpdate (update: Update, opts: ValidateUpdateOptions): void {
  if (!isValidMunicipalityCode(opts.certMunicipality)) throw new RangeError('certMunicipality must be a valid 地方公共団体コード')
  if (!isIsoDate(opts.today)) throw new RangeError('today must be an ISO calendar date')
  const max = opts.maxTextLength ?? DEFAULT_MAX_TEXT_LENGTH
  if (!Number.isSafeInteger(max) || max < 1) throw new RangeError('maxTextLength must be a positive integer')

  requireMunicipalityCode(update.municipalityCode, 'municipality_code')
  // SPEC §3: the MQTT identity (certificate) decides who the sender is; the payload must agree.
  if (update.municipalityCode !== opts.certMunicipality) throw reject.KEN_REJECT_MUNICIPALITY_MISMATCH(undefined, { field: 'municipality_code' })
  if (update.stream !== Stream.NORMAL && update.stream !== Stream.ABNORMAL) throw reject.KEN_REJECT_BAD_STREAM(undefined, { field: 'stream' })
  // 更新順番号 starts at 1 per stream; 0 is what an unset proto3 field decodes to.
  if (!Number.isSafeInteger(update.sequence) || update.sequence < 1) throw reject.KEN_REJECT_BAD_SEQUENCE(undefined, { field: 'sequence' })
  // 依頼管理番号, 操作者ID, 操作端末ID: free references of the CS, optional, but bounded and printable.
  checkText(update.requestId, 'request_id', max)
  checkText(update.operatorId, 'operator_id', max)
  checkText(update.terminalId, 'terminal_id', max)
  if (update.timestamp === '') throw reject.KEN_REJECT_MISSING_FIELD(undefined, { field: 'timestamp' })
  if (!isIsoDateTime(update.timestamp)) throw reject.KEN_REJECT_BAD_TIMESTAMP(undefined, { field: 'timestamp' })

  const identity = update.identity ?? undefined
  const fuhyo = update.fuhyo ?? undefined
  // The decoder refuses two members of the oneof; an Update built in-process is held to the same rule.
  if (identity !== undefined && fuhyo !== undefined) throw reject.KEN_REJECT_DUPLICATE_FIELD('both bodies', { field: 'body' })
  const checks = { juminhyoCheckDigit: opts.juminhyoCheckDigit, today: opts.today, maxTextLength: max }
  if (identity !== undefined) validateIdentity(identity, checks)
  else if (fuhyo !== undefined) validateFuhyo(fuhyo, checks)
  else throw reject.KEN_REJECT_MISSING_FIELD(undefined, { field: 'body' })
}
