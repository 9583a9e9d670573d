/**
 * Receipts for a CS (SPEC §1.1 "get their results and proofs"; docs/transparency-log.md): a
 * ProofRequest on `ken/v1/cs/{lgCode}/proof` is answered on `…/proof/result` with the newest signed
 * checkpoint, the CS's entry as stored and its inclusion proof, and a consistency proof from the
 * checkpoint the CS kept. The gateway asks the store's read-only transparency socket, always with
 * the municipality of the CS's certificate, so the store refuses an entry that is not the CS's own
 * (KEN_ERR_LOG_NOT_OWN_ENTRY). Nothing is written; the answer holds no personal data in clear.
 */
import { decodeMessage, encode } from '../../proto/src/codec.ts'
import { isKenError } from '../../proto/src/ken-error.ts'
import { parseTopic } from '../../proto/src/topics.ts'
import type { ProofRequest, ProofResponse, TransparencyResponse } from '../../proto/src/types.ts'
import { reject } from '../../proto/src/reason-codes.ts'
import { errors as logErrors } from '../../server/src/log/errors.ts'
import { TransparencyClient } from '../../server/src/store/transparency-client.ts'
import type { CsIdentity } from './identity.ts'
import type { GatewayLogger } from './logger.ts'

/** True for a CS's receipt request topic (authorised like any publish: checkPublish). */
export function isProofTopic (topic: string): boolean {
  return parseTopic(topic)?.kind === 'proof'
}

/** Asks the store; one connection, opened on demand and again after it drops. */
export class ProofHandler {
  readonly #socketPath: string
  readonly #log: GatewayLogger
  #client: Promise<TransparencyClient> | undefined
  #answered = 0

  constructor (socketPath: string, log: GatewayLogger) {
    this.#socketPath = socketPath
    this.#log = log
  }

  /** Receipts answered so far (for metrics and tests). */
  get answered (): number {
    return this.#answered
  }

  /** The encoded ProofResponse to a request's payload. Never throws: a refusal is its reason code. */
  async answer (identity: CsIdentity, payload: Buffer): Promise<Buffer> {
    let request: ProofRequest
    try {
      request = decodeMessage('ProofRequest', payload)
    } catch (err) {
      return response({ reasonCode: isKenError(err) ? err.code : reject.KEN_REJECT_MALFORMED.code })
    }
    const base = { requestId: request.requestId, logPosition: request.logPosition, knownSize: request.knownSize }
    if (request.logPosition < 1) return response({ ...base, reasonCode: logErrors.KEN_ERR_LOG_RANGE.code })
    let answer: TransparencyResponse
    try {
      const client = await this.#connect()
      answer = await client.ask({ inclusion: { position: request.logPosition, size: 0, municipalityCode: identity.municipalityCode, fromSize: request.knownSize } })
    } catch (err) {
      this.#client = undefined
      this.#log.warn('gateway.proof.store_unavailable', { municipality: identity.municipalityCode, code: isKenError(err) ? err.code : 'uncoded' })
      return response({ ...base, reasonCode: logErrors.KEN_ERR_LOG_UNAVAILABLE.code })
    }
    this.#answered++
    if (answer.errorCode !== '') {
      this.#log.info('gateway.proof.refused', { municipality: identity.municipalityCode, code: answer.errorCode })
      return response({ ...base, reasonCode: answer.errorCode })
    }
    return response({
      ...base,
      checkpoint: answer.checkpoint,
      treeSize: answer.treeSize,
      leafIndex: answer.leafIndex,
      entry: answer.entry,
      leafHash: answer.leafHash,
      inclusionProof: answer.proof,
      consistencyProof: answer.consistencyProof
    })
  }

  close (): void {
    void this.#client?.then((c) => c.close(), () => undefined)
    this.#client = undefined
  }

  async #connect (): Promise<TransparencyClient> {
    this.#client ??= TransparencyClient.connect(this.#socketPath)
    return await this.#client
  }
}

function response (fields: Partial<ProofResponse>): Buffer {
  return Buffer.from(encode('ProofResponse', fields))
}
