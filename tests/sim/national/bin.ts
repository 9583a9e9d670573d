/**
 * The national server simulator as its own process (for `npm start` and the outage tests, which
 * SIGKILL it):
 *
 *   node --import tsx tests/sim/national/bin.ts --db DIR --cert FILE --key FILE --client-ca FILE
 *        [--crl FILE] [--host H] [--port N] [--seed-residents N]
 *
 * JSON lines on stderr; the `national-sim.ready` line carries the port.
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import pino from 'pino'
import { startNationalSimulator } from './simulator.ts'
import { otherPrefectureResidents } from './others.ts'

const { values } = parseArgs({
  args: process.argv.slice(2),
  strict: true,
  options: {
    db: { type: 'string' },
    cert: { type: 'string' },
    key: { type: 'string' },
    'client-ca': { type: 'string' },
    crl: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    'seed-residents': { type: 'string' }
  }
})
const need = (v: string | undefined, name: string): string => {
  if (v === undefined) throw new Error(`--${name} is required`)
  return v
}
const logger = pino({ base: { service: 'national-sim' }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination({ dest: 2, sync: true }))
const seedCount = Number(values['seed-residents'] ?? '0')
const sim = await startNationalSimulator({
  dbPath: need(values.db, 'db'),
  cert: readFileSync(need(values.cert, 'cert')),
  key: readFileSync(need(values.key, 'key')),
  clientCa: readFileSync(need(values['client-ca'], 'client-ca')),
  ...(values.crl === undefined ? {} : { crl: readFileSync(values.crl) }),
  host: values.host ?? '127.0.0.1',
  port: Number(values.port ?? '0'),
  seed: seedCount > 0 ? otherPrefectureResidents(seedCount) : [],
  logger
})
const stop = (): void => { void sim.close().then(() => process.exit(0)) }
process.once('SIGTERM', stop)
process.once('SIGINT', stop)
