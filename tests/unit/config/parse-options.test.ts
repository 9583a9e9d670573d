// parseOptions (firmware-config/src/parse-options.ts): the one edge validation every daemon's options
// go through — an unknown key or a bad value is the daemon's own code naming the key, defaults are
// filled in, the result is frozen all the way down. Each daemon's parser is tried with an unknown key.
import t from 'tap'
import { z } from 'zod'
import { defineErrors } from '../../../proto/src/ken-error.ts'
import { parseOptions } from '../../../firmware-config/src/parse-options.ts'
import { parseDaemonOptions } from '../../../server/src/store/options.ts'
import { parseNationalOptions } from '../../../server/src/national/options.ts'
import { parseMaintOptions } from '../../../server/src/maint/options.ts'
import { parseTerminalOptions } from '../../../server/src/terminal/options.ts'

const errors = defineErrors({ KEN_ERR_TEST_OPTIONS: { message: 'the test options are invalid' } })
const schema = z.object({ port: z.number().int().default(8443), tls: z.object({ certFile: z.string().min(1) }).strict() }).strict()

t.test('defaults filled, frozen all the way down', async (t) => {
  const o = parseOptions(schema, { tls: { certFile: 'a.crt' } }, errors.KEN_ERR_TEST_OPTIONS)
  t.same(o, { port: 8443, tls: { certFile: 'a.crt' } })
  t.ok(Object.isFrozen(o) && Object.isFrozen(o.tls))
})

t.test('refusals name the key, with the caller\'s code', async (t) => {
  const refusal = (input: unknown): { code: string, field: string | undefined } => {
    try {
      parseOptions(schema, input, errors.KEN_ERR_TEST_OPTIONS)
      return { code: 'none', field: undefined }
    } catch (err) {
      const e = err as { code: string, field?: string }
      return { code: e.code, field: e.field }
    }
  }
  t.same(refusal({ tls: { certFile: '' } }), { code: 'KEN_ERR_TEST_OPTIONS', field: 'tls.certFile' })
  t.same(refusal({ tls: { certFile: 'a' }, port: 'x' }), { code: 'KEN_ERR_TEST_OPTIONS', field: 'port' })
  t.same(refusal({ tls: { certFile: 'a' }, extra: 1 }), { code: 'KEN_ERR_TEST_OPTIONS', field: '' }, 'an unknown key at the root')
})

t.test('every daemon refuses an unknown key with its own code', async (t) => {
  const cases: Array<[string, () => unknown]> = [
    ['KEN_ERR_STORE_INVALID_OPTIONS', () => parseDaemonOptions({ dbPath: 'db', socketPath: 's.sock', keyFile: 'k', nope: 1 })],
    ['KEN_ERR_NATIONAL_INVALID_OPTIONS', () => parseNationalOptions({ outboxSocketPath: 'o', prefectureCode: '40', nationalUrl: 'mqtts://h:1', caFile: 'c', certFile: 'c', keyFile: 'k', nope: 1 })],
    ['KEN_ERR_MAINT_OPTIONS', () => parseMaintOptions({ host: '127.0.0.1', port: 0, tls: { caFile: 'c', certFile: 'c', keyFile: 'k', crlFile: 'r' }, daemons: { store: 's' }, nope: 1 })],
    ['KEN_ERR_TERM_OPTIONS', () => parseTerminalOptions({ socketPath: 's', certFile: 'c', keyFile: 'k', nope: 1 })]
  ]
  for (const [code, parse] of cases) t.throws(parse, { code }, code)
})
