// The ingest's dependencies for unit tests (ingest.test.ts, batch-ingest.test.ts): an append that
// records each item and answers as the store would, the real validation, a fixed date.
import type { IngestDeps } from '../../../gateway/src/ingest.ts'
import { silentLogger } from '../../../gateway/src/logger.ts'
import { GatewayMetrics } from '../../../gateway/src/metrics.ts'
import { decode, encodeComplete } from '../../../proto/src/codec.ts'
import { ResultStatus, type UpdateResult } from '../../../proto/src/types.ts'
import type { EncodedUpdateResult } from '../../../server/src/store/append-client.ts'
import type { OutgoingAppendItem } from '../../../server/src/store/append-request.ts'
import { validateUpdate } from '../../../server/src/domain/validate-update.ts'

export function ingestDeps (over: Partial<IngestDeps> = {}): IngestDeps & { items: OutgoingAppendItem[] } {
  const items: OutgoingAppendItem[] = []
  return {
    items,
    append: async (item) => {
      items.push(item)
      // As the store reads an item: the update is the bytes sent (append-request.ts).
      const update = item.updateBytes === undefined ? undefined : decode('Update', item.updateBytes)
      return encoded({ municipalityCode: item.municipalityCode, stream: 1, sequence: update?.sequence ?? item.rejection?.sequence ?? 0, requestId: '', status: update === undefined ? ResultStatus.REJECTED : ResultStatus.ACCEPTED, reasonCode: item.rejection?.reasonCode ?? '', field: item.rejection?.field ?? '', logPosition: 1, entryHash: new Uint8Array(32), expectedSequence: 0, payloadSha256: item.payloadSha256 })
    },
    validate: validateUpdate,
    maxUpdateBytes: 4096,
    juminhyoCheckDigit: false,
    today: () => '2024-06-01',
    log: silentLogger,
    metrics: new GatewayMetrics(),
    ...over
  }
}

/** A result as the append client hands it on: the store's encoding and the fields read from it. */
export function encoded (r: UpdateResult): EncodedUpdateResult {
  const { municipalityCode, stream, sequence, status, reasonCode } = r
  return { bytes: Buffer.from(encodeComplete('UpdateResult', r)), municipalityCode, stream, sequence, status, reasonCode }
}
