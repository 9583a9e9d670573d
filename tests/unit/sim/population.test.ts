import t from 'tap'
import { Sex } from '../../../proto/src/types.ts'
import { countGaiji } from '../../../server/src/domain/gaiji.ts'
import { isValidJuminhyoCode, isValidKojinBango } from '../../../server/src/domain/identifiers.ts'
import { isKatakanaName } from '../../../server/src/domain/kana.ts'
import { generatePopulation, NAME_TABLE_SIZES, type Resident } from '../../../tests/sim/generator/index.ts'
import { digest, MUNICIPALITIES } from './fixtures.ts'

const N = 100_000
const population = generatePopulation({ seed: 20240401, municipalities: MUNICIPALITIES, count: N, juminhyoCheckDigit: true })
const residents: Resident[] = [...population]

t.test('deterministic: the same seed gives the same residents, another seed others', async (t) => {
  const sample = (seed: number): string => digest([...generatePopulation({ seed, municipalities: MUNICIPALITIES, count: 2000 })])
  t.equal(sample(1), sample(1))
  t.not(sample(1), sample(2))
  t.same(population.at(54_321), residents[54_321], 'at(i) is resident i of the stream')
  t.same(generatePopulation({ seed: 20240401, municipalities: MUNICIPALITIES, count: N }).at(99_999), residents[99_999], 'derivable from (seed, index) alone')
})

t.test('every identifier passes its check digit, and none repeats over 100 000 residents', async (t) => {
  const codes = new Set<string>()
  const bango = new Set<string>()
  let bad = 0
  for (const r of residents) {
    if (!isValidJuminhyoCode(r.juminhyoCode, true) || !isValidKojinBango(r.kojinBango)) bad++
    codes.add(r.juminhyoCode)
    bango.add(r.kojinBango)
  }
  t.equal(bad, 0, 'all check digits valid')
  t.equal(codes.size, N, '住民票コード unique')
  t.equal(bango.size, N, '個人番号 unique')
  const plain = generatePopulation({ seed: 3, municipalities: MUNICIPALITIES, count: 1000, juminhyoCheckDigit: false })
  t.ok([...plain].every((r) => isValidJuminhyoCode(r.juminhyoCode, false)), 'without the option: 11 digits')
})

t.test('names are kanji with a katakana reading, from tables of realistic size', async (t) => {
  t.ok(NAME_TABLE_SIZES.surnames >= 100, `${NAME_TABLE_SIZES.surnames} surnames`)
  t.ok(NAME_TABLE_SIZES.male >= 100 && NAME_TABLE_SIZES.female >= 100, 'given names')
  t.ok(residents.every((r) => isKatakanaName(r.nameKana) && r.nameKana.includes('\u3000')), 'ふりがな in katakana, 氏 and 名 apart')
  t.ok(residents.every((r) => r.nameKanji.split('\u3000').length === 2), '漢字氏名 is 氏 + 名')
  const surnames = new Map<string, number>()
  for (const r of residents) surnames.set(r.nameKanji.split('\u3000')[0] ?? '', (surnames.get(r.nameKanji.split('\u3000')[0] ?? '') ?? 0) + 1)
  const top = [...surnames].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([s]) => s)
  t.ok(top.includes('佐藤') && top.includes('鈴木'), `most common surnames ${top.join(' ')}`)
})

t.test('外字 and 旧氏: rare, and their counts and flags agree with the text', async (t) => {
  let gaiji = 0
  let kyuuji = 0
  for (const r of residents) {
    const name = countGaiji(r.nameKanji)
    const address = countGaiji(r.address)
    if (name !== r.nameGaijiCount || address !== r.addressGaijiCount || countGaiji(r.kyuujiKanji) !== r.kyuujiGaijiCount) t.fail(`外字数 of ${r.index}`)
    if (r.gaijiFlag !== (name + address + r.kyuujiGaijiCount > 0)) t.fail(`外字フラグ of ${r.index}`)
    if (r.gaijiFlag) gaiji++
    if (r.kyuujiKanji !== '') {
      kyuuji++
      if (r.sex !== Sex.FEMALE || !isKatakanaName(r.kyuujiKana) || r.nameKanji.split('\u3000')[0] === r.kyuujiKanji) t.fail(`旧氏 of ${r.index}`)
    }
  }
  t.ok(gaiji > N * 0.003 && gaiji < N * 0.008, `外字 ${(100 * gaiji / N).toFixed(2)} %`)
  t.ok(kyuuji > N * 0.01 && kyuuji < N * 0.03, `旧氏 ${(100 * kyuuji / N).toFixed(2)} %`)
})

t.test('ages follow the 2020 pyramid: many 45–75, fewer young', async (t) => {
  const asOf = population.asOf
  const age = (r: Resident): number => Number(asOf.slice(0, 4)) - Number(r.birthDate.slice(0, 4)) - (asOf.slice(5) < r.birthDate.slice(5) ? 1 : 0)
  const share = (lo: number, hi: number): number => residents.filter((r) => age(r) >= lo && age(r) < hi).length / N
  t.ok(share(65, 200) > 0.26 && share(65, 200) < 0.32, `65+ ${share(65, 200)}`)
  t.ok(share(0, 15) > 0.10 && share(0, 15) < 0.14, `under 15 ${share(0, 15)}`)
  t.ok(share(45, 75) / 30 > share(0, 30) / 30 * 1.3, '45–75 denser than 0–30')
  t.ok(residents.every((r) => r.birthDate <= asOf && age(r) <= 104), 'nobody born after asOf or older than 104')
  const women = residents.filter((r) => r.sex === Sex.FEMALE).length / N
  t.ok(women > 0.49 && women < 0.53, `women ${women}`)
})

t.test('residents live in their municipality: blocks sized by population, addresses inside', async (t) => {
  const size = (code: string): number => population.block(code).end - population.block(code).start
  t.equal(population.blocks.reduce((n, b) => n + b.end - b.start, 0), N)
  t.ok(size('401307') > size('401005') && size('401005') > size('402036'), '福岡市 > 北九州市 > 久留米市')
  t.ok(size('401307') / N > 0.28 && size('401307') / N < 0.35, '福岡市 about a third')
  for (const r of residents) {
    const m = population.blockOf(r.index).municipality
    if (r.municipalityCode !== m.code || !r.address.startsWith(`福岡県${m.county ?? ''}${m.name}`) || !/^[0-9]{7}$/.test(r.oazaCode)) t.fail(`address of ${r.index}`)
  }
  const fukuoka = residents.filter((r) => r.municipalityCode === '401307')
  t.ok(fukuoka.every((r) => /^福岡県福岡市(東|博多|中央|南|西|城南|早良)区/.test(r.address)), '福岡市 addresses name a ward')
  t.ok(residents.filter((r) => r.municipalityCode === '403415').every((r) => r.address.startsWith('福岡県糟屋郡宇美町大字')), 'towns: 郡 and 大字')
})
