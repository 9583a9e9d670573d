// The store's error catalogue and the table in docs/store-contract.md stay in step (STYLE.md).
import t from 'tap'
import { readFileSync } from 'node:fs'
import { errors } from '../../../server/src/store/errors.ts'
import { isKenError } from '../../../proto/src/ken-error.ts'

const doc = readFileSync(new URL('../../../docs/store-contract.md', import.meta.url), 'utf8')
const table = doc.slice(doc.indexOf('## Errors'), doc.indexOf('\n## ', doc.indexOf('## Errors') + 1))

t.test('every code has one row with its message, in catalogue order, and nothing else', async (t) => {
  const rows = [...table.matchAll(/^\| (KEN_[A-Z_]+) \| (.+) \|$/gm)].map((m) => [m[1], m[2]])
  t.same(rows, Object.entries(errors).map(([code, factory]) => [code, factory.message]))
})

t.test('export name = code, all KEN_ERR_STORE_*, factories make coded errors', async (t) => {
  for (const [name, factory] of Object.entries(errors)) {
    t.equal(factory.code, name)
    t.match(name, /^KEN_ERR_STORE_[A-Z_]+$/)
    const err = factory('detail', { field: 'f' })
    t.ok(isKenError(err, name))
    t.equal(err.field, 'f')
  }
})
