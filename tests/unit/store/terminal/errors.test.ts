// The terminal's error catalogue, the table in docs/terminal.md and the HTTP status map stay in step.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { errors } from '../../../../server/src/store/terminal/errors.ts'
import { httpStatus } from '../../../../server/src/terminal/http-errors.ts'
import { errorText } from '../../../../server/src/terminal/console/i18n.ts'

const doc = readFileSync(new URL('../../../../docs/terminal.md', import.meta.url), 'utf8')
const table = doc.slice(doc.indexOf('## Errors'))

t.test('every code has one row with its message, in catalogue order', async (t) => {
  const rows = [...table.matchAll(/^\| (KEN_[A-Z_]+) \| (.+) \|$/gm)].map((m) => [m[1], m[2]])
  t.same(rows, Object.entries(errors).map(([code, factory]) => [code, factory.message]))
})

t.test('export name = code; every code has an HTTP status and a sentence for the console', async (t) => {
  for (const [name, factory] of Object.entries(errors)) {
    t.equal(factory.code, name)
    t.match(name, /^KEN_ERR_TERM_[A-Z_]+$/)
    t.ok(httpStatus(name) >= 400 && httpStatus(name) < 600, `${name} → ${httpStatus(name)}`)
    // KEN_ERR_TERM_OPTIONS stops the daemon at start-up, KEN_ERR_TERM_ROTATION_INVALID answers ken-maint
    // on the maintenance socket: neither reaches an operator.
    if (name === 'KEN_ERR_TERM_OPTIONS' || name === 'KEN_ERR_TERM_ROTATION_INVALID' || name === 'KEN_ERR_TERM_BAD_REQUEST') continue
    for (const lang of ['ja', 'en'] as const) t.not(errorText(lang, name), errorText(lang, 'KEN_ERR_TERM_BAD_REQUEST'), `${name} has its own sentence (${lang})`)
  }
})
