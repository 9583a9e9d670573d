// ken-maint's error catalogue and the table in docs/maintenance.md stay in step (STYLE.md).
import t from 'tap'
import { readFileSync } from 'node:fs'
import { errors } from '../../../server/src/maint/errors.ts'
import { changedKeys } from '../../../server/src/maint/routes/config.ts'
import { parseEventLine } from '../../../server/src/maint/routes/logs.ts'

const doc = readFileSync(new URL('../../../docs/maintenance.md', import.meta.url), 'utf8')
const table = doc.slice(doc.indexOf('## Errors'))

t.test('every code has one row with its message, in catalogue order', async (t) => {
  const rows = [...table.matchAll(/^\| (KEN_[A-Z_]+) \| (.+) \|$/gm)].map((m) => [m[1], m[2]])
  t.same(rows, Object.entries(errors).map(([code, f]) => [code, f.message]))
  for (const [name, f] of Object.entries(errors)) t.equal(f().code, name)
})

t.test('a configuration change is recorded by the keys that changed', async (t) => {
  t.same(changedKeys({ a: { b: 1, c: 2 }, d: [1] }, { a: { b: 1, c: 3 }, d: [1, 2], e: true }), ['a.c', 'd', 'e'])
  t.same(changedKeys({ a: 1 }, { a: 1 }), [])
})

t.test('only JSON objects with an event reach a technician', async (t) => {
  t.same(parseEventLine('{"event":"store.ready","position":3}'), { event: 'store.ready', position: 3 })
  for (const line of ['plain text', '[1,2]', '{"msg":"no event"}', '{"event":5}', 'null']) t.equal(parseEventLine(line), undefined, line)
})
