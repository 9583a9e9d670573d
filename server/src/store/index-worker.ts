/**
 * Worker thread of the blind indexes made ahead (index-ahead.ts): for each request's items it
 * computes the blind indexes of their 住民票コード, previous 住民票コード and 個人番号 and the search
 * keys of their names (blind-index.ts), and posts them back as one buffer in the order asked
 * (layout in index-ahead.ts). It holds only the blind-index secrets, in this same process.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { BlindIndex } from './blind-index.ts'
import { recordSearchKeys, type SearchDomain } from './search-keys.ts'
import { AHEAD_FIELDS, type AheadRequest } from './index-ahead-layout.ts'
import { TOKEN_BYTES } from './layout.ts'

/** Tokens of one item at most: code, previous code, 個人番号, 4 search keys (search-keys.ts), content tag. */
const MOST_TOKENS = 8

const index = new BlindIndex(workerData as Uint8Array)
parentPort?.on('message', (request: AheadRequest) => {
  const s = request.strings
  const items = Math.floor(s.length / AHEAD_FIELDS)
  // Each token is written where the answer holds it (no Buffer per token); the buffer is cut to what was written.
  const out = Buffer.allocUnsafeSlow(items * (MOST_TOKENS * TOKEN_BYTES + 1))
  const counts: number[] = []
  let at = 0
  /** The token just written at `at`, which moves past it. */
  const written = (): Buffer => {
    at += TOKEN_BYTES
    return out.subarray(at - TOKEN_BYTES, at)
  }
  const searchToken = (domain: SearchDomain, value: string): Buffer => {
    index.searchTokenInto(domain, value, out, at)
    return written()
  }
  const token = (domain: string, value: string): void => {
    index.tokenInto(domain, value, out, at)
    written()
  }
  for (let i = 0; i < items * AHEAD_FIELDS; i += AHEAD_FIELDS) {
    const [code, previous, kojin, named, nameKana, nameKanji, birthDate, sex, address, changeReason, changeDate] = s.slice(i, i + AHEAD_FIELDS) as [string, string, string, string, string, string, string, string, string, string, string]
    token('J', code)
    if (previous !== '') token('J', previous)
    if (kojin !== '') token('K', kojin)
    if (named !== '') {
      counts.push(recordSearchKeys(searchToken, { nameKana, nameKanji, birthDate }).length)
      index.contentTagInto({ juminhyoCode: code, nameKanji, nameKana, birthDate, sex: Number(sex), address, kojinBango: kojin, changeReason: Number(changeReason), changeDate }, out, at)
      written()
    }
  }
  out.set(counts, at)
  const answer = out.subarray(0, at + counts.length)
  parentPort?.postMessage({ id: request.id, tokens: answer }, [out.buffer as ArrayBuffer])
})
