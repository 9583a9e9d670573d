// The store keeps the Merkle tree and signed checkpoints (docs/transparency-log.md): checkpoints
// after commit groups and on close, kept in order; inclusion proofs of any entry and consistency
// proofs between any two kept checkpoints verify with the auditor's code and nothing but the
// verifier key; after a restart — also with the stored subtrees dropped — the tree is rebuilt from
// the log and every proof still verifies. Bad requests are refused with coded errors.
import t, { type Test } from 'tap'
import path from 'node:path'
import { ClassicLevel } from 'classic-level'
import { LevelStore, databasePath } from '../../../server/src/store/level-store.ts'
import { MemoryStore } from '../../../server/src/store/memory-store.ts'
import { signerFromSeed, parseVerifierKey } from '../../../server/src/log/checkpoint/index.ts'
import { auditCheckpoint, auditConsistency, auditInclusion } from '../../../server/src/log/audit.ts'
import { isKenError } from '../../../proto/src/ken-error.ts'
import { verifyInWorkers } from '../../../server/src/store/verify-parallel.ts'
import { verifyDirectory } from '../../../server/src/store/verify-directory.ts'
import { treeReportFromRoots } from '../../../server/src/store/verify-tree.ts'
import type { Store } from '../../../server/src/store/store.ts'
import { Cs, FUKUOKA, item, person, TEST_APPLIANCE_KEY, tempDir } from './helpers.ts'

const signer = signerFromSeed('ken-server.pref-40.test/log', Buffer.alloc(32, 7))
const verifier = parseVerifierKey(signer.verifier.line)

async function fill (store: Store, cs: Cs, from: number, count: number, group: number): Promise<void> {
  for (let i = from; i < from + count; i += group) {
    await store.append(Array.from({ length: Math.min(group, from + count - i) }, (_, j) => item(cs.identity(person(i + j)))))
  }
}

async function checkAll (t: Test, store: Store): Promise<number[]> {
  const reader = store.transparency
  const sizes: number[] = []
  for await (const kept of reader.all()) {
    const cp = auditCheckpoint(kept.note, verifier)
    t.ok(cp.ok, `checkpoint ${kept.size} verifies`)
    if (cp.ok) t.equal(cp.value.size, kept.size)
    sizes.push(kept.size)
  }
  t.same(sizes, [...sizes].sort((a, b) => a - b), 'kept in order of size')
  const latest = sizes.at(-1) as number
  for (const position of [1, 2, 255, 256, 257, 300, 511, 512, 513, latest].filter((p) => p <= latest)) {
    const proof = await reader.inclusion(position)
    const verdict = auditInclusion({ checkpoint: proof.checkpoint, leafIndex: proof.leafIndex, treeSize: proof.treeSize, proof: proof.proof, entry: proof.entry, leafHash: proof.leafHash }, verifier)
    if (!verdict.ok) t.fail(`inclusion of ${position}: ${verdict.reason}`)
  }
  for (const from of sizes) {
    const proof = await reader.consistency(from)
    const verdict = auditConsistency(proof.fromCheckpoint, proof.toCheckpoint, proof.proof, verifier)
    if (!verdict.ok) t.fail(`consistency ${from}→${latest}: ${verdict.reason}`)
  }
  return sizes
}

t.test('memory store: a checkpoint per group when the interval is 0, and proofs verify', async (t) => {
  const store = new MemoryStore({ applianceKey: TEST_APPLIANCE_KEY, logSigner: signer, checkpointIntervalMs: 0 })
  await store.open()
  const cs = new Cs(FUKUOKA)
  await fill(store, cs, 0, 40, 7)
  const sizes = await checkAll(t, store)
  t.same(sizes, [7, 14, 21, 28, 35, 40])
  t.equal(store.logVerifierKey, signer.verifier.line)
  await store.close()
})

