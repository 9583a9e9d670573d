// The forms' error catalogue and its table in docs/terminal-forms.md stay in step (STYLE.md).
import t from 'tap'
import { readFileSync } from 'node:fs'
import { errors } from '../../../server/src/terminal/forms/errors.ts'

const doc = readFileSync(new URL('../../../docs/terminal-forms.md', import.meta.url), 'utf8')
const table = doc.slice(doc.indexOf('## Errors'))

t.test('every code has one row with its message, in catalogue order', async (t) => {
  const rows = [...table.matchAll(/^\| (KEN_[A-Z_]+) \| (.+) \|$/gm)].map((m) => [m[1], m[2]])
  t.same(rows, Object.entries(errors).map(([code, factory]) => [code, factory.message]))
})
