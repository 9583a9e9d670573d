/**
 * The appliance configuration as ken-terminal's options (`ken-terminal serve --config FILE`, what the
 * systemd unit runs): the terminal socket (paths.terminalSocket, reached through the group
 * ken-terminal-sock), the maintenance socket (paths.terminalMaintSocket), the listener (terminal.host/port, loopback unless allowed), and the TLS server
 * certificate and key from the PKI directory.
 */
import path from 'node:path'
import type { Config } from '../../../firmware-config/src/load.ts'
import { resolvePaths } from '../../../firmware-config/src/paths.ts'
import type { TerminalDaemonInput } from './options.ts'

export function terminalOptionsFrom (config: Config, cwd = process.cwd()): TerminalDaemonInput {
  const paths = resolvePaths(config, cwd)
  return {
    socketPath: paths.terminalSocket,
    host: config.terminal.host,
    port: config.terminal.port,
    certFile: path.join(paths.pkiDir, 'server.crt'),
    keyFile: path.join(paths.pkiDir, 'server.key'),
    // ken-maint's health, metrics and live certificate rotation (issue 16; /run/ken-terminal on the appliance)
    maintSocket: paths.terminalMaintSocket
  }
}
