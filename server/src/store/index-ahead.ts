/**
 * Blind indexes made ahead of need (SPEC §8: the store's serial thread is what caps ingest). When a
 * request arrives, the blind indexes its planning will need — of the 住民票コード, the previous one,
 * the 個人番号, and the search keys of the names — are asked of a worker thread; they come back while
 * the request waits for its commit group, and the keyring (keyring.ts) takes them instead of hashing
 * on the store's thread. Only a performance step: an index not back in time is computed where it is
 * needed, with the same code (blind-index.ts), so the result never depends on the worker.
 */
import type { Worker } from 'node:worker_threads'
import type { AppendItem } from '../../../proto/src/types.ts'
import { HELPER_WORKER_LIMITS, startTsWorker } from './ts-worker.ts'
import { AHEAD_FIELDS, type AheadAnswer, type IndexWorkerData } from './index-ahead-layout.ts'
import { SHA256_BATCH_FILE } from '../log/merkle/sha256-batch-file.ts'
import { TOKEN_BYTES } from './layout.ts'
import { ChangeReason } from '../../../proto/src/types.ts'
import type { SearchNames } from './blind-index.ts'
import { searchKeysOf } from './search-keys.ts'
import type { DigestInput } from '../../../proto/src/reconcile-digest.ts'

/** What the answer to one item holds. */
export interface AheadTokens {
  readonly code: string
  readonly subject: Buffer
  readonly previousCode: string
  readonly previousSubject: Buffer | undefined
  readonly kojinBango: string
  readonly kojinToken: Buffer | undefined
  readonly names: SearchNames | undefined
  readonly searchKeys: Buffer[] | undefined
  /** An 本人確認情報 item's reconciliation items and the blind tag of their digest. */
  readonly digest: { readonly input: DigestInput, readonly tag: Buffer } | undefined
}

/** Requests not answered yet beyond which new ones are not asked (the worker is behind). */
const MAX_OUTSTANDING = 256

export class IndexAhead {
  readonly #secrets: Buffer
  readonly #onTokens: (tokens: AheadTokens) => void
  readonly #asked = new Map<number, string[]>()
  #nextId = 1
  #worker: Worker | undefined
  #closed = false

  constructor (secrets: Uint8Array, onTokens: (tokens: AheadTokens) => void) {
    this.#secrets = Buffer.from(secrets)
    this.#onTokens = onTokens
  }

  start (): void {
    if (this.#worker !== undefined || this.#closed) return
    const worker = startTsWorker(new URL('./index-worker.ts', import.meta.url), { secrets: this.#secrets, sha256BatchFile: SHA256_BATCH_FILE } satisfies IndexWorkerData, { loader: 'require', resourceLimits: HELPER_WORKER_LIMITS, threadName: 'ken-index' })
    this.#secrets.fill(0)
    worker.on('message', (answer: AheadAnswer) => { this.#answer(answer) })
    // A failed worker only means the indexes are computed on the store's thread again.
    worker.on('error', () => { this.#stop() })
    worker.on('exit', () => { this.#stop() })
    worker.unref()
    this.#worker = worker
  }

  /** Ask for the indexes of the updates among `items` (gateway refusals have none). */
  request (items: readonly AppendItem[]): void {
    const worker = this.#worker
    if (worker === undefined || this.#closed || this.#asked.size >= MAX_OUTSTANDING) return
    const strings: string[] = []
    for (const item of items) {
      const update = item.update
      if (update === undefined || update === null) continue
      const identity = update.identity ?? undefined
      if (identity !== undefined) {
        const previous = identity.changeReason === ChangeReason.JUMINHYO_CODE_HENKO ? identity.previousJuminhyoCode : ''
        strings.push(identity.juminhyoCode, previous, identity.kojinBango, '1', identity.nameKana, identity.nameKanji, identity.birthDate,
          String(identity.sex), identity.address, String(identity.changeReason), identity.changeDate)
      } else if (update.fuhyo !== undefined && update.fuhyo !== null) {
        strings.push(update.fuhyo.juminhyoCode, '', '', '', '', '', '', '', '', '', '')
      }
    }
    if (strings.length === 0) return
    const id = this.#nextId++
    this.#asked.set(id, strings)
    worker.postMessage({ id, strings })
  }

  async close (): Promise<void> {
    this.#closed = true
    this.#secrets.fill(0)
    const worker = this.#worker
    this.#stop()
    if (worker !== undefined) await worker.terminate()
  }

  #stop (): void {
    this.#worker = undefined
    this.#asked.clear()
  }

  #answer ({ id, tokens }: AheadAnswer): void {
    const s = this.#asked.get(id)
    this.#asked.delete(id)
    if (s === undefined || this.#closed) return
    const b = Buffer.from(tokens.buffer, tokens.byteOffset, tokens.byteLength)
    let named = 0
    for (let at = 0; at + AHEAD_FIELDS <= s.length; at += AHEAD_FIELDS) if (s[at + 3] !== '') named++
    let shapeAt = b.length - named
    let t = 0
    const next = (): Buffer => b.subarray(TOKEN_BYTES * t, TOKEN_BYTES * ++t)
    for (let at = 0; at + AHEAD_FIELDS <= s.length; at += AHEAD_FIELDS) {
      const code = s[at] as string
      const previousCode = s[at + 1] as string
      const kojinBango = s[at + 2] as string
      const subject = next()
      const previousSubject = previousCode === '' ? undefined : next()
      const kojinToken = kojinBango === '' ? undefined : next()
      let names: SearchNames | undefined
      let searchKeys: Buffer[] | undefined
      let digest: AheadTokens['digest']
      if (s[at + 3] !== '') {
        // One object for the names and the reconciliation items (DigestInput holds the names).
        const input: DigestInput = {
          juminhyoCode: code, nameKana: s[at + 4] as string, nameKanji: s[at + 5] as string, birthDate: s[at + 6] as string,
          sex: Number(s[at + 7]), address: s[at + 8] as string, kojinBango, changeReason: Number(s[at + 9]), changeDate: s[at + 10] as string
        }
        names = input
        searchKeys = searchKeysOf(b[shapeAt++] ?? 0, next)
        digest = { input, tag: next() }
      }
      this.#onTokens({ code, subject, previousCode, previousSubject, kojinBango, kojinToken, names, searchKeys, digest })
    }
  }
}
