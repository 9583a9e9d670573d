// The error catalogue and the log events are documented in gateway/README.md, row for row, and the
// export name of every error is its code (STYLE.md, fastify's errors.js).
import t from 'tap'
import { readFileSync } from 'node:fs'
import { errors, GATEWAY_ERRORS } from '../../../gateway/src/errors.ts'
import { EVENTS } from '../../../gateway/src/logger.ts'

const readme = readFileSync(new URL('../../../gateway/README.md', import.meta.url), 'utf8')

t.test('every code is its own name and is documented; nothing undocumented is listed', async (t) => {
  for (const [name, factory] of Object.entries(errors)) {
    t.equal(factory.code, name)
    t.equal(factory().code, name)
    t.match(readme, `| \`${name}\` |`, `${name} documented`)
  }
  const listed = [...readme.matchAll(/^\| `(KEN_ERR_GW_[A-Z_]+)` \|/gm)].map((m) => m[1])
  t.same(listed.sort(), Object.keys(GATEWAY_ERRORS).sort(), 'the table lists exactly the catalogue')
})

t.test('every log event is documented', async (t) => {
  for (const event of EVENTS) t.match(readme, `\`${event}\``, event)
})
