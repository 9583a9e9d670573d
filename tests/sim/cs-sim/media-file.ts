/**
 * A reconciliation file on media (SPEC §5.3, requirements C4 電子記録媒体): the same chunks a CS sends
 * on its link, each as a 4-byte big-endian length and the encoded ReconcileChunk (docs/reconciliation.md).
 */
import { encodeFrame } from '../../../proto/src/framing.ts'

export function mediaFile (chunks: readonly Uint8Array[]): Buffer {
  return Buffer.concat(chunks.map((c) => encodeFrame(c)))
}
