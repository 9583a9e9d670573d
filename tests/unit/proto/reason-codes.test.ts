import t from 'tap'
import { readFileSync } from 'node:fs'
import { renderReasonCodesDoc } from '../../../proto/src/reason-codes-doc.ts'
import { REASONS, reject, isReasonCode } from '../../../proto/src/reason-codes.ts'
import { KenError } from '../../../proto/src/ken-error.ts'

t.test('docs/reason-codes.md is the rendering of the catalogue', async (t) => {
  const doc = readFileSync(new URL('../../../docs/reason-codes.md', import.meta.url), 'utf8')
  t.equal(doc, renderReasonCodesDoc(), 'run `node --import tsx proto/src/reason-codes-doc.ts` after changing proto/src/reason-codes.ts')
})

t.test('every code has a factory whose error carries the code and the field', async (t) => {
  for (const code of Object.keys(REASONS)) {
    t.match(code, /^KEN_REJECT_[A-Z0-9_]+$/, 'code shape')
    t.ok(isReasonCode(code))
    const factory = reject[code as keyof typeof reject]
    t.equal(factory.code, code)
    const err = factory(undefined, { field: 'identity.birth_date' })
    t.ok(err instanceof KenError)
    t.equal(err.code, code)
    t.equal(err.field, 'identity.birth_date')
  }
  t.notOk(isReasonCode('KEN_REJECT_NOT_A_CODE'))
  t.notOk(isReasonCode('toString'), 'no inherited property is a code')
})
