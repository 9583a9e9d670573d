// ken-maint from the appliance configuration reaches every daemon's maintenance socket where that
// daemon opens it, and rotates the files each daemon reads at start: the paths agree with
// ken-national's own from-config (the client credential, the national CA; no CRL) and the gateway's.
import t from 'tap'
import path from 'node:path'
import { loadConfig } from '../../../firmware-config/src/load.ts'
import { resolvePaths } from '../../../firmware-config/src/paths.ts'
import { gatewayOptionsFrom } from '../../../gateway/src/from-config.ts'
import { maintOptionsFrom } from '../../../server/src/maint/from-config.ts'
import { parseMaintOptions } from '../../../server/src/maint/options.ts'
import { nationalOptionsFrom } from '../../../server/src/national/from-config.ts'
import { parseNationalOptions } from '../../../server/src/national/options.ts'
import { tempDir } from '../store/helpers.ts'

t.test('the four sockets and the rotatable files, as the daemons use them', async (t) => {
  const dir = tempDir(t)
  const config = loadConfig({ paths: { stateDir: dir } }, { env: {} })
  const paths = resolvePaths(config)
  const maint = parseMaintOptions(maintOptionsFrom(config, undefined))
  t.same(maint.daemons, { store: paths.storeMaintSocket, gateway: paths.gatewayMaintSocket, terminal: paths.terminalMaintSocket, national: paths.nationalMaintSocket })
  t.equal(paths.terminalMaintSocket, path.join(dir, 'run', 'terminal-maint.sock'))
  const national = parseNationalOptions(nationalOptionsFrom(config))
  t.equal(national.maintSocket, paths.nationalMaintSocket, 'ken-national opens the socket ken-maint calls')
  t.same(maint.rotatable.national, { caFile: national.caFile, certFile: national.certFile, keyFile: national.keyFile }, 'the files ken-national reads; no CRL')
  const gateway = gatewayOptionsFrom(config)
  t.same(maint.rotatable.gateway, gateway.tls, 'the files the gateway reads')
})
