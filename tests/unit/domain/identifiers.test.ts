import t from 'tap'
import {
  isValidJuminhyoCode, isValidKojinBango, isValidMunicipalityCode, juminhyoCodeCheckDigit, kojinBangoCheckDigit, municipalityCheckDigit
} from '../../../server/src/domain/identifiers.ts'

/** Every variant of `valid` with a different last digit. */
function wrongLastDigits (valid: string): string[] {
  const body = valid.slice(0, -1)
  return '0123456789'.split('').filter((d) => d !== valid.slice(-1)).map((d) => body + d)
}

t.test('個人番号: the published example and its corruptions (SPEC §2.3)', async (t) => {
  t.equal(kojinBangoCheckDigit('12345678901'), 8)
  t.ok(isValidKojinBango('123456789018'))
  for (const v of wrongLastDigits('123456789018')) t.notOk(isValidKojinBango(v), `last digit ${v.slice(-1)}`)
  t.notOk(isValidKojinBango('213456789018'), 'adjacent transposition of the first two digits')
  t.notOk(isValidKojinBango('123456798018'), 'adjacent transposition inside the number')
  t.notOk(isValidKojinBango('12345678901'), '11 digits')
  t.notOk(isValidKojinBango('1234567890180'), '13 digits')
  t.notOk(isValidKojinBango('12345678901８'), 'full-width digit')
  t.notOk(isValidKojinBango(''), 'empty')
  t.throws(() => kojinBangoCheckDigit('1234567890'), RangeError)
})

t.test('個人番号: remainder ≤ 1 gives check digit 0', async (t) => {
  // Σ Pn·Qn for 00000000010: P2 = 1, Q2 = 3 → 3 mod 11 = 3 → 8; for 00000000000 the remainder is 0 → 0.
  t.equal(kojinBangoCheckDigit('00000000000'), 0)
  t.equal(kojinBangoCheckDigit('00000000010'), 8)
  t.ok(isValidKojinBango('000000000000'))
})

t.test('地方公共団体コード: published codes and their corruptions', async (t) => {
  const published = { '131016': '千代田区', '401307': '福岡市', '011002': '札幌市', '271004': '大阪市', '401005': '北九州市' }
  for (const [code, name] of Object.entries(published)) {
    t.ok(isValidMunicipalityCode(code), name)
    t.equal(municipalityCheckDigit(code.slice(0, 5)), Number(code[5]), `${name} check digit`)
    for (const v of wrongLastDigits(code)) t.notOk(isValidMunicipalityCode(v), `${name} with last digit ${v[5]}`)
  }
  t.notOk(isValidMunicipalityCode('130116'), '千代田区 with digits 3 and 4 transposed')
  t.notOk(isValidMunicipalityCode('410307'), '福岡市 with digits 2 and 3 transposed')
  t.notOk(isValidMunicipalityCode('40130'), '5 digits')
  t.notOk(isValidMunicipalityCode('40130a'), 'a letter')
  t.throws(() => municipalityCheckDigit('4013'), RangeError)
})

t.test('住民票コード: shape always, modulus-11 check digit only when configured', async (t) => {
  t.equal(juminhyoCodeCheckDigit('1234567890'), 3)
  t.ok(isValidJuminhyoCode('12345678903', true), 'valid with the rule on')
  t.ok(isValidJuminhyoCode('12345678903', false), 'valid with the rule off')
  for (const v of wrongLastDigits('12345678903')) {
    t.notOk(isValidJuminhyoCode(v, true), `rule on refuses last digit ${v.slice(-1)}`)
    t.ok(isValidJuminhyoCode(v, false), `rule off accepts last digit ${v.slice(-1)}`)
  }
  t.ok(isValidJuminhyoCode('12345678904'), 'the rule is off by default')
  t.notOk(isValidJuminhyoCode('21345678903', true), 'transposition refused with the rule on')
  for (const bad of ['1234567890', '123456789030', '1234567890a', '', ' 12345678903']) {
    t.notOk(isValidJuminhyoCode(bad, false), `shape: ${JSON.stringify(bad)}`)
  }
  t.throws(() => juminhyoCodeCheckDigit('123'), RangeError)
})
