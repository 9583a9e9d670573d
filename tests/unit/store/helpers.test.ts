// The hand-built updates the store's tests use are ones the gateway would pass (validateUpdate),
// so what the store tests exercise is what it really receives.
import t from 'tap'
import { ChangeReason, FuhyoNotice } from '../../../proto/src/types.ts'
import { validateUpdate } from '../../../server/src/domain/validate-update.ts'
import { isValidJuminhyoCode, isValidKojinBango } from '../../../server/src/domain/identifiers.ts'
import { Cs, FUKUOKA, KITAKYUSHU, fuhyo, juminhyoCode, kojinBango, person } from './helpers.ts'

const options = { certMunicipality: FUKUOKA, juminhyoCheckDigit: true, today: '2024-12-31' }

t.test('identifiers are valid and distinct', async (t) => {
  const seeds = [0, 1, 2, 99, 12345, 10_000_000]
  t.ok(seeds.every((s) => isValidKojinBango(kojinBango(s))))
  t.ok(seeds.every((s) => isValidJuminhyoCode(juminhyoCode(s), true)))
  t.equal(new Set(seeds.map(kojinBango)).size, seeds.length)
  t.equal(new Set(seeds.map(juminhyoCode)).size, seeds.length)
})

t.test('built updates pass validateUpdate', async (t) => {
  const cs = new Cs(FUKUOKA)
  const updates = [
    cs.identity(person(1)),
    cs.identity(person(8, { changeReason: ChangeReason.TENKYO, changeDate: '2022-01-01', address: '福岡県福岡市中央区天神一丁目1番1号' })),
    cs.identity(person(2, { juminhyoCode: juminhyoCode(500), changeReason: ChangeReason.JUMINHYO_CODE_HENKO, changeDate: '2022-01-01', previousJuminhyoCode: juminhyoCode(2) })),
    cs.fuhyo(fuhyo(3, FUKUOKA)),
    cs.fuhyo(fuhyo(3, FUKUOKA, { notice: FuhyoNotice.CHANGE }))
  ]
  for (const u of updates) t.doesNotThrow(() => validateUpdate(u, options))
  t.same(updates.map((u) => u.sequence), [1, 2, 3, 4, 5])
  t.throws(() => validateUpdate(new Cs(KITAKYUSHU).identity(person(1)), options), { code: 'KEN_REJECT_MUNICIPALITY_MISMATCH' })
})
