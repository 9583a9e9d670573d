/**
 * Worker thread of the blind indexes made ahead (index-ahead.ts): for each request's items it
 * computes the blind indexes of their 住民票コード, previous 住民票コード and 個人番号 and the search
 * keys of their names (blind-index.ts), and posts them back as one buffer in the order asked
 * (layout in index-ahead.ts). It holds only the blind-index secrets, in this same process.
 * A request's messages are gathered first and hashed in one call of the sha256-batch addon
 * (TokenBatch; node:crypto where the addon is not built): ~13 hash() calls per update were most of
 * this thread's CPU (issue 18).
 */
import { parentPort, workerData } from 'node:worker_threads'
import { BlindIndex, TokenBatch } from './blind-index.ts'
import { recordSearchValues } from './search-keys.ts'
import { AHEAD_FIELDS, type AheadRequest, type IndexWorkerData } from './index-ahead-layout.ts'
import { TOKEN_BYTES } from './layout.ts'
import { jsSha256Batch, loadSha256Batch } from '../log/merkle/sha256-batch.ts'

const data = workerData as IndexWorkerData
const index = new BlindIndex(data.secrets)
data.secrets.fill(0)
const hasher = loadSha256Batch(data.sha256BatchFile) ?? jsSha256Batch
const batch = new TokenBatch()

parentPort?.on('message', (request: AheadRequest) => {
  const s = request.strings
  const items = Math.floor(s.length / AHEAD_FIELDS)
  batch.reset()
  const shapes: number[] = []
  const searchToken = batch.searchToken.bind(batch)
  for (let i = 0; i < items * AHEAD_FIELDS; i += AHEAD_FIELDS) {
    const [code, previous, kojin, named, nameKana, nameKanji, birthDate, sex, address, changeReason, changeDate] = s.slice(i, i + AHEAD_FIELDS) as [string, string, string, string, string, string, string, string, string, string, string]
    batch.token('J', code)
    if (previous !== '') batch.token('J', previous)
    if (kojin !== '') batch.token('K', kojin)
    if (named !== '') {
      shapes.push(recordSearchValues({ nameKana, nameKanji, birthDate }, searchToken))
      batch.contentTag({ juminhyoCode: code, nameKanji, nameKana, birthDate, sex: Number(sex), address, kojinBango: kojin, changeReason: Number(changeReason), changeDate })
    }
  }
  const at = batch.count * TOKEN_BYTES
  const out = Buffer.allocUnsafeSlow(at + shapes.length)
  index.tokensInto(batch, hasher, out, 0)
  out.set(shapes, at)
  parentPort?.postMessage({ id: request.id, tokens: out }, [out.buffer as ArrayBuffer])
})
