/**
 * ken-terminal — the operator terminal daemon (SPEC §6).
 *
 *   ken-terminal serve --socket PATH --cert FILE --key FILE [--host IP] [--port N] [--terminal-id ID] [--maint-socket PATH]
 *   ken-terminal serve --config FILE [--terminal-id ID]      (the systemd unit: everything from the appliance configuration)
 *
 * Logs: JSON lines on stderr with an `event` (terminal.ready, terminal.request.failed, terminal.closed).
 * SIGTERM/SIGINT finish the requests in flight and exit. Exit 2: usage or invalid options.
 */
import { parseArgs } from 'node:util'
import pino from 'pino'
import { isKenError } from '../../../../proto/src/ken-error.ts'
import { loadConfig } from '../../../../firmware-config/src/load.ts'
import { startTerminalDaemon, type TerminalDaemon } from '../daemon.ts'
import { terminalOptionsFrom } from '../from-config.ts'

const USAGE = 'usage: ken-terminal serve (--config FILE | --socket PATH --cert FILE --key FILE [--host IP] [--port N] [--maint-socket PATH]) [--terminal-id ID]'
const logger = pino({ base: { service: 'ken-terminal' }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination({ dest: 2, sync: true }))

async function main (argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  const { values } = parseArgs({ args: rest, strict: true, options: { socket: { type: 'string' }, cert: { type: 'string' }, key: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' }, 'terminal-id': { type: 'string' }, config: { type: 'string' }, 'maint-socket': { type: 'string' } } })
  if (command !== 'serve') return usage(`unknown command ${command ?? ''}`)
  const terminalId = values['terminal-id'] === undefined ? {} : { terminalId: values['terminal-id'] }
  if (values.config !== undefined) return await run(await startTerminalDaemon({ ...terminalOptionsFrom(loadConfig(values.config)), ...terminalId }, { logger }))
  if (values.socket === undefined || values.cert === undefined || values.key === undefined) return usage('serve needs --config, or --socket, --cert and --key')
  return await run(await startTerminalDaemon({
    socketPath: values.socket,
    certFile: values.cert,
    keyFile: values.key,
    ...(values.host === undefined ? {} : { host: values.host }),
    ...(values.port === undefined ? {} : { port: Number(values.port) }),
    ...(values['maint-socket'] === undefined ? {} : { maintSocket: values['maint-socket'] }),
    ...terminalId
  }, { logger }))
}

async function run (daemon: TerminalDaemon): Promise<number> {
  return await new Promise<number>((resolve) => {
    const stop = (signal: string): void => {
      logger.info({ event: 'terminal.signal', signal }, 'stopping on signal')
      daemon.close().then(() => resolve(0), () => resolve(1))
    }
    process.once('SIGTERM', () => stop('SIGTERM'))
    process.once('SIGINT', () => stop('SIGINT'))
  })
}

function usage (why: string): number {
  process.stderr.write(`${why}\n${USAGE}\n`)
  return 2
}

main(process.argv.slice(2)).then((code) => process.exit(code), (err: unknown) => {
  logger.error({ event: 'terminal.cli.failed', code: isKenError(err) ? err.code : 'unknown', message: isKenError(err) ? err.message : String(err) }, 'ken-terminal failed')
  process.exit(2)
})
