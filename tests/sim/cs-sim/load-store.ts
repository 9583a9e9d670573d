/**
 * Loads one municipality's residents straight into a Store (no MQTT): what a reconciliation test
 * needs before it runs, when the link itself is not what is being tested. The same updates the
 * initial load sends (initial-load.ts), appended in batches with a few in flight.
 */
import { createHash } from 'node:crypto'
import { encode } from '../../../proto/src/codec.ts'
import type { AppendItem } from '../../../proto/src/types.ts'
import type { Store } from '../../../server/src/store/store.ts'
import { initialLoadUpdate } from '../generator/initial-load.ts'
import type { Population } from '../generator/population.ts'

export async function loadMunicipality (store: Store, population: Population, municipalityCode: string, options: { batch?: number, inflight?: number } = {}): Promise<number> {
  const block = population.block(municipalityCode)
  const batch = options.batch ?? 512
  const inflight = options.inflight ?? 4
  let next = block.start
  let accepted = 0
  const worker = async (): Promise<void> => {
    while (next < block.end) {
      const items: AppendItem[] = []
      for (; next < block.end && items.length < batch; next++) {
        const update = initialLoadUpdate(population, next)
        items.push({ municipalityCode, update, rejection: null, payloadSha256: createHash('sha256').update(encode('Update', update)).digest() })
      }
      const results = await store.append(items)
      accepted += results.filter((r) => r.status === 1).length
    }
  }
  await Promise.all(Array.from({ length: inflight }, worker))
  return accepted
}
