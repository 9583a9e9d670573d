// verify's tree in worker threads (verify-worker.ts hashes each leaf in place in the chain's pass, as a
// binary string) finds a rewritten entry whose later chain hashes were all recomputed — what the chain
// alone cannot see — at the same checkpoint as the tree recomputed in one thread, for slice
// boundaries that are not powers of two nor tile boundaries, and for ranges of 50 and 97 entries
// claimed by verify's own thread and the workers alike.
import t from 'tap'
import path from 'node:path'
import { createHash } from 'node:crypto'
import { ClassicLevel } from 'classic-level'
import { databasePath, LevelStore } from '../../../server/src/store/level-store.ts'
import { verifyInWorkers } from '../../../server/src/store/verify-parallel.ts'
import { readKept, treeReportFromRoots, verifyTree } from '../../../server/src/store/verify-tree.ts'
import { entryPosition, GENESIS_HASH, nextFrame } from '../../../server/src/store/log-block.ts'
import { signerFromSeed } from '../../../server/src/log/checkpoint/index.ts'
import { Cs, FUKUOKA, item, person, TEST_APPLIANCE_KEY, tempDir } from './helpers.ts'

const signer = signerFromSeed('ken-server.pref-40.test/log', Buffer.alloc(32, 9))
const ENCODING = { keyEncoding: 'buffer', valueEncoding: 'buffer' } as const
const ENTRIES = 700
const CHANGED = 300

/** Change one byte of entry `position` (past its position field) and re-chain every later entry. */
async function rewrite (location: string, position: number): Promise<void> {
  const raw = new ClassicLevel<Buffer, Buffer>(databasePath(location, 'log'), ENCODING)
  await raw.open()
  try {
    const log = raw.sublevel<Buffer, Buffer>('log', ENCODING)
    let prev: Buffer = GENESIS_HASH
    for await (const [key, block] of log.iterator()) {
      for (let offset = 0, ref = nextFrame(block, 0); ref !== undefined; offset = ref.end, ref = nextFrame(block, offset)) {
        if (entryPosition(block, ref.start + 32, ref.end) === position) block[ref.end - 1] = (block[ref.end - 1] as number) ^ 0x01
        prev.copy(block, ref.start)
        prev = createHash('sha256').update(block.subarray(ref.start, ref.end)).digest()
      }
      await log.put(key, block)
    }
  } finally {
    await raw.close()
  }
}

t.test('a rewritten, re-chained entry: the workers\' tree finds it at the first checkpoint after it', async (t) => {
  const location = path.join(tempDir(t), 'db')
  const store = new LevelStore({ location, applianceKey: TEST_APPLIANCE_KEY, logSigner: signer, checkpointIntervalMs: 0 })
  await store.open()
  const cs = new Cs(FUKUOKA)
  for (let i = 0; i < ENTRIES; i += 7) await store.append(Array.from({ length: 7 }, (_, j) => item(cs.identity(person(i + j)))))
  await store.close()
  await rewrite(location, CHANGED)

  const reader = new LevelStore({ location, readOnly: true, createIfMissing: false })
  await reader.open()
  t.teardown(async () => { await reader.close() })
  const io = { iterate: (space: 'log' | 'checkpoints', range: object) => (reader as unknown as { _iterate: (s: string, r: object) => AsyncIterable<ReadonlyArray<readonly [Buffer, Buffer]>> })._iterate(space, range) }
  const kept = await readKept(io)
  const sequential = await verifyTree(io, signer.verifier)
  t.match(sequential.issue, { kind: 'root-mismatch', size: 301 }, 'one thread: the first checkpoint at or after the changed entry')
  for (const [threads, rangeEntries] of [[2, undefined], [3, undefined], [5, undefined], [2, 50], [3, 97]] as const) {
    const slice = await verifyInWorkers(databasePath(location, 'log'), threads, undefined, async () => { throw new Error('not in process') }, 0, kept.map((k) => k.size), rangeEntries)
    t.equal(slice.issue, undefined, `${threads} workers: the re-chained log holds as a chain`)
    t.equal(slice.entries, ENTRIES)
    const report = treeReportFromRoots(kept, slice.roots ?? new Map(), slice.lastPosition, signer.verifier)
    // The one-thread walk stops at the bad checkpoint; the workers hash the whole log: the same verdict.
    t.same({ ok: report.ok, issue: report.issue, checkpoints: report.checkpoints }, { ok: false, issue: sequential.issue, checkpoints: sequential.checkpoints }, `${threads} workers: the same verdict as one thread`)
  }
})
