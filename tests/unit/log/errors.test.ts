// The transparency log's error catalogue and the table in docs/transparency-log.md stay in step (STYLE.md).
import t from 'tap'
import { readFileSync } from 'node:fs'
import { errors } from '../../../server/src/log/errors.ts'
import { isKenError } from '../../../proto/src/ken-error.ts'

const doc = readFileSync(new URL('../../../docs/transparency-log.md', import.meta.url), 'utf8')
const table = doc.slice(doc.indexOf('## Errors'))

t.test('every code has one row with its message, in catalogue order, and nothing else', async (t) => {
  const rows = [...table.matchAll(/^\| (KEN_[A-Z_]+) \| (.+) \|$/gm)].map((m) => [m[1], m[2]])
  t.same(rows, Object.entries(errors).map(([code, factory]) => [code, factory.message]))
})

t.test('export name = code, all KEN_ERR_LOG_*, factories make coded errors', async (t) => {
  for (const [name, factory] of Object.entries(errors)) {
    t.equal(factory.code, name)
    t.match(name, /^KEN_ERR_LOG_[A-Z_]+$/)
    const err = factory('detail', { field: 'f' })
    t.ok(isKenError(err, name))
    t.equal(err.field, 'f')
  }
})
