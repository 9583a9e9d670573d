import t from 'tap'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { isKenError, type KenError } from '../../../proto/src/ken-error.ts'
import { loadConfig, resolvePaths } from '../../../firmware-config/src/index.ts'
import { tempDir } from '../../helpers/temp-dir.ts'

const noEnv = { env: {} }

/** The KenError loadConfig throws for `input`. */
function refusal (input: string | Record<string, unknown>, env: Record<string, string> = {}): KenError {
  try {
    loadConfig(input, { env })
  } catch (err) {
    if (isKenError(err)) return err
    throw err
  }
  throw new Error('configuration was accepted')
}

t.test('unknown keys are refused, at the top level and nested, with the key named', async (t) => {
  const top = refusal({ wildcards: true })
  t.equal(top.code, 'KEN_ERR_CONFIG_INVALID')
  t.equal(top.field, 'wildcards')
  const nested = refusal({ gateway: { wildcards: true } })
  t.equal(nested.code, 'KEN_ERR_CONFIG_INVALID')
  t.equal(nested.field, 'gateway.wildcards')
  t.match(nested.message, /allowed keys: host, port/, 'the allowed keys are listed')
  const deeper = refusal({ gateway: { keepalive: { idle: 5 } } })
  t.equal(deeper.field, 'gateway.keepalive.idle')
  const inList = refusal({ prefecture: { municipalities: [{ code: '402036', name: '久留米市', kana: 'クルメシ', kind: 'city', population: 1 }] } })
  t.equal(inList.field, 'prefecture.municipalities[0].population')
  const fromEnv = refusal({}, { KEN__store__turbo: 'true' })
  t.equal(fromEnv.field, 'store.turbo')
})

t.test('"__proto__" in a file is an unknown key, never a prototype', async (t) => {
  const err = refusal(JSON.parse('{"gateway": {"__proto__": {"port": 1}}}') as Record<string, unknown>)
  t.equal(err.code, 'KEN_ERR_CONFIG_INVALID')
  t.equal(err.field, 'gateway.__proto__')
  t.equal(({} as Record<string, unknown>).port, undefined, 'Object.prototype untouched')
})

const bad: Array<[string, Record<string, unknown>, string]> = [
  ['wrong type', { gateway: { maxPacketBytes: 'big' } }, 'gateway.maxPacketBytes'],
  ['below range', { gateway: { maxPacketBytes: 100 } }, 'gateway.maxPacketBytes'],
  ['above range', { gateway: { maxInflightPerCs: 70000 } }, 'gateway.maxInflightPerCs'],
  ['not an integer', { store: { groupCommitMaxDelayMs: 1.5 } }, 'store.groupCommitMaxDelayMs'],
  ['TLS 1.2 requested', { gateway: { tlsMinVersion: 'TLSv1.2' } }, 'gateway.tlsMinVersion'],
  ['privileged port', { gateway: { port: 883 } }, 'gateway.port'],
  ['not an IP address', { gateway: { host: 'cs-line.local' } }, 'gateway.host'],
  ['crlStale outside the enum', { gateway: { crlStale: 'ignore' } }, 'gateway.crlStale'],
  ['keepalive bounds crossed', { gateway: { keepalive: { minSeconds: 600, maxSeconds: 60 } } }, 'gateway.keepalive.minSeconds'],
  ['update cap not below packet cap', { gateway: { maxUpdateBytes: 65536 } }, 'gateway.maxUpdateBytes'],
  ['update budget smaller than one batch', { gateway: { maxInflightUpdatesPerCs: 100 } }, 'gateway.maxInflightUpdatesPerCs'],
  ['gateway-wide update budget smaller than one link\'s', { gateway: { maxInflightUpdates: 2047 } }, 'gateway.maxInflightUpdates'],
  ['non-loopback terminal without the flag', { terminal: { host: '10.20.0.5' } }, 'terminal.host'],
  ['non-loopback management without the flag', { management: { host: '0.0.0.0' } }, 'management.host'],
  ['two listeners on one port', { terminal: { port: 8883 } }, 'terminal.port'],
  ['socket open to others', { store: { socketMode: '0666' } }, 'store.socketMode'],
  ['retention below the law', { store: { retentionYears: 100 } }, 'store.retentionYears'],
  ['operation logs under 7 years', { retention: { operationLogYears: 5 } }, 'retention.operationLogYears'],
  ['log level unknown', { logging: { level: 'verbose' } }, 'logging.level'],
  ['section of the wrong type', { gateway: 5 }, 'gateway'],
  ['prefecture code not 2 digits', { prefecture: { code: '4' } }, 'prefecture.code'],
  ['inline municipality with a bad check digit', { prefecture: { municipalities: [{ code: '402035', name: '久留米市', kana: 'クルメシ', kind: 'city' }] } }, 'prefecture.municipalities[0].code'],
  ['inline municipality of another prefecture', { prefecture: { municipalities: [{ code: '131016', name: '千代田区', kana: 'チヨダク', kind: 'city' }] } }, 'prefecture.municipalities[0].code'],
  ['inline municipality with hiragana reading', { prefecture: { municipalities: [{ code: '402036', name: '久留米市', kana: 'くるめし', kind: 'city' }] } }, 'prefecture.municipalities[0].kana']
]

for (const [what, input, key] of bad) {
  t.test(`refused: ${what}`, async (t) => {
    const err = refusal(input)
    t.equal(err.code, 'KEN_ERR_CONFIG_INVALID')
    t.equal(err.field, key, 'the first problem names the key')
    t.match(err.message, new RegExp(`${key.replace(/[.[\]]/g, '\\$&')}: expected .* \\(got .*\\); fix: `), 'the line names key, expectation, value and fix')
  })
}

t.test('every offending key is reported, not only the first', async (t) => {
  const err = refusal({ gateway: { maxPacketBytes: 'big', tlsMinVersion: 'TLSv1.2' }, terminal: { host: '192.0.2.1' }, extra: 1 })
  for (const key of ['gateway.maxPacketBytes', 'gateway.tlsMinVersion', 'unknown key "extra"']) t.ok(err.message.includes(key), key)
})

t.test('an environment override is validated like the file', async (t) => {
  const err = refusal({}, { KEN__gateway__tlsMinVersion: 'TLSv1.2' })
  t.equal(err.field, 'gateway.tlsMinVersion')
})

t.test('a file that cannot be read or is not a JSON object', async (t) => {
  const dir = tempDir(t, 'ken-config-')
  t.equal(refusal(path.join(dir, 'missing.json')).code, 'KEN_ERR_CONFIG_UNREADABLE')
  const notJson = path.join(dir, 'bad.json')
  writeFileSync(notJson, '{ gateway: ')
  t.equal(refusal(notJson).code, 'KEN_ERR_CONFIG_UNREADABLE')
  const list = path.join(dir, 'list.json')
  writeFileSync(list, '[1, 2]')
  t.equal(refusal(list).code, 'KEN_ERR_CONFIG_UNREADABLE')
})

t.test('a municipality file of another prefecture', async (t) => {
  const err = refusal({ prefecture: { code: '13', name: '東京都' } })
  t.equal(err.code, 'KEN_ERR_MUNICIPALITIES_INVALID')
  t.equal(err.field, 'prefectureCode')
})

t.test('a store socket path too long for sun_path', async (t) => {
  const config = loadConfig({ paths: { stateDir: `/${'x'.repeat(120)}/` } }, noEnv)
  t.throws(() => resolvePaths(config, '/'), { code: 'KEN_ERR_CONFIG_INVALID', field: 'paths.storeSocket' })
})
