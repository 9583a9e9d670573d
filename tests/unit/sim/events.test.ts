import t from 'tap'
import { DEFAULTS } from '../../../firmware-config/src/index.ts'
import { REASONS, type ReasonCode } from '../../../proto/src/reason-codes.ts'
import { ResultStatus, Stream } from '../../../proto/src/types.ts'
import { isValidJuminhyoCode, isValidKojinBango } from '../../../server/src/domain/identifiers.ts'
import { generateEvents, generatePopulation, initialLoadEvents, INVALID_BUILDERS, NOT_GENERATED, payloadOf, sequencesAfterInitialLoad, type GeneratedEvent } from '../../../tests/sim/generator/index.ts'
import { digest, MUNICIPALITIES } from './fixtures.ts'
import { MemoryFile } from './replay.ts'

const population = generatePopulation({ seed: 5, municipalities: MUNICIPALITIES, count: 4000, juminhyoCheckDigit: true })
const options = { seed: 5, population, count: 12_000, invalidRate: 0.08 }
const events: GeneratedEvent[] = [...generateEvents(options)]

/** Codes whose update the store cannot attribute to a stream position (the gateway records them with none). */
const UNATTRIBUTED = new Set<string>([...Object.entries(REASONS).filter(([, r]) => r.stage === 'decode').map(([c]) => c), 'KEN_REJECT_BAD_STREAM', 'KEN_REJECT_BAD_SEQUENCE'])

t.test('deterministic: same seed, same events; another seed, others', async (t) => {
  const hash = (seed: number): string => digest([...generateEvents({ ...options, seed, count: 3000 })].map((e) => [e.municipalityCode, e.label, e.expect, e.update ?? e.rawPayload]))
  t.equal(hash(5), hash(5))
  const one = events.find((e) => e.update !== undefined)
  t.ok(one !== undefined && payloadOf(one).length > 100, 'payloadOf encodes the update')
  t.not(hash(5), hash(6))
  t.equal(digest(events.slice(0, 3000).map((e) => [e.municipalityCode, e.label, e.expect, e.update ?? e.rawPayload])), hash(5), 'a prefix of a longer stream is the shorter stream')
})

t.test('更新順番号 per (municipality, stream) start at 1 and rise by one', async (t) => {
  const last = new Map<string, number>()
  let checked = 0
  for (const e of events) {
    if (e.update === undefined || UNATTRIBUTED.has(e.expect.reasonCode ?? '')) continue
    const key = `${e.municipalityCode}:${e.update.stream}`
    if (e.update.sequence !== (last.get(key) ?? 0) + 1) t.fail(`sequence ${e.update.sequence} after ${last.get(key) ?? 0} on ${key}`)
    last.set(key, e.update.sequence)
    checked++
  }
  t.ok(checked > 10_000, `${checked} updates checked`)
  t.ok([...last.keys()].some((k) => k.endsWith(`:${Stream.ABNORMAL}`)), 'the 異常時 stream is used too')
  const after = sequencesAfterInitialLoad(population)
  const first = [...generateEvents({ ...options, count: 200, invalidRate: 0, abnormalRate: 0, firstSequence: after })][0]
  t.equal(first?.update?.sequence, after[first?.municipalityCode ?? ''], 'firstSequence continues the initial load\'s streams')
})

t.test('every identifier in a valid event passes its check digit', async (t) => {
  const valid = events.filter((e) => e.expect.status === ResultStatus.ACCEPTED)
  t.ok(valid.every((e) => {
    const u = e.update?.identity ?? e.update?.fuhyo
    return u !== undefined && u !== null && isValidJuminhyoCode(u.juminhyoCode, true) && (e.update?.identity === undefined || e.update?.identity === null || isValidKojinBango(e.update.identity.kojinBango))
  }))
})

t.test('replayed in order after the initial load, each event gets exactly its tagged result', async (t) => {
  const file = new MemoryFile({ juminhyoCheckDigit: true, maxUpdateBytes: DEFAULTS.gateway.maxUpdateBytes })
  for (const u of initialLoadEvents(population)) file.submit(u.municipalityCode, u, population.asOf)
  const wrong: string[] = []
  for (const e of events) {
    const got = file.submit(e.municipalityCode, e.rawPayload ?? e.update, e.time.slice(0, 10))
    if (got.status !== e.expect.status || got.reasonCode !== e.expect.reasonCode) wrong.push(`${e.label}: got ${got.reasonCode ?? 'ACCEPTED'}`)
  }
  t.same(wrong, [], 'no event differs from its expectation')
})

t.test('every rejection kind appears: each field and logic code, and malformed payloads for decode', async (t) => {
  const seen = new Set(events.map((e) => e.expect.reasonCode).filter((c) => c !== undefined))
  for (const [code, spec] of Object.entries(REASONS) as Array<[ReasonCode, (typeof REASONS)[ReasonCode]]>) {
    if (NOT_GENERATED[code] !== undefined) {
      t.ok(spec.stage === 'decode' || spec.stage === 'reconcile', `${code} is left out only because it is not an update payload`)
      continue
    }
    t.ok(INVALID_BUILDERS[code], `${code} has a builder`)
    t.ok(seen.has(code), `${code} generated`)
  }
  const decodeCases = events.filter((e) => e.expect.reasonCode !== undefined && REASONS[e.expect.reasonCode].stage === 'decode')
  t.ok(decodeCases.length > 0 && decodeCases.every((e) => e.rawPayload !== undefined && e.update === undefined), 'decode cases are raw bytes')
  const invalid = events.filter((e) => e.expect.status === ResultStatus.REJECTED).length / events.length
  t.ok(invalid > 0.06 && invalid < 0.10, `invalid share ${invalid}`)
})

t.test('the mix of 異動事由 is the real one: moves dominate, 職権 and code changes are rare', async (t) => {
  const count = (...labels: string[]): number => events.filter((e) => labels.includes(e.label)).length
  const valid = events.filter((e) => e.expect.status === ResultStatus.ACCEPTED).length
  const moves = count('TENKYO', 'TENNYU', 'TOKUREI_TENNYU', 'TENSHUTSU', 'TOKUREI_TENSHUTSU')
  t.ok(moves / valid > 0.6, `転居・転入・転出 ${(moves / valid).toFixed(2)}`)
  t.ok(count('TENKYO') > count('SHIBOU') && count('SHIBOU') > count('SHUSSEI'), '転居 > 死亡 > 出生')
  const tennyu = count('TENNYU', 'TOKUREI_TENNYU')
  const tenshutsu = count('TENSHUTSU', 'TOKUREI_TENSHUTSU')
  t.ok(Math.abs(tennyu - tenshutsu) / tenshutsu < 0.15, `転入 ${tennyu} ≈ 転出 ${tenshutsu}`)
  for (const rare of ['JUMINHYO_CODE_HENKO', 'KOJIN_BANGO_HENKO', 'SHOJO_KAIFUKU', 'SHOKKEN_KISAI']) {
    t.ok(count(rare) > 0 && count(rare) / valid < 0.01, `${rare} rare but present (${count(rare)})`)
  }
  t.ok(count('FUHYO_NEW') > 0 && count('FUHYO_CHANGE') > 0, '附票 notices too')
})

t.test('only the given municipalities send', async (t) => {
  const some = MUNICIPALITIES.filter((m) => ['401307', '402036', '403415'].includes(m.code))
  const codes = new Set([...generateEvents({ ...options, municipalities: some, count: 2000 })].map((e) => e.municipalityCode))
  t.same([...codes].sort(), ['401307', '402036', '403415'])
})
