/** The appliance configuration as ken-maint's options: the management listener, the PKI, the sockets. */
import { join } from 'node:path'
import type { Config } from '../../../firmware-config/src/load.ts'
import { resolvePaths } from '../../../firmware-config/src/paths.ts'
import type { MaintOptionsInput } from './options.ts'

export function maintOptionsFrom (config: Config, configFile: string | undefined, cwd = process.cwd()): MaintOptionsInput {
  const paths = resolvePaths(config, cwd)
  const pki = (f: string): string => join(paths.pkiDir, f)
  const files = { caFile: pki('ca.crt'), certFile: pki('server.crt'), keyFile: pki('server.key'), crlFile: pki('crl.pem') }
  return {
    host: config.management.host,
    port: config.management.port,
    tls: files,
    daemons: { store: paths.storeMaintSocket, gateway: paths.gatewayMaintSocket },
    rotatable: { gateway: files },
    logDir: paths.logDir,
    ...(configFile === undefined ? {} : { configFile })
  }
}
