/**
 * ken-gateway — the CS line's MQTT/TLS daemon (SPEC §3), configured by firmware-config.
 *
 *   ken-gateway [--config FILE]
 *
 * Without --config the hardened defaults apply (state under ./var/). The PKI files are read from
 * `paths.pkiDir` (ca.crt, server.crt, server.key, crl.pem, as devPki and ken-pki write them) and
 * the store is reached at `paths.storeSocket`. SIGHUP reloads the CRLs; SIGTERM and SIGINT stop.
 * Logs: JSON lines on stderr. Exit 2: usage or configuration refused; 1: failed while running.
 */
import { parseArgs } from 'node:util'
import v8 from 'node:v8'
import pino from 'pino'
import { loadConfig, type Config } from '../../../firmware-config/src/load.ts'
import { isKenError } from '../../../proto/src/ken-error.ts'
import { startGateway } from '../daemon.ts'
import { gatewayOptionsFrom } from '../from-config.ts'
import { createLogger } from '../logger.ts'

const USAGE = 'usage: ken-gateway [--config FILE]'

// SPEC §8 (gateway RSS < 200 MB with 60 links): every update lives across a few young-generation
// collections while it waits for the store, so it dies in the old generation; by default V8 lets
// that grow to ~4× the live heap before compacting it. 1.5× keeps the peak heap near 60 MB for a
// few more mark-compacts of a ~30 MB live heap (measured: RSS 257 → 181 MB, CPU per update unchanged).
v8.setFlagsFromString('--heap-growing-percent=50')

async function main (argv: string[]): Promise<number> {
  let values: { config?: string }
  try {
    values = parseArgs({ args: argv, strict: true, options: { config: { type: 'string' } } }).values
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`)
    return 2
  }
  let config: Config
  try {
    config = loadConfig(values.config ?? {})
  } catch (err) {
    process.stderr.write(`${isKenError(err) ? `${err.code}: ${err.message}` : String(err)}\n`)
    return 2
  }
  const base = pino({ base: { service: 'ken-gateway' }, level: config.logging.level, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination({ dest: 2, sync: false }))
  const gateway = await startGateway(gatewayOptionsFrom(config), { logger: createLogger(base) })
  // A refused CRL file is logged by the listener (gateway.crl.reload_failed); the old CRLs stay.
  process.on('SIGHUP', () => { gateway.reloadCrl().catch(() => {}) })
  return await new Promise<number>((resolve) => {
    const stop = (): void => { gateway.close().then(() => { resolve(0) }, () => { resolve(1) }) }
    process.once('SIGTERM', stop)
    process.once('SIGINT', stop)
  })
}

main(process.argv.slice(2)).then((code) => process.exit(code), (err: unknown) => {
  process.stderr.write(`${JSON.stringify({ service: 'ken-gateway', event: 'gateway.stopped', code: isKenError(err) ? err.code : 'uncoded' })}\n`)
  process.exit(isKenError(err) ? 2 : 1)
})