t.test('LevelStore: 700 entries, close and reopen, drop the stored subtrees, every proof verifies', async (t) => {
  const location = path.join(tempDir(t), 'db')
  const cs = new Cs(FUKUOKA)
  let store = new LevelStore({ location, applianceKey: TEST_APPLIANCE_KEY, logSigner: signer, checkpointIntervalMs: 3_600_000 })
  await store.open()
  await fill(store, cs, 0, 300, 50)
  t.equal((await store.transparency.latest())?.size, 50, 'the first group is checkpointed, then the interval holds')
  await store.close()
  store = new LevelStore({ location, applianceKey: TEST_APPLIANCE_KEY, logSigner: signer, checkpointIntervalMs: 0 })
  await store.open()
  t.equal((await store.transparency.latest())?.size, 300, 'close issued a checkpoint at the head')
  await fill(store, cs, 300, 400, 100)
  const sizes = await checkAll(t, store)
  t.same(sizes, [50, 300, 400, 500, 600, 700])
  await store.close()

  const raw = new ClassicLevel<Buffer, Buffer>(databasePath(location, 'views'), { keyEncoding: 'buffer', valueEncoding: 'buffer' })
  await raw.sublevel<Buffer, Buffer>('tree', { keyEncoding: 'buffer', valueEncoding: 'buffer' }).clear()
  await raw.close()
  store = new LevelStore({ location, applianceKey: TEST_APPLIANCE_KEY, logSigner: signer })
  await store.open()
  t.same(await checkAll(t, store), sizes, 'the tree recomputed from the log gives the same proofs; nothing new to sign')
  const refusal = async (fn: () => Promise<unknown>, code: string): Promise<void> => {
    try {
      await fn()
      t.fail(`expected ${code}`)
    } catch (err) {
      t.ok(isKenError(err, code), code)
    }
  }
  await refusal(async () => await store.transparency.inclusion(701), 'KEN_ERR_LOG_RANGE')
  await refusal(async () => await store.transparency.inclusion(0), 'KEN_ERR_LOG_RANGE')
  await refusal(async () => await store.transparency.checkpoint(123), 'KEN_ERR_LOG_NO_CHECKPOINT')
  await refusal(async () => await store.transparency.consistency(500, 300), 'KEN_ERR_LOG_RANGE')
  await store.close()
})

t.test('without a signing key the tree is kept and no checkpoint is issued', async (t) => {
  const store = new MemoryStore({ applianceKey: TEST_APPLIANCE_KEY })
  await store.open()
  await fill(store, new Cs(FUKUOKA), 0, 5, 5)
  t.equal(await store.transparency.latest(), undefined)
  t.equal(store.logVerifierKey, undefined)
  await store.close()
})

t.test('verify in worker threads: the tree from tiles hashed in slices gives the same report as one thread', async (t) => {
  const location = path.join(tempDir(t), 'db')
  const store = new LevelStore({ location, applianceKey: TEST_APPLIANCE_KEY, logSigner: signer, checkpointIntervalMs: 0 })
  await store.open()
  await fill(store, new Cs(FUKUOKA), 0, 700, 7)
  await store.close()
  const reader = new LevelStore({ location, readOnly: true, createIfMissing: false })
  await reader.open()
  const sequential = await reader.verify({ threads: 1, verifierKey: signer.verifier })
  await reader.close()
  t.same([sequential.ok, sequential.tree.checkpoints, sequential.tree.size], [true, 100, 700])
  // As ken-store verify runs (verify-directory.ts): the same report, in one thread and in workers over odd ranges.
  for (const options of [{ threads: 1 }, { threads: 2, threshold: 0 }, { threads: 3, threshold: 0, rangeEntries: 97 }]) {
    const { elapsedMs: _a, ...direct } = await verifyDirectory(location, { ...options, verifierKey: signer.verifier })
    const { elapsedMs: _b, ...expected } = sequential
    t.same(direct, expected, `verifyDirectory, ${options.threads} thread(s): the same report`)
  }
  const kept = await (async () => {
    const s = new LevelStore({ location, createIfMissing: false })
    await s.open()
    const out: Array<{ size: number, note: string }> = []
    for await (const k of s.transparency.all()) out.push(k)
    await s.close()
    return out
  })()
  // As ken-store verify runs them: beside the store, open read-only.
  const open = new LevelStore({ location, readOnly: true, createIfMissing: false })
  await open.open()
  t.teardown(async () => { await open.close() })
  for (const threads of [2, 3, 5]) {
    const slice = await verifyInWorkers(databasePath(location, 'log'), threads, undefined, async () => { throw new Error('not in process') }, 0, kept.map((k) => k.size))
    t.ok(slice.roots !== undefined, `${threads} workers returned roots`)
    const report = treeReportFromRoots(kept, slice.roots ?? new Map(), slice.lastPosition, signer.verifier)
    t.same(report, sequential.tree, `${threads} workers: the same tree report`)
    const noEnd = await verifyInWorkers(databasePath(location, 'log'), threads, undefined, async () => { throw new Error('not in process') }, 0, kept.slice(0, 10).map((k) => k.size))
    t.equal(noEnd.roots?.get(700)?.toString('base64'), sequential.tree.root, 'the root at the end without a checkpoint there')
  }
})

