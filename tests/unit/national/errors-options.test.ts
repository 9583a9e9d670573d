// ken-national's error catalogue and docs/national.md stay in step; its options refuse unknown keys,
// anything but mqtts://, and a 都道府県コード outside 01–47, naming the key (STYLE.md).
import t from 'tap'
import { readFileSync } from 'node:fs'
import { errors } from '../../../server/src/national/errors.ts'
import { parseNationalOptions } from '../../../server/src/national/options.ts'
import { nationalTopic, parseNationalTopic } from '../../../proto/src/national-topics.ts'
import { isKenError } from '../../../proto/src/ken-error.ts'

const doc = readFileSync(new URL('../../../docs/national.md', import.meta.url), 'utf8')
const table = doc.slice(doc.indexOf('## Errors'))

t.test('every code has one row with its message, in catalogue order', async (t) => {
  const rows = [...table.matchAll(/^\| (KEN_[A-Z_]+) \| (.+) \|$/gm)].map((m) => [m[1], m[2]])
  t.same(rows, Object.entries(errors).map(([code, factory]) => [code, factory.message]))
  for (const [name, factory] of Object.entries(errors)) t.match(name, /^KEN_ERR_NATIONAL_[A-Z_]+$/, factory.code)
})

const good = { outboxSocketPath: '/run/ken/outbox.sock', prefectureCode: '40', nationalUrl: 'mqtts://zenkoku.example:8883', caFile: 'n.pem', certFile: 'c.crt', keyFile: 'c.key' }

t.test('options: defaults filled, frozen; refusals name the key', async (t) => {
  const o = parseNationalOptions(good)
  t.equal(o.window, 1024)
  t.ok(Object.isFrozen(o))
  const refused = (input: unknown): string | undefined => {
    try {
      parseNationalOptions(input)
      return undefined
    } catch (err) {
      return isKenError(err, 'KEN_ERR_NATIONAL_INVALID_OPTIONS') ? err.field : 'wrong error'
    }
  }
  t.equal(refused({ ...good, nationalUrl: 'mqtt://zenkoku.example:1883' }), 'nationalUrl', 'plaintext MQTT is refused')
  t.equal(refused({ ...good, prefectureCode: '48' }), 'prefectureCode')
  t.equal(refused({ ...good, window: 0 }), 'window')
  t.equal(refused({ ...good, prefectureCa: 'x' }), '', 'an unknown key')
})

t.test('national topics: made and parsed; anything else resolves to nothing', async (t) => {
  t.equal(nationalTopic('fuhyoForward', '40'), 'ken/v1/national/40/fuhyo/forward')
  t.equal(nationalTopic('forwardBatch', '40'), 'ken/v1/national/40/forward-batch')
  t.same(parseNationalTopic('ken/v1/national/40/query/result'), { kind: 'queryResult', prefectureCode: '40' })
  for (const bad of ['ken/v1/national/+/ack', 'ken/v1/national/4/ack', 'ken/v1/national/40/other', 'ken/v1/cs/401307/update', 'ken/v1/national/40/ack/']) t.equal(parseNationalTopic(bad), undefined, bad)
})
