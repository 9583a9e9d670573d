/**
 * Time for certificates and CRLs: the UTCTime/GeneralizedTime choice of RFC 5280 §4.1.2.5 and
 * §5.1.2.4, and the validity periods this PKI gives each kind of certificate.
 */
import { Time } from 'pkijs'

const DAY_MS = 86_400_000

/** A date truncated to whole seconds (certificate times carry no fractions, RFC 5280 §4.1.2.5.1). */
export function wholeSeconds (d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000)
}

/** pkijs Time: UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5). */
export function certTime (d: Date): Time {
  const value = wholeSeconds(d)
  return new Time({ type: value.getUTCFullYear() >= 2050 ? 1 : 0, value })
}

/** `d` plus a number of days. */
export function addDays (d: Date, days: number): Date {
  return new Date(d.getTime() + days * DAY_MS)
}

/**
 * When an operator or technician registration ends (SPEC §6: "every registration expires no
 * later than 30 April of the next fiscal year"). The Japanese fiscal year runs 1 April – 31 March,
 * reckoned in JST (UTC+9); the end is 30 April 23:59:59 JST of the year after the fiscal year `now`
 * falls in.
 */
export function operatorRegistrationEnd (now: Date): Date {
  const jst = new Date(now.getTime() + 9 * 3_600_000)
  const fiscalYear = jst.getUTCMonth() >= 3 ? jst.getUTCFullYear() : jst.getUTCFullYear() - 1
  return new Date(Date.UTC(fiscalYear + 1, 3, 30, 23, 59, 59) - 9 * 3_600_000)
}
