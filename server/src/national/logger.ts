/** ken-national's JSON log: one stable `event` per line, never personal data (STYLE.md, SPEC §7). */
import pino, { type Logger } from 'pino'

export interface NationalLogger {
  info: (event: string, fields: Record<string, unknown>) => void
  warn: (event: string, fields: Record<string, unknown>) => void
  error: (event: string, fields: Record<string, unknown>) => void
}

/** Over pino (stderr by default). */
export function nationalLogger (base?: Logger): NationalLogger {
  const p = base ?? pino({ base: { service: 'ken-national' }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination({ dest: 2, sync: false }))
  return {
    info: (event, fields) => p.info({ event, ...fields }),
    warn: (event, fields) => p.warn({ event, ...fields }),
    error: (event, fields) => p.error({ event, ...fields })
  }
}
