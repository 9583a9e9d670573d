/**
 * Payloads generated once, before anything is timed, into one file per CS: a sequence of
 * [u32 big-endian length][bytes]. Every broker in a run reads the same files, so each gets the very
 * same bytes, and generating updates never competes with the system under test.
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs'

/** Write `count` payloads of `next()` (fewer if it runs out) to `file`; returns how many. */
export function writePayloadFile (file: string, next: () => Uint8Array | undefined, count: number): number {
  const fd = openSync(file, 'w', 0o600)
  const chunk: Buffer[] = []
  let size = 0
  let n = 0
  const flush = (): void => {
    writeSync(fd, Buffer.concat(chunk, size))
    chunk.length = 0
    size = 0
  }
  try {
    for (; n < count; n++) {
      const p = next()
      if (p === undefined) break
      const head = Buffer.allocUnsafe(4)
      head.writeUInt32BE(p.length, 0)
      chunk.push(head, Buffer.from(p.buffer, p.byteOffset, p.length))
      size += 4 + p.length
      if (size > 1 << 20) flush()
    }
    flush()
  } finally {
    closeSync(fd)
  }
  return n
}

/** The payloads of a file, in order, as views into one buffer. */
export function readPayloadFile (file: string): Buffer[] {
  const all = readFileSync(file)
  const out: Buffer[] = []
  for (let at = 0; at + 4 <= all.length;) {
    const len = all.readUInt32BE(at)
    out.push(all.subarray(at + 4, at + 4 + len))
    at += 4 + len
  }
  return out
}
