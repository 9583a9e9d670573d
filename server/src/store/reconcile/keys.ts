/**
 * Keys of the reconcile/ database (work-db.ts). A run is named by runId = SHA-256(市町村コード ‖ 0 ‖
 * session id)[0..16): the municipality is part of the name, so a CS can only ever reach its own runs.
 */
import { hash } from 'node:crypto'

const RUN = 0x72 // 'r' → ReconcileRunState
const CHUNK = 0x63 // 'c' → sealed ReconcileResult of one chunk
const SEEN = 0x73 // 's' → a subject the CS sent (empty value)
const FINAL = 0x66 // 'f' → sealed final ReconcileResult
const ACT = 0x61 // 'a' → position of a reconcile.run / reconcile.resolve entry (empty value)
/** The last log position the act index has looked at (u64). */
export const ACT_INDEX_HEAD = Buffer.from('h')

export function runId (municipalityCode: string, sessionId: string): Buffer {
  return hash('sha256', Buffer.from(`${municipalityCode}\0${sessionId}`, 'utf8'), 'buffer').subarray(0, 16)
}

const tagged = (tag: number, ...parts: Uint8Array[]): Buffer => Buffer.concat([Buffer.of(tag), ...parts])

export const runKey = (id: Buffer): Buffer => tagged(RUN, id)
export const finalKey = (id: Buffer): Buffer => tagged(FINAL, id)
export const seenKey = (id: Buffer, subject: Uint8Array): Buffer => tagged(SEEN, id, subject)
export const seenRange = (id: Buffer): [Buffer, Buffer] => [tagged(SEEN, id), tagged(SEEN, id, Buffer.alloc(17, 0xff))]

export function chunkKey (id: Buffer, index: number): Buffer {
  const i = Buffer.allocUnsafe(4)
  i.writeUInt32BE(index)
  return tagged(CHUNK, id, i)
}
export const chunkRange = (id: Buffer): [Buffer, Buffer] => [tagged(CHUNK, id), tagged(CHUNK, id, Buffer.alloc(5, 0xff))]

export function actKey (position: number): Buffer {
  const p = Buffer.allocUnsafe(8)
  p.writeBigUInt64BE(BigInt(position))
  return tagged(ACT, p)
}
export const actRange: [Buffer, Buffer] = [Buffer.of(ACT), Buffer.of(ACT + 1)]
export const actPosition = (key: Buffer): number => Number(key.readBigUInt64BE(1))
