/**
 * firmware-config's configuration as the gateway's options: the `gateway` section as it is, plus the
 * paths (store socket, PKI files as devPki and ken-pki write them), the 住民票コード check-digit
 * option and the prefecture's municipality codes.
 */
import { join } from 'node:path'
import type { Config } from '../../firmware-config/src/load.ts'
import { resolvePaths } from '../../firmware-config/src/paths.ts'
import type { GatewayOptionsInput } from './options.ts'

export function gatewayOptionsFrom (config: Config, cwd = process.cwd()): GatewayOptionsInput {
  const paths = resolvePaths(config, cwd)
  return {
    ...config.gateway,
    keepalive: { ...config.gateway.keepalive },
    storeSocket: paths.storeSocket,
    maintSocket: paths.gatewayMaintSocket,
    tls: {
      caFile: join(paths.pkiDir, 'ca.crt'),
      certFile: join(paths.pkiDir, 'server.crt'),
      keyFile: join(paths.pkiDir, 'server.key'),
      crlFile: join(paths.pkiDir, 'crl.pem')
    },
    juminhyoCheckDigit: config.store.juminhyoCheckDigit,
    municipalities: config.prefecture.municipalities.map((m) => m.code)
  }
}
