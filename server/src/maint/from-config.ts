/** The appliance configuration as ken-maint's options: the management listener, the PKI, the sockets. */
import { join, resolve } from 'node:path'
import type { Config } from '../../../firmware-config/src/load.ts'
import { resolvePaths } from '../../../firmware-config/src/paths.ts'
import type { MaintOptionsInput } from './options.ts'

export function maintOptionsFrom (config: Config, configFile: string | undefined, cwd = process.cwd()): MaintOptionsInput {
  const paths = resolvePaths(config, cwd)
  const pki = (f: string): string => join(paths.pkiDir, f)
  const files = { caFile: pki('ca.crt'), certFile: pki('server.crt'), keyFile: pki('server.key'), crlFile: pki('crl.pem') }
  // ken-national's files are where national/from-config.ts reads them; it takes no CRL.
  const national = { caFile: resolve(paths.stateDir, config.national.caFile), certFile: pki('national/ken-national.crt'), keyFile: pki('national/ken-national.key') }
  return {
    host: config.management.host,
    port: config.management.port,
    tls: files,
    daemons: { store: paths.storeMaintSocket, gateway: paths.gatewayMaintSocket, terminal: paths.terminalMaintSocket, national: paths.nationalMaintSocket },
    // The terminal serves the same server certificate as the gateway (npm start, the units).
    rotatable: { gateway: files, terminal: files, national },
    logDir: paths.logDir,
    ...(configFile === undefined ? {} : { configFile })
  }
}
