import t from 'tap'
import { DEFAULTS } from '../../../firmware-config/src/index.ts'
import { ChangeReason, ResultStatus, Stream } from '../../../proto/src/types.ts'
import { generatePopulation, initialLoadEvents, initialLoadUpdate, sequencesAfterInitialLoad } from '../../../tests/sim/generator/index.ts'
import { digest, MUNICIPALITIES } from './fixtures.ts'
import { MemoryFile } from './replay.ts'

const population = generatePopulation({ seed: 11, municipalities: MUNICIPALITIES, count: 5000, juminhyoCheckDigit: true })

t.test('a stream, not a list: nothing is built before it is asked for', async (t) => {
  const big = generatePopulation({ seed: 11, municipalities: MUNICIPALITIES, count: 5_100_000 })
  const stream = initialLoadEvents(big)
  t.notOk(Array.isArray(stream))
  t.equal(typeof stream[Symbol.iterator], 'function')
  const first = stream.next()
  t.equal(first.value?.sequence, 1)
  t.equal(first.value?.municipalityCode, big.blocks[0]?.municipality.code)
  const last = initialLoadUpdate(big, 5_099_999)
  t.equal(last.sequence, 5_100_000 - (big.blocks.at(-1)?.start ?? 0), 'any resident\'s update in O(1)')
  t.equal(last.municipalityCode, big.blocks.at(-1)?.municipality.code)
})

t.test('one creating update per resident, 更新順番号 1..n per municipality', async (t) => {
  const next = new Map<string, number>()
  let n = 0
  for (const u of initialLoadEvents(population)) {
    const expected = (next.get(u.municipalityCode) ?? 0) + 1
    if (u.sequence !== expected || u.stream !== Stream.NORMAL) t.fail(`sequence of ${u.municipalityCode}`)
    next.set(u.municipalityCode, expected)
    const reason = u.identity?.changeReason
    if (reason !== ChangeReason.SHUSSEI && reason !== ChangeReason.TENNYU && reason !== ChangeReason.KOKUGAI_TENNYU && reason !== ChangeReason.SHOKKEN_KISAI) t.fail(`reason ${reason}`)
    n++
  }
  t.equal(n, population.count)
  t.same(sequencesAfterInitialLoad(population), Object.fromEntries([...next].map(([k, v]) => [k, v + 1])))
  const fukuoka = [...initialLoadEvents(population, { municipalityCode: '401307' })]
  t.equal(fukuoka.length, population.block('401307').end - population.block('401307').start, 'one municipality\'s stream')
  t.ok(fukuoka.every((u) => u.municipalityCode === '401307'))
  t.same(fukuoka[7], initialLoadUpdate(population, population.block('401307').start + 7))
  t.equal(digest(initialLoadEvents(population)), digest(initialLoadEvents(generatePopulation({ seed: 11, municipalities: MUNICIPALITIES, count: 5000 }))), 'deterministic')
})

t.test('every update of the initial load is accepted by validateUpdate and decideIdentityUpdate', async (t) => {
  const file = new MemoryFile({ juminhyoCheckDigit: true, maxUpdateBytes: DEFAULTS.gateway.maxUpdateBytes })
  const refused: string[] = []
  for (const u of initialLoadEvents(population)) {
    const o = file.submit(u.municipalityCode, u, population.asOf)
    if (o.status !== ResultStatus.ACCEPTED) refused.push(`${u.sequence}: ${o.reasonCode ?? ''}`)
  }
  t.same(refused, [])
  t.equal(file.residents.size, population.count)
})
