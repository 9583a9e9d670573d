/**
 * `verify` on several cores (SPEC §8: a 5 M-entry log in under 10 s on 2 cores). The log is cut
 * into position ranges, one worker thread per range; every entry holds the previous entry's hash, so
 * each worker checks its range alone and the ranges are stitched here: each must start where the
 * previous one ended, chaining to its last hash. The first bad position over all of them wins.
 */
import { ClassicLevel } from 'classic-level'
import { endIssue, type ChainIssue, type ChainSlice } from './chain-verifier.ts'
import { positionKey, readPosition } from './layout.ts'
import type { Head } from './store-types.ts'
import { startTsWorker } from './ts-worker.ts'
import { assembleRoots, type TileSliceResult } from '../log/merkle/index.ts'

/** Below this many entries one thread is faster than starting workers. */
export const PARALLEL_THRESHOLD = 100_000

/**
 * Verify the log of the (open or closed) database at `location` with `threads` workers, or with
 * `inProcess` when the log is small.
 */
export async function verifyInWorkers (location: string, threads: number, recorded: Head | undefined, inProcess: () => Promise<ChainSlice>, threshold = PARALLEL_THRESHOLD, sizes?: readonly number[]): Promise<ChainSlice & { roots?: Map<number, Buffer> }> {
  const lastKey = await lastBlockKey(location)
  if (lastKey === undefined || readPosition(lastKey) < threshold) return await inProcess()
  const end = readPosition(lastKey)
  const starts = Array.from({ length: threads }, (_, i) => 1 + Math.floor((i * end) / threads))
  const slices = await Promise.all(starts.map(async (start, i) => {
    const next = starts[i + 1]
    return await runWorker({ location, from: positionKey(start), to: next === undefined ? null : positionKey(next), first: i === 0, ...(sizes === undefined ? {} : { sizes }) })
  }))
  const stitched = stitch(slices, recorded)
  if (sizes === undefined || stitched.issue !== undefined) return stitched
  // The Merkle tree's roots at every kept checkpoint and at the end, from the workers' tiles.
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

async function lastBlockKey (location: string): Promise<Buffer | undefined> {
  const db = new ClassicLevel<Buffer, Buffer>(location, { keyEncoding: 'buffer', valueEncoding: 'buffer', multithreading: true, createIfMissing: false })
  await db.open()
  try {
    const log = db.sublevel<Buffer, Buffer>('log', { keyEncoding: 'buffer', valueEncoding: 'buffer' })
    for await (const key of log.keys({ reverse: true, limit: 1 })) return key
    return undefined
  } finally {
    await db.close()
  }
}

/** Run verify-worker.ts on one range. */
async function runWorker (task: { location: string, from: Buffer, to: Buffer | null, first: boolean, sizes?: readonly number[] }): Promise<ChainSlice> {
  return await new Promise<ChainSlice>((resolve, reject) => {
    const worker = startTsWorker(new URL('./verify-worker.ts', import.meta.url), task)
    let result: ChainSlice | undefined
    worker.once('message', (slice: ChainSlice) => { result = slice })
    worker.once('error', reject)
    worker.once('exit', (code) => {
      if (result !== undefined) resolve(result)
      else reject(new Error(`verify worker exited with code ${code}`))
    })
  })
}
