/**
 * A CS checking what the prefecture received (SPEC §1.1 "get their results and proofs";
 * docs/transparency-log.md): for a sample of its ACCEPTED results it asks for a receipt on its proof
 * topic and verifies it with nothing but the log's verifier key — the checkpoint's signature, that the
 * entry is its own update (municipality, stream, 更新順番号, position), the inclusion proof, and that the
 * new checkpoint extends the last one it kept. Any failure is counted and reported loudly.
 */
import type { MqttClient } from 'mqtt'
import { decode, encode } from '../../../proto/src/codec.ts'
import { topicFor } from '../../../proto/src/topics.ts'
import type { ProofResponse, UpdateResult } from '../../../proto/src/types.ts'
import { leafHash } from '../../../server/src/log/merkle/index.ts'
import { auditCheckpoint, auditConsistency, auditInclusion } from '../../../server/src/log/audit.ts'
import type { NoteVerifier } from '../../../server/src/log/checkpoint/index.ts'

const RETRY_MS = 1500
const MAX_TRIES = 6

export interface ReceiptStats {
  requested: number
  verified: number
  failed: number
  /** The tree size of the newest checkpoint any CS kept. */
  lastCheckpointSize: number
}

export function emptyReceiptStats (): ReceiptStats {
  return { requested: 0, verified: 0, failed: 0, lastCheckpointSize: 0 }
}

export interface ReceiptOptions {
  readonly verifier: NoteVerifier
  /** Ask for one receipt every `every` accepted results. */
  readonly every: number
  readonly stats: ReceiptStats
  /** Told every failed check, with its reason (no resident data: positions, sizes, reasons). */
  readonly onFailure: (code: string, what: string) => void
}

export class ReceiptChecker {
  readonly #code: string
  readonly #opts: ReceiptOptions
  readonly #pending = new Map<string, { result: UpdateResult, tries: number }>()
  #client: MqttClient | undefined
  #accepted = 0
  /** Receipts asked for and not yet verified or failed (retries included). */
  #open = 0
  #settled: (() => void) | undefined
  #next = 1
  /** The newest checkpoint this CS kept: every later one must extend it. */
  #kept: { size: number, note: string } | undefined

  constructor (code: string, opts: ReceiptOptions) {
    this.#code = code
    this.#opts = opts
  }

  get topic (): string {
    return topicFor('proofResult', this.#code)
  }

  /** An accepted result arrived: perhaps ask for its receipt. */
  onAccepted (client: MqttClient, result: UpdateResult): void {
    if (this.#accepted++ % this.#opts.every !== 0 || result.logPosition < 1) return
    this.#client = client
    this.#opts.stats.requested++
    this.#open++
    this.#request(result, 1)
  }

  #request (result: UpdateResult, tries: number): void {
    const client = this.#client
    if (client === undefined) return
    const requestId = `receipt-${this.#next++}`
    this.#pending.set(requestId, { result, tries })
    const payload = encode('ProofRequest', { requestId, logPosition: result.logPosition, knownSize: this.#kept?.size ?? 0 })
    client.publish(topicFor('proof', this.#code), Buffer.from(payload), { qos: 1 }, () => undefined)
  }

  onResponse (payload: Buffer): void {
    let r: ProofResponse
    try {
      r = decode('ProofResponse', payload)
    } catch {
      return this.#fail('an undecodable receipt')
    }
    const pending = this.#pending.get(r.requestId)
    this.#pending.delete(r.requestId)
    if (pending === undefined) return this.#fail(`a receipt nobody asked for (${r.requestId})`)
    const result = pending.result
    if (r.reasonCode === 'KEN_ERR_LOG_RANGE' && pending.tries < MAX_TRIES) {
      // Committed but not yet under a checkpoint (they are issued at most every store.checkpointIntervalMs): ask again.
      setTimeout(() => { this.#request(result, pending.tries + 1) }, RETRY_MS).unref()
      return
    }
    if (r.reasonCode !== '') return this.#fail(`receipt for position ${result.logPosition} refused: ${r.reasonCode}`)
    const failure = this.#check(result, r)
    if (failure !== undefined) return this.#fail(`receipt for position ${result.logPosition}: ${failure}`)
    this.#opts.stats.verified++
    this.#opts.stats.lastCheckpointSize = Math.max(this.#opts.stats.lastCheckpointSize, r.treeSize)
    this.#closeOne()
  }

  /** Resolves once every receipt asked for is verified or failed, or after `timeoutMs`. */
  async settled (timeoutMs: number): Promise<void> {
    if (this.#open === 0) return
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs)
      this.#settled = () => { clearTimeout(timer); resolve() }
    })
  }

  #closeOne (): void {
    this.#open--
    if (this.#open === 0) this.#settled?.()
  }

  #check (result: UpdateResult, r: ProofResponse): string | undefined {
    const cp = auditCheckpoint(r.checkpoint, this.#opts.verifier)
    if (!cp.ok) return `checkpoint ${cp.reason}`
    if (r.logPosition !== result.logPosition || r.leafIndex !== result.logPosition - 1) return 'another position'
    const entry = decode('LogEntry', r.entry)
    const u = entry.update
    if (entry.position !== result.logPosition || u === undefined || u === null || u.municipalityCode !== this.#code || u.sequence !== result.sequence || u.stream !== result.stream) return 'the entry is not this result'
    if (!leafHash(r.entry).equals(r.leafHash)) return 'leaf hash'
    const inc = auditInclusion({ checkpoint: r.checkpoint, leafIndex: r.leafIndex, treeSize: r.treeSize, proof: r.inclusionProof, entry: r.entry, leafHash: r.leafHash }, this.#opts.verifier)
    if (!inc.ok) return `inclusion ${inc.reason}`
    const kept = this.#kept
    if (kept !== undefined && r.knownSize === kept.size) {
      const con = auditConsistency(kept.note, r.checkpoint, r.consistencyProof, this.#opts.verifier)
      if (!con.ok) return `consistency ${kept.size}→${r.treeSize}: ${con.reason}`
    } else if (kept !== undefined && r.treeSize < kept.size) {
      return `checkpoint ${r.treeSize} is older than the kept ${kept.size}`
    }
    // Only a checkpoint proven to extend the kept one replaces it.
    if (kept === undefined || (r.knownSize === kept.size && r.treeSize > kept.size)) this.#kept = { size: r.treeSize, note: r.checkpoint }
    return undefined
  }

  #fail (what: string): void {
    this.#closeOne()
    this.#opts.stats.failed++
    this.#opts.onFailure(this.#code, what)
  }
}
