import t from 'tap'
import { checkGaiji, countGaiji, GAIJI_FIRST, GAIJI_LAST, isGaijiCodePoint } from '../../../server/src/domain/gaiji.ts'
import { rejection } from './fixtures.ts'

const G1 = String.fromCodePoint(GAIJI_FIRST)
const G2 = String.fromCodePoint(GAIJI_LAST)

t.test('外字 are the code points of the BMP Private Use Area', async (t) => {
  t.ok(isGaijiCodePoint(0xe000))
  t.ok(isGaijiCodePoint(0xf8ff))
  t.notOk(isGaijiCodePoint(0xdfff))
  t.notOk(isGaijiCodePoint(0xf900), 'CJK Compatibility Ideographs are standard characters')
  t.notOk(isGaijiCodePoint(0xf0000), 'supplementary PUA is not 外字 under the convention')
  t.equal(countGaiji('試験太郎'), 0)
  t.equal(countGaiji(`試${G1}太${G2}`), 2)
  t.equal(countGaiji(`${G1}${G1}${G1}`), 3)
  t.equal(countGaiji('𠮷野'), 0, 'a supplementary-plane kanji is not a 外字')
  t.equal(countGaiji(''), 0)
})

t.test('外字数 and 外字フラグ agree with the text', async (t) => {
  const items = (nameCount: number, addressCount: number) => [
    { text: `試${G1}`, declaredCount: nameCount, countField: 'identity.name_gaiji_count' },
    { text: '福岡市', declaredCount: addressCount, countField: 'identity.address_gaiji_count' }
  ]
  t.equal(rejection(() => checkGaiji(items(1, 0), true, 'identity.gaiji_flag')), undefined, 'consistent')
  t.same(rejection(() => checkGaiji(items(0, 0), true, 'identity.gaiji_flag')), { code: 'KEN_REJECT_GAIJI_INCONSISTENT', field: 'identity.name_gaiji_count' })
  t.same(rejection(() => checkGaiji(items(2, 0), true, 'identity.gaiji_flag')), { code: 'KEN_REJECT_GAIJI_INCONSISTENT', field: 'identity.name_gaiji_count' })
  t.same(rejection(() => checkGaiji(items(1, 1), true, 'identity.gaiji_flag')), { code: 'KEN_REJECT_GAIJI_INCONSISTENT', field: 'identity.address_gaiji_count' })
  t.same(rejection(() => checkGaiji(items(1, 0), false, 'identity.gaiji_flag')), { code: 'KEN_REJECT_GAIJI_INCONSISTENT', field: 'identity.gaiji_flag' })
  const none = [{ text: '試験', declaredCount: 0, countField: 'identity.name_gaiji_count' }]
  t.equal(rejection(() => checkGaiji(none, false, 'identity.gaiji_flag')), undefined, 'no 外字, no flag')
  t.same(rejection(() => checkGaiji(none, true, 'identity.gaiji_flag')), { code: 'KEN_REJECT_GAIJI_INCONSISTENT', field: 'identity.gaiji_flag' })
})
