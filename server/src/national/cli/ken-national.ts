/**
 * ken-national — the link to the national server (SPEC §5.1).
 *
 *   ken-national --config FILE [--status-file PATH]       (the appliance: firmware-config)
 *   ken-national --outbox PATH --prefecture PP --url mqtts://HOST:PORT --ca NATIONAL_CA.pem
 *                --cert CLIENT.crt --key CLIENT.key [--window N] [--batch N] [--status-file PATH] [--maint-socket PATH]
 *
 * JSON log lines on stderr (events `national.*`, no personal data); SIGTERM/SIGINT stop it cleanly.
 */
import { parseArgs } from 'node:util'
import { isKenError } from '../../../../proto/src/ken-error.ts'
import { startNationalDaemon } from '../daemon.ts'
import { nationalLogger } from '../logger.ts'
import { nationalOptionsFrom } from '../from-config.ts'
import { loadConfig } from '../../../../firmware-config/src/load.ts'

const USAGE = 'usage: ken-national --config FILE [--status-file PATH] | ken-national --outbox PATH --prefecture PP --url mqtts://HOST:PORT --ca FILE --cert FILE --key FILE [--window N] [--batch N] [--status-file PATH] [--maint-socket PATH]'

async function main (argv: string[]): Promise<number> {
  let values
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        config: { type: 'string' },
        outbox: { type: 'string' },
        prefecture: { type: 'string' },
        url: { type: 'string' },
        ca: { type: 'string' },
        cert: { type: 'string' },
        key: { type: 'string' },
        window: { type: 'string' },
        batch: { type: 'string' },
        'status-file': { type: 'string' },
        'maint-socket': { type: 'string' }
      }
    }))
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`)
    return 2
  }
  const log = nationalLogger()
  let daemon
  try {
    const fromFile = values.config === undefined ? undefined : nationalOptionsFrom(loadConfig(values.config))
    daemon = await startNationalDaemon(fromFile !== undefined ? { ...fromFile, ...(values['status-file'] === undefined ? {} : { statusFile: values['status-file'] }) } : {
      outboxSocketPath: values.outbox ?? '',
      prefectureCode: values.prefecture ?? '',
      nationalUrl: values.url ?? '',
      caFile: values.ca ?? '',
      certFile: values.cert ?? '',
      keyFile: values.key ?? '',
      ...(values.window === undefined ? {} : { window: Number(values.window) }),
      ...(values.batch === undefined ? {} : { batch: Number(values.batch) }),
      ...(values['status-file'] === undefined ? {} : { statusFile: values['status-file'] }),
      ...(values['maint-socket'] === undefined ? {} : { maintSocket: values['maint-socket'] })
    }, { logger: log })
  } catch (err) {
    process.stderr.write(`${isKenError(err) ? `${err.code}: ` : ''}${(err as Error).message}\n${USAGE}\n`)
    return 2
  }
  return await new Promise<number>((resolve) => {
    const stop = (signal: string): void => {
      log.info('national.signal', { signal })
      daemon.close().then(() => resolve(0), () => resolve(1))
    }
    process.once('SIGTERM', () => stop('SIGTERM'))
    process.once('SIGINT', () => stop('SIGINT'))
  })
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code }, (err: unknown) => {
  process.stderr.write(`ken-national failed: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exitCode = 1
})
