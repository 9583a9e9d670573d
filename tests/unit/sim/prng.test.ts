import t from 'tap'
import { hash32, Rng, seedWord, WeightedTable } from '../../../tests/sim/generator/index.ts'

t.test('same seed, same stream; other seed or purpose, another stream', async (t) => {
  const draw = (r: Rng): number[] => Array.from({ length: 8 }, () => r.u32())
  t.same(draw(new Rng(7)), draw(new Rng(7)))
  t.notSame(draw(new Rng(7)), draw(new Rng(8)))
  t.same(draw(Rng.derive(7, 'resident', 3)), draw(Rng.derive(7, 'resident', 3)))
  t.notSame(draw(Rng.derive(7, 'resident', 3)), draw(Rng.derive(7, 'resident', 4)))
  t.notSame(draw(Rng.derive(7, 'resident', 3)), draw(Rng.derive(7, 'events', 3)))
  t.equal(seedWord('福岡'), seedWord('福岡'), 'string seeds hash stably')
  t.not(hash32(1), hash32(2 ** 32 + 1), 'both halves of a large integer count')
})

t.test('int, between, chance and float stay in range and are roughly uniform', async (t) => {
  const r = new Rng(1)
  const counts = new Array<number>(10).fill(0)
  let heads = 0
  for (let i = 0; i < 100_000; i++) {
    const k = r.int(10)
    counts[k] = (counts[k] ?? 0) + 1
    const f = r.float()
    if (f < 0 || f >= 1) t.fail('float out of range')
    const b = r.between(5, 7)
    if (b < 5 || b > 7) t.fail('between out of range')
    if (r.chance(0.25)) heads++
  }
  for (const c of counts) t.ok(c > 9500 && c < 10500, `bucket ${c} near 10000`)
  t.ok(heads > 24_000 && heads < 26_000, `chance(0.25): ${heads}`)
  t.throws(() => r.int(0), RangeError)
})

t.test('a weighted table draws in proportion to the weights', async (t) => {
  const table = new WeightedTable([['a', 1], ['b', 3], ['c', 0]] as const)
  const r = new Rng(2)
  const n = { a: 0, b: 0, c: 0 }
  for (let i = 0; i < 40_000; i++) n[table.pick(r)]++
  t.equal(n.c, 0, 'weight 0 never drawn')
  t.ok(n.b / n.a > 2.8 && n.b / n.a < 3.2, `ratio ${n.b / n.a}`)
  t.same(r.shuffled([1, 2, 3, 4, 5]).sort(), [1, 2, 3, 4, 5], 'a shuffle is a permutation')
})
