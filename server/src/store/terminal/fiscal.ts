/**
 * Registration expiry (A1.11): "登録情報の有効期限を最長でも次年度の4月30日". Japan's fiscal year
 * starts on 1 April, so a registration made in fiscal year Y (1 April Y – 31 March Y+1) ends at the
 * latest on 30 April Y+1 — the 30th day of the next fiscal year — and fails from 1 May.
 */

/** The last valid day (YYYY-MM-DD, Japan time) of a registration made at `at`. */
export function registrationExpiry (at: Date): string {
  const { year, month } = japanDate(at)
  const fiscalYear = month >= 4 ? year : year - 1
  return `${fiscalYear + 1}-04-30`
}

/** True when `expires` (YYYY-MM-DD) is before the Japan-time date of `now`. */
export function isExpired (expires: string, now: Date): boolean {
  return japanDay(now) > expires
}

/** The Japan-time calendar date of an instant, YYYY-MM-DD (JST has no daylight saving: UTC+9). */
export function japanDay (at: Date): string {
  return new Date(at.getTime() + 9 * 3600_000).toISOString().slice(0, 10)
}

function japanDate (at: Date): { year: number, month: number } {
  const day = japanDay(at)
  return { year: Number(day.slice(0, 4)), month: Number(day.slice(5, 7)) }
}
