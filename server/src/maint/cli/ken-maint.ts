/**
 * ken-maint — the technicians' HTTPS service on the management interface (SPEC §7).
 *
 *   ken-maint [--config FILE]
 *
 * Mutual TLS: a technician certificate of the prefecture's CA (`ken-pki issue operator --role
 * technician`). Routes: docs/maintenance.md. Logs: JSON lines on stderr. SIGTERM/SIGINT stop.
 * Exit 2: usage or configuration refused.
 */
import { parseArgs } from 'node:util'
import { loadConfig, type Config } from '../../../../firmware-config/src/load.ts'
import { isKenError } from '../../../../proto/src/ken-error.ts'
import { startMaint } from '../daemon.ts'
import { maintOptionsFrom } from '../from-config.ts'

const USAGE = 'usage: ken-maint [--config FILE]'

async function main (argv: string[]): Promise<number> {
  let values: { config?: string }
  let config: Config
  try {
    values = parseArgs({ args: argv, strict: true, options: { config: { type: 'string' } } }).values
    config = loadConfig(values.config ?? {})
  } catch (err) {
    process.stderr.write(`${isKenError(err) ? `${err.code}: ` : ''}${(err as Error).message}\n${USAGE}\n`)
    return 2
  }
  const maint = await startMaint(maintOptionsFrom(config, values.config))
  return await new Promise<number>((resolve) => {
    const stop = (): void => { maint.close().then(() => { resolve(0) }, () => { resolve(1) }) }
    process.once('SIGTERM', stop)
    process.once('SIGINT', stop)
  })
}

main(process.argv.slice(2)).then((code) => process.exit(code), (err: unknown) => {
  process.stderr.write(`${JSON.stringify({ service: 'ken-maint', event: 'maint.failed', code: isKenError(err) ? err.code : 'uncoded' })}\n`)
  process.exit(isKenError(err) ? 2 : 1)
})
