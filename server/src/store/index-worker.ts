/**
 * Worker thread of the blind indexes made ahead (index-ahead.ts): for each request's items it
 * computes the blind indexes of their 住民票コード, previous 住民票コード and 個人番号 and the search
 * keys of their names (blind-index.ts), and posts them back as one buffer in the order asked
 * (layout in index-ahead.ts). It holds only the blind-index secrets, in this same process.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { BlindIndex } from './blind-index.ts'
import { AHEAD_FIELDS, type AheadRequest } from './index-ahead-layout.ts'
import { TOKEN_BYTES } from './layout.ts'

const index = new BlindIndex(workerData as Uint8Array)
parentPort?.on('message', (request: AheadRequest) => {
  const s = request.strings
  const tokens: Buffer[] = []
  const counts: number[] = []
  for (let at = 0; at + AHEAD_FIELDS <= s.length; at += AHEAD_FIELDS) {
    const [code, previous, kojin, named, nameKana, nameKanji, birthDate, sex, address, changeReason, changeDate] = s.slice(at, at + AHEAD_FIELDS) as [string, string, string, string, string, string, string, string, string, string, string]
    tokens.push(index.token('J', code))
    if (previous !== '') tokens.push(index.token('J', previous))
    if (kojin !== '') tokens.push(index.token('K', kojin))
    if (named !== '') {
      const keys = index.searchKeys({ nameKana, nameKanji, birthDate })
      counts.push(keys.length)
      tokens.push(...keys)
      tokens.push(index.contentTag({ juminhyoCode: code, nameKanji, nameKana, birthDate, sex: Number(sex), address, kojinBango: kojin, changeReason: Number(changeReason), changeDate }))
    }
  }
  const out = Buffer.allocUnsafeSlow(tokens.length * TOKEN_BYTES + counts.length)
  tokens.forEach((token, i) => token.copy(out, i * TOKEN_BYTES))
  out.set(counts, tokens.length * TOKEN_BYTES)
  parentPort?.postMessage({ id: request.id, tokens: out }, [out.buffer as ArrayBuffer])
})
