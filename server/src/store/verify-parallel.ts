/**
 * `verify` on several cores (SPEC §8: a 5 M-entry log in under 10 s on 2 cores). The log is cut
 * into position ranges of about RANGE_ENTRIES; `threads - 1` worker threads and this thread claim
 * them from one shared counter until none is left — this thread works while the workers start, and
 * a thread slowed by others' load just does fewer ranges. Every entry holds the previous entry's
 * hash, so each range is checked alone and the ranges are stitched here in order: each must start
 * where the previous one ended, chaining to its last hash. The first bad position over all wins.
 */
import { ClassicLevel } from 'classic-level'
import { endIssue, type ChainIssue, type ChainSlice } from './chain-verifier.ts'
import { positionKey, readPosition } from './layout.ts'
import type { Head } from './store-types.ts'
import { verifyRange, type RangeTask } from './verify-range.ts'
import { VerifyWorkers } from './verify-workers.ts'
import { assembleRoots, type TileSliceResult } from '../log/merkle/index.ts'
import { sha256Batch } from '../log/merkle/sha256-batch-file.ts'

/** Below this many entries one thread is faster than starting workers. */
export const PARALLEL_THRESHOLD = 100_000

/** Entries per range: small enough that the threads end together, large enough to cost nothing to cut. */
export const RANGE_ENTRIES = 32_768

type Db = ClassicLevel<Buffer, Buffer>
const logOf = (db: Db) => db.sublevel<Buffer, Buffer>('log', { keyEncoding: 'buffer', valueEncoding: 'buffer' })

/**
 * Verify the log of the (open or closed) database at `location` with `threads` threads (this one
 * and `threads - 1` workers), or with `inProcess` when the log is small. `started`: the workers, when
 * the caller started them earlier (verify-workers.ts); they are stopped here if the log is small.
 */
export async function verifyInWorkers (location: string, threads: number, recorded: Head | undefined, inProcess: () => Promise<ChainSlice>, threshold = PARALLEL_THRESHOLD, sizes?: readonly number[], rangeEntries = RANGE_ENTRIES, started?: VerifyWorkers): Promise<ChainSlice & { roots?: Map<number, Buffer> }> {
  try {
    return await walk(location, threads, recorded, inProcess, threshold, sizes, rangeEntries, started)
  } finally {
    await started?.stop()
  }
}

async function walk (location: string, threads: number, recorded: Head | undefined, inProcess: () => Promise<ChainSlice>, threshold: number, sizes: readonly number[] | undefined, rangeEntries: number, started: VerifyWorkers | undefined): Promise<ChainSlice & { roots?: Map<number, Buffer> }> {
  const db: Db = new ClassicLevel<Buffer, Buffer>(location, { keyEncoding: 'buffer', valueEncoding: 'buffer', multithreading: true, createIfMissing: false })
  await db.open()
  let slices: ChainSlice[]
  try {
    const log = logOf(db)
    const lastKey = await lastBlockKey(log)
    if (lastKey === undefined || readPosition(lastKey) < threshold) return await inProcess()
    const end = readPosition(lastKey)
    const count = Math.max(threads, Math.ceil(end / rangeEntries))
    const starts = Array.from({ length: count }, (_, i) => 1 + Math.floor((i * end) / count))
    const ranges: RangeTask[] = starts.map((start, i) => {
      const next = starts[i + 1]
      return { from: positionKey(start), to: next === undefined ? null : positionKey(next), first: i === 0 }
    })
    const counter = new Int32Array(new SharedArrayBuffer(4))
    const found: ChainSlice[] = new Array<ChainSlice>(count)
    const hasher = sha256Batch()
    const here = async (): Promise<void> => {
      for (let index = Atomics.add(counter, 0, 1); index < count; index = Atomics.add(counter, 0, 1)) found[index] = await verifyRange(log, ranges[index] as RangeTask, sizes, hasher)
    }
    const workers = started ?? new VerifyWorkers(location, threads - 1)
    await Promise.all([here(), workers.walk({ ranges, counter, ...(sizes === undefined ? {} : { sizes }) }, found)])
    slices = found.map((slice, i) => {
      if (slice === undefined) throw new RangeError(`range ${i} of the log was not verified`)
      return slice
    })
  } finally {
    await db.close()
  }
  const stitched = stitch(slices, recorded)
  if (sizes === undefined || stitched.issue !== undefined) return stitched
  // The Merkle tree's roots at every kept checkpoint and at the end, from the threads' tiles.
  const trees = slices.map((s) => s.tree).filter((tree) => tree !== undefined).map(revive)
  return { ...stitched, roots: assembleRoots(trees, [...sizes, stitched.lastPosition]) }
}

/** Buffers arrive from a worker as Uint8Arrays (structured clone). */
function revive (t: TileSliceResult): TileSliceResult {
  const b = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength)
  return { ...t, head: t.head.map(b), tiles: t.tiles.map(b), tail: t.tail.map(b), at: t.at.map((a) => ({ size: a.size, nodes: a.nodes.map(b) })) }
}

/** Join consecutive slices; the earliest problem anywhere is the verdict. */
export function stitch (slices: readonly ChainSlice[], recorded: Head | undefined): ChainSlice {
  const issues: ChainIssue[] = []
  let previous: ChainSlice | undefined
  let entries = 0
  for (const slice of slices) {
    entries += slice.entries
    if (slice.issue !== undefined) issues.push(slice.issue)
    if (slice.entries === 0) continue
    if (previous !== undefined) {
      const expected = previous.lastPosition + 1
      if (slice.firstPosition !== expected) {
        issues.push({ position: Math.min(expected, slice.firstPosition), kind: slice.firstPosition > expected ? 'missing' : 'reordered', detail: `range starts at ${slice.firstPosition}, expected ${expected}` })
      } else if (slice.firstPrev === undefined || previous.lastHash === undefined || !Buffer.from(slice.firstPrev).equals(Buffer.from(previous.lastHash))) {
        issues.push({ position: previous.lastPosition, kind: 'changed', detail: `entry ${expected} does not chain to entry ${previous.lastPosition}` })
      }
    }
    previous = slice
  }
  const last = previous
  const lastHash = last?.lastHash === undefined ? undefined : Buffer.from(last.lastHash)
  const tail = endIssue(last?.lastPosition ?? 0, lastHash, recorded)
  if (tail !== undefined) issues.push(tail)
  issues.sort((a, b) => a.position - b.position)
  const firstPrev = slices[0]?.firstPrev
  return { entries, firstPosition: slices[0]?.firstPosition ?? 0, firstPrev: firstPrev === undefined ? undefined : Buffer.from(firstPrev), lastPosition: last?.lastPosition ?? 0, lastHash, issue: issues[0] }
}

async function lastBlockKey (log: ReturnType<typeof logOf>): Promise<Buffer | undefined> {
  for await (const key of log.keys({ reverse: true, limit: 1 })) return key
  return undefined
}
