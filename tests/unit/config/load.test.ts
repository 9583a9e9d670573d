import t from 'tap'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { DEFAULTS, FUKUOKA_MUNICIPALITIES_FILE, loadConfig, resolvePaths } from '../../../firmware-config/src/index.ts'
import { tempDir } from '../../helpers/temp-dir.ts'

const noEnv = { env: {} }

function isDeepFrozen (value: unknown, seen = new Set<unknown>()): boolean {
  if (value === null || typeof value !== 'object' || seen.has(value)) return true
  seen.add(value)
  return Object.isFrozen(value) && Object.values(value).every((v) => isDeepFrozen(v, seen))
}

t.test('the defaults validate on their own and resolve the shipped municipality list', async (t) => {
  const config = loadConfig({}, noEnv)
  t.equal(config.gateway.port, 8883)
  t.equal(config.gateway.tlsMinVersion, 'TLSv1.3')
  t.equal(config.gateway.crlStale, 'fail')
  t.equal(config.store.socketMode, 0o660)
  t.equal(config.store.juminhyoCheckDigit, false)
  t.equal(config.terminal.host, '127.0.0.1')
  t.equal(config.management.allowNonLoopback, false)
  t.equal(config.retention.operationLogYears, 7)
  t.equal(config.prefecture.municipalitiesSource, FUKUOKA_MUNICIPALITIES_FILE)
  t.equal(config.prefecture.municipalities.length, 60)
  const { prefecture: _p, ...rest } = config
  const { prefecture: _d, ...defaults } = DEFAULTS
  t.same(rest, defaults, 'every other key equals DEFAULTS')
})

t.test('the result and DEFAULTS are deep-frozen', async (t) => {
  const config = loadConfig({}, noEnv)
  t.ok(isDeepFrozen(config), 'config deep-frozen')
  t.ok(isDeepFrozen(DEFAULTS), 'DEFAULTS deep-frozen')
  t.throws(() => { (config.gateway as { port: number }).port = 1 }, TypeError)
  t.throws(() => { (config.gateway.keepalive as { maxSeconds: number }).maxSeconds = 1 }, TypeError)
  t.throws(() => { (config.prefecture.municipalities as unknown[]).push({}) }, TypeError)
})

t.test('a file overrides the defaults key by key; relative municipality paths follow the file', async (t) => {
  const dir = tempDir(t, 'ken-config-')
  writeFileSync(path.join(dir, 'list.json'), JSON.stringify({
    prefectureCode: '40',
    prefectureName: '福岡県',
    asOf: '2018-10-01',
    source: 'test',
    municipalities: [{ code: '402036', name: '久留米市', kana: 'クルメシ', kind: 'city' }]
  }))
  const file = path.join(dir, 'ken.json')
  writeFileSync(file, JSON.stringify({ gateway: { maxPacketBytes: 131072, keepalive: { maxSeconds: 120 } }, store: { socketMode: '0640' }, prefecture: { municipalities: 'list.json' } }))
  const config = loadConfig(file, noEnv)
  t.equal(config.gateway.maxPacketBytes, 131072)
  t.equal(config.gateway.keepalive.maxSeconds, 120)
  t.equal(config.gateway.keepalive.minSeconds, DEFAULTS.gateway.keepalive.minSeconds, 'sibling key kept')
  t.equal(config.store.socketMode, 0o640, 'octal string accepted')
  t.equal(config.prefecture.municipalitiesSource, path.join(dir, 'list.json'))
  t.same(config.prefecture.municipalities.map((m) => m.code), ['402036'])
})

t.test('KEN__ environment variables override the file', async (t) => {
  const config = loadConfig({ gateway: { port: 9000 } }, { env: { KEN__gateway__port: '9883', KEN__logging__level: 'debug', KEN__gateway__keepalive__minSeconds: '10', OTHER: 'x' } })
  t.equal(config.gateway.port, 9883)
  t.equal(config.logging.level, 'debug')
  t.equal(config.gateway.keepalive.minSeconds, 10)
})

t.test('non-loopback listeners are allowed with the explicit flag', async (t) => {
  const config = loadConfig({ terminal: { host: '10.20.0.5', allowNonLoopback: true }, management: { host: '::1' } }, noEnv)
  t.equal(config.terminal.host, '10.20.0.5')
  t.equal(config.management.host, '::1')
})

t.test('an inline municipality list is validated and kept', async (t) => {
  const config = loadConfig({ prefecture: { municipalities: [{ code: '403415', name: '宇美町', kana: 'ウミマチ', kind: 'town', county: '糟屋郡' }] } }, noEnv)
  t.equal(config.prefecture.municipalitiesSource, 'inline')
  t.equal(config.prefecture.municipalities[0]?.county, '糟屋郡')
})

t.test('resolvePaths puts relative paths under the state directory', async (t) => {
  const config = loadConfig({ paths: { stateDir: '/var/lib/ken/', pkiDir: '/etc/ken/pki' } }, noEnv)
  const p = resolvePaths(config, '/opt/ken-server')
  t.equal(p.stateDir, '/var/lib/ken')
  t.equal(p.pkiDir, '/etc/ken/pki', 'absolute paths stay')
  t.equal(p.dbDir, '/var/lib/ken/db')
  t.equal(p.applianceKeyFile, '/var/lib/ken/keys/appliance.key')
  t.equal(p.storeSocket, '/var/lib/ken/run/store.sock')
  t.equal(resolvePaths(loadConfig({}, noEnv), '/opt/ken-server').stateDir, '/opt/ken-server/var')
  t.ok(Object.isFrozen(p))
})

t.test('the shipped appliance configuration validates', async (t) => {
  const config = loadConfig(path.resolve('firmware-config/ken.appliance.json'), noEnv)
  t.equal(config.paths.stateDir, '/var/lib/ken/')
  t.equal(config.prefecture.municipalities.length, 60)
})
