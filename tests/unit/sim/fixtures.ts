/** Shared inputs of the generator tests: Fukuoka's municipalities and a stable digest of values. */
import { createHash } from 'node:crypto'
import { FUKUOKA_MUNICIPALITIES_FILE, loadMunicipalities } from '../../../firmware-config/src/index.ts'

export const MUNICIPALITIES = loadMunicipalities(FUKUOKA_MUNICIPALITIES_FILE).municipalities

/** SHA-256 over a sequence of values (JSON; byte arrays as hex). */
export function digest (values: Iterable<unknown>): string {
  const h = createHash('sha256')
  for (const v of values) h.update(JSON.stringify(v, (_k, x: unknown) => x instanceof Uint8Array ? Buffer.from(x).toString('hex') : x)).update('\n')
  return h.digest('hex')
}
