/**
 * A bench population appended straight into a store in this process (no gateway), as initial-load
 * updates in batches of 64 with 32 in flight: how bench/terminal-search.ts and bench/query-latency.ts
 * fill the store they measure.
 */
import { createHash } from 'node:crypto'
import type { Store } from '../server/src/store/store.ts'
import { initialLoadUpdate } from '../tests/sim/generator/index.ts'
import type { benchPopulation } from './payloads.ts'

/** Appends every resident of `population`; resolves to how many. */
export async function appendPopulation (store: Store, population: ReturnType<typeof benchPopulation>): Promise<number> {
  const indexes = population.blocks.flatMap((b) => Array.from({ length: b.end - b.start }, (_, k) => b.start + k))
  let next = 0
  await Promise.all(Array.from({ length: 32 }, async () => {
    while (next < indexes.length) {
      const chunk = indexes.slice(next, next + 64)
      next += 64
      await store.append(chunk.map((i) => {
        const u = initialLoadUpdate(population, i)
        return { municipalityCode: u.municipalityCode, update: u, rejection: null, payloadSha256: createHash('sha256').update(u.requestId).digest() }
      }))
    }
  }))
  return indexes.length
}
