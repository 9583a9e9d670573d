/**
 * One answer of the transparency capability (transparency.proto): a TransparencyRequest in, a
 * TransparencyResponse out, from the store's TransparencyReader. Shared by the socket server and the
 * offline CLI, so both give the same bytes. Errors become their code; nothing personal is in an
 * answer (checkpoints, hashes, and entry bytes that hold only ciphertext and blind indexes).
 */
import { isKenError } from '../../../proto/src/ken-error.ts'
import { decode } from '../../../proto/src/codec.ts'
import type { TransparencyRequest, TransparencyResponse } from '../../../proto/src/types.ts'
import { errors as logErrors } from '../log/errors.ts'
import type { TransparencyReader } from './transparency.ts'

/** A response with every field at its default. */
export function emptyResponse (requestId: number): TransparencyResponse {
  return { requestId, errorCode: '', checkpoint: '', treeSize: 0, position: 0, leafIndex: 0, entry: new Uint8Array(0), leafHash: new Uint8Array(0), proof: [], fromCheckpoint: '', fromSize: 0, consistencyProof: [], verifierKey: '' }
}

const opt = (n: number): number | undefined => n === 0 ? undefined : n

export async function answerTransparency (reader: TransparencyReader, verifierKey: string | undefined, request: TransparencyRequest): Promise<TransparencyResponse> {
  const out = emptyResponse(request.requestId)
  try {
    if (request.checkpoint !== undefined && request.checkpoint !== null) {
      const cp = await reader.checkpoint(opt(request.checkpoint.size))
      return { ...out, checkpoint: cp.note, treeSize: cp.size }
    }
    if (request.inclusion !== undefined && request.inclusion !== null) {
      const q = request.inclusion
      const proof = await reader.inclusion(q.position, opt(q.size))
      if (q.municipalityCode !== '') {
        // A CS gets receipts of its own entries only (SPEC §1.1): updates and refusals it sent.
        const entry = decode('LogEntry', proof.entry)
        if (entry.update === undefined || entry.update === null || entry.update.municipalityCode !== q.municipalityCode) throw logErrors.KEN_ERR_LOG_NOT_OWN_ENTRY()
      }
      let consistency: { proof: Buffer[], fromCheckpoint: string, from: number } | undefined
      if (q.fromSize !== 0 && q.fromSize !== proof.treeSize) consistency = await reader.consistency(q.fromSize, proof.treeSize)
      return {
        ...out,
        checkpoint: proof.checkpoint,
        treeSize: proof.treeSize,
        position: proof.position,
        leafIndex: proof.leafIndex,
        entry: proof.entry,
        leafHash: proof.leafHash,
        proof: proof.proof,
        ...(consistency === undefined ? {} : { fromCheckpoint: consistency.fromCheckpoint, fromSize: consistency.from, consistencyProof: consistency.proof })
      }
    }
    if (request.consistency !== undefined && request.consistency !== null) {
      const c = await reader.consistency(request.consistency.fromSize, opt(request.consistency.toSize))
      return { ...out, checkpoint: c.toCheckpoint, treeSize: c.to, fromCheckpoint: c.fromCheckpoint, fromSize: c.from, proof: c.proof }
    }
    if (request.publicKey === true) {
      if (verifierKey === undefined) throw logErrors.KEN_ERR_LOG_NO_SIGNING_KEY()
      return { ...out, verifierKey }
    }
    return { ...out, errorCode: logErrors.KEN_ERR_LOG_RANGE.code }
  } catch (err) {
    return { ...out, errorCode: isKenError(err) ? err.code : logErrors.KEN_ERR_LOG_UNAVAILABLE.code }
  }
}
