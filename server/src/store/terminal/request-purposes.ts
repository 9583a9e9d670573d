/**
 * The 事務 under which a resident's own requests are handled (SPEC §6): disclosure (住基法30条の32)
 * and correction requests (30条の35). Their codes are reserved in the purposes registry: a
 * prefecture's registry that offers these services lists them under these codes (docs/terminal.md).
 */
import { japanDay } from './fiscal.ts'

export const DISCLOSURE_PURPOSE = 'K-KAIJI'
export const CORRECTION_PURPOSE = 'K-TEISEI'

/** Japan's fiscal year (from 1 April) of an instant, for reference numbers. */
export function fiscalYearOf (at: Date): number {
  const day = japanDay(at)
  const year = Number(day.slice(0, 4))
  return Number(day.slice(5, 7)) >= 4 ? year : year - 1
}