t.test('LevelStore: the log database holds the log alone; checkpoints an earlier layout kept there are moved on open', async (t) => {
  const location = path.join(tempDir(t), 'db')
  const ENC = { keyEncoding: 'buffer', valueEncoding: 'buffer' } as const
  const cs = new Cs(FUKUOKA)
  let store = new LevelStore({ location, applianceKey: TEST_APPLIANCE_KEY, logSigner: signer, checkpointIntervalMs: 0 })
  await store.open()
  await fill(store, cs, 0, 30, 10)
  await store.close()
  const logKeys = async (): Promise<string[]> => {
    const raw = new ClassicLevel<Buffer, Buffer>(databasePath(location, 'log'), ENC)
    const keys = (await raw.keys().all()).map((k) => k.toString('latin1').replace(/^(![a-z]+!).*$/s, '$1'))
    await raw.close()
    return [...new Set(keys)]
  }
  // One range of growing keys only, so LevelDB moves the log's tables down instead of rewriting them.
  t.same(await logKeys(), ['!log!'])

  // The layout before: checkpoints in log/.
  const views = new ClassicLevel<Buffer, Buffer>(databasePath(location, 'views'), ENC)
  const kept = await views.sublevel<Buffer, Buffer>('checkpoints', ENC).iterator().all()
  await views.sublevel<Buffer, Buffer>('checkpoints', ENC).clear()
  await views.close()
  t.same(kept.length, 3, 'a checkpoint per group and none on close (nothing new)')
  const log = new ClassicLevel<Buffer, Buffer>(databasePath(location, 'log'), ENC)
  await log.sublevel<Buffer, Buffer>('checkpoints', ENC).batch(kept.map(([key, value]) => ({ type: 'put' as const, key, value })))
  await log.close()

  const reader = new LevelStore({ location, readOnly: true, createIfMissing: false })
  await reader.open()
  t.same((await reader.verify({ threads: 1, verifierKey: signer.verifier })).tree.checkpoints, 3, 'read-only: read where they are')
  // A point read too (level-store.ts _getMany reads each space's keys on the database its sublevel is on).
  t.same((await reader.transparency.checkpoint(20)).size, 20, 'read-only: a checkpoint read by its size where it is')
  await reader.close()
  for (const threads of [1, 2]) t.same((await verifyDirectory(location, { threads, threshold: 0, verifierKey: signer.verifier })).tree.checkpoints, 3, `verifyDirectory (${threads}): read where they are`)
  t.same(await logKeys(), ['!checkpoints!', '!log!'], 'read-only: nothing moved')

  store = new LevelStore({ location, applianceKey: TEST_APPLIANCE_KEY, logSigner: signer, checkpointIntervalMs: 0 })
  await store.open()
  t.same(await checkAll(t, store), [10, 20, 30], 'moved, and every proof verifies')
  await fill(store, cs, 30, 10, 10)
  await store.close()
  t.same(await logKeys(), ['!log!'])
  const after = new LevelStore({ location, readOnly: true, createIfMissing: false })
  await after.open()
  const report = await after.verify({ threads: 1, verifierKey: signer.verifier })
  t.same([report.ok, report.tree.checkpoints, report.tree.size], [true, 4, 40], 'the next checkpoint kept beside the moved ones')
  await after.close()
})
