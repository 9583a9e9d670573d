// Options validated once at the edge: unknown keys refused with the key named, defaults filled in,
// the result frozen; firmware-config's configuration maps onto them as it is.
import t from 'tap'
import { resolveOptions, DEFAULTS } from '../../../gateway/src/options.ts'
import { gatewayOptionsFrom } from '../../../gateway/src/from-config.ts'
import { loadConfig } from '../../../firmware-config/src/load.ts'

const minimal = { storeSocket: '/run/ken/store.sock', tls: { caFile: 'ca.crt', certFile: 'server.crt', keyFile: 'server.key', crlFile: 'crl.pem' } }

t.test('defaults fill what is left out, and the result is deep-frozen', async (t) => {
  const o = resolveOptions(minimal)
  t.equal(o.maxPacketBytes, DEFAULTS.maxPacketBytes)
  t.equal(o.crlStale, 'fail')
  t.same(o.keepalive, DEFAULTS.keepalive)
  t.ok(Object.isFrozen(o) && Object.isFrozen(o.tls) && Object.isFrozen(o.keepalive))
})

t.test('refusals name the key', async (t) => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ ...minimal, wildcards: true }, ''],
    [{ ...minimal, maxPacketBytes: 'big' }, 'maxPacketBytes'],
    [{ ...minimal, maxUpdateBytes: 65536, maxPacketBytes: 65536 }, 'maxUpdateBytes'],
    [{ ...minimal, maxBatchUpdates: 64, maxInflightUpdatesPerCs: 63 }, 'maxInflightUpdatesPerCs'],
    [{ ...minimal, maxInflightUpdatesPerCs: 4096, maxInflightUpdates: 4095 }, 'maxInflightUpdates'],
    [{ ...minimal, tls: { ...minimal.tls, ciphers: 'NULL' } }, 'tls'],
    [{ ...minimal, tlsMinVersion: 'TLSv1.2' }, 'tlsMinVersion'],
    [{ ...minimal, municipalities: ['401300'] }, 'municipalities.0'],
    [{ ...minimal, keepalive: { minSeconds: 10, maxSeconds: 5 } }, 'keepalive.minSeconds'],
    [{ tls: minimal.tls }, 'storeSocket']
  ]
  for (const [input, field] of cases) {
    t.throws(() => resolveOptions(input), { code: 'KEN_ERR_GW_OPTIONS', field }, JSON.stringify(field))
  }
})

t.test('firmware-config maps onto the options as it is', async (t) => {
  const config = loadConfig({ paths: { stateDir: '/var/lib/ken' }, gateway: { port: 9883, maxInflightPerCs: 32 } }, { env: {} })
  const o = resolveOptions(gatewayOptionsFrom(config))
  t.equal(o.port, 9883)
  t.equal(o.maxInflightPerCs, 32)
  t.equal(o.storeSocket, '/var/lib/ken/run/store.sock')
  t.same(o.tls, { caFile: '/var/lib/ken/pki/ca.crt', certFile: '/var/lib/ken/pki/server.crt', keyFile: '/var/lib/ken/pki/server.key', crlFile: '/var/lib/ken/pki/crl.pem' })
  t.equal(o.municipalities?.length, 60, '福岡県\'s 60 municipalities')
  t.equal(o.juminhyoCheckDigit, config.store.juminhyoCheckDigit)
})
