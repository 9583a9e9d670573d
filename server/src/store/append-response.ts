/**
 * The AppendResponse frame the append socket sends for every request (store.proto, result.proto),
 * written by hand as protobufjs's generated encoders write it: fields in number order, each one that
 * is not null/undefined (defaults included), one length-delimited UpdateResult per item. The gateway
 * forwards each result's bytes as they stand (append-client.ts readEncodedResponse), so the bytes are
 * protobufjs's own; append-response.test.ts compares both encoders. protobufjs's encode of a batch of
 * 64 results cost ~4 % of the daemon's main thread during a load (issue 18: one operation object per
 * field, one writer state per result, then a copy, then another copy into the frame).
 * When store.proto or result.proto changes, this file changes with it.
 */
import type { AppendResponse, UpdateResult } from '../../../proto/src/types.ts'
import { ProtoWriter } from './proto-writer.ts'

const w = new ProtoWriter()
const FRAME_HEADER = 4

/** `encodeFrame(encodeComplete('AppendResponse', response))` (proto/src/framing.ts), in one pass. */
export function encodeAppendResponseFrame (response: AppendResponse): Buffer {
  w.reset()
  w.uint64(8, response.batchId)
  const results = response.results
  if (results !== null && results !== undefined) {
    for (const result of results) {
      const at = w.begin(18)
      updateResult(result)
      w.end(at)
    }
  }
  w.string(26, response.errorCode)
  const frame = w.finish(FRAME_HEADER)
  frame.writeUInt32BE(frame.length - FRAME_HEADER, 0)
  return frame
}

function updateResult (m: UpdateResult): void {
  w.string(10, m.municipalityCode)
  w.int32(16, m.stream)
  w.uint64(24, m.sequence)
  w.string(34, m.requestId)
  w.int32(40, m.status)
  w.string(50, m.reasonCode)
  w.string(58, m.field)
  w.uint64(64, m.logPosition)
  w.bytes(74, m.entryHash)
  w.uint64(80, m.expectedSequence)
  w.bytes(90, m.payloadSha256)
}
