// verify detects an entry changed, removed, reordered or cut off on disk — edited behind the store's
// back with LevelDB directly — and reports the first bad position, in one thread or in workers.
import t, { type Test } from 'tap'
import path from 'node:path'
import { ClassicLevel } from 'classic-level'
import { databasePath, LevelStore } from '../../../server/src/store/level-store.ts'
import { verifyInWorkers } from '../../../server/src/store/verify-parallel.ts'
import { verifyDirectory } from '../../../server/src/store/verify-directory.ts'
import { nextFrame, type FrameRef } from '../../../server/src/store/log-block.ts'
import { META_HEAD, positionKey, readPosition } from '../../../server/src/store/layout.ts'
import type { ChainSlice } from '../../../server/src/store/chain-verifier.ts'
import { Cs, FUKUOKA, item, person, TEST_APPLIANCE_KEY, tempDir } from './helpers.ts'

type Raw = ClassicLevel<Buffer, Buffer>
const ENCODING = { keyEncoding: 'buffer', valueEncoding: 'buffer' } as const
const logOf = (raw: Raw) => raw.sublevel<Buffer, Buffer>('log', ENCODING)
type Log = ReturnType<typeof logOf>

/** 40 entries: blocks 1–10 (one group of 10), then 30 blocks of one entry each (11–40). */
async function makeLog (t: Test): Promise<string> {
  const location = path.join(tempDir(t), 'db')
  const store = new LevelStore({ location, applianceKey: TEST_APPLIANCE_KEY })
  await store.open()
  const cs = new Cs(FUKUOKA)
  await store.append(Array.from({ length: 10 }, (_, i) => item(cs.identity(person(i)))))
  for (let i = 10; i < 40; i++) await store.append([item(cs.identity(person(i)))])
  await store.close()
  return location
}

async function edit (location: string, fn: (log: Log) => Promise<void>): Promise<void> {
  const raw: Raw = new ClassicLevel<Buffer, Buffer>(databasePath(location, 'log'), ENCODING)
  await raw.open()
  try {
    await fn(logOf(raw))
  } finally {
    await raw.close()
  }
}

function frames (block: Buffer): FrameRef[] {
  const out: FrameRef[] = []
  for (let offset = 0, ref = nextFrame(block, 0); ref !== undefined; offset = ref.end, ref = nextFrame(block, offset)) out.push(ref)
  return out
}

/**
 * The verdict in one thread, in two threads, and in three over ranges of 3 entries (forced, whatever
 * the log's size); then as `ken-store verify` reaches it (verify-directory.ts), in one thread and in three.
 */
async function verdicts (location: string): Promise<Array<{ ok: boolean, position: number | undefined, kind: string | undefined }>> {
  const directory = []
  for (const options of [{ threads: 1 }, { threads: 3, threshold: 0, rangeEntries: 3 }]) {
    const result = await verifyDirectory(location, options)
    directory.push({ ok: result.ok, position: result.issue?.position, kind: result.issue?.kind })
  }
  const store = new LevelStore({ location, readOnly: true, createIfMissing: false })
  await store.open()
  try {
    const one = await store.verify({ threads: 1 })
    const raw = new ClassicLevel<Buffer, Buffer>(databasePath(location, 'views'), { keyEncoding: 'buffer', valueEncoding: 'buffer', multithreading: true })
    await raw.open()
    const headBytes = await raw.sublevel<Buffer, Buffer>('meta', { keyEncoding: 'buffer', valueEncoding: 'buffer' }).get(META_HEAD)
    await raw.close()
    const recorded = headBytes === undefined ? undefined : { position: readPosition(headBytes), hash: headBytes.subarray(8) }
    const parallel: ChainSlice = await verifyInWorkers(databasePath(location, 'log'), 2, recorded, async () => { throw new Error('not in process') }, 0)
    // Ranges of 3 entries claimed by three threads: most cut inside a block, most checked by this thread or another.
    const ranges: ChainSlice = await verifyInWorkers(databasePath(location, 'log'), 3, recorded, async () => { throw new Error('not in process') }, 0, undefined, 3)
    return [
      { ok: one.ok, position: one.issue?.position, kind: one.issue?.kind },
      { ok: parallel.issue === undefined, position: parallel.issue?.position, kind: parallel.issue?.kind },
      { ok: ranges.issue === undefined, position: ranges.issue?.position, kind: ranges.issue?.kind },
      ...directory
    ]
  } finally {
    await store.close()
  }
}

t.test('an intact log verifies, in one thread and in workers', async (t) => {
  const location = await makeLog(t)
  for (const v of await verdicts(location)) t.same(v, { ok: true, position: undefined, kind: undefined })
})

t.test('a changed entry is found at its position', async (t) => {
  const location = await makeLog(t)
  await edit(location, async (log) => {
    const key = positionKey(1)
    const block = Buffer.from(await log.get(key) ?? Buffer.alloc(0))
    const third = frames(block)[2]
    if (third === undefined) throw new Error('expected 10 frames')
    block[third.end - 3] = (block[third.end - 3] ?? 0) ^ 0xff // inside entry 3's bytes
    await log.put(key, block)
  })
  for (const v of await verdicts(location)) t.same(v, { ok: false, position: 3, kind: 'changed' })
})

t.test('a changed entry in a one-entry block, and the last entry', async (t) => {
  const location = await makeLog(t)
  await edit(location, async (log) => {
    for (const position of [25, 40]) {
      const block = Buffer.from(await log.get(positionKey(position)) ?? Buffer.alloc(0))
      block[block.length - 1] = (block[block.length - 1] ?? 0) ^ 1
      await log.put(positionKey(position), block)
    }
  })
  for (const v of await verdicts(location)) t.same(v, { ok: false, position: 25, kind: 'changed' })
  await edit(location, async (log) => {
    const block = Buffer.from(await log.get(positionKey(25)) ?? Buffer.alloc(0))
    block[block.length - 1] = (block[block.length - 1] ?? 0) ^ 1
    await log.put(positionKey(25), block)
  })
  for (const v of await verdicts(location)) t.same(v, { ok: false, position: 40, kind: 'changed' }, 'the last entry is checked against the recorded head')
})

t.test('a removed entry (a whole block, or a frame from a block) leaves a gap', async (t) => {
  const location = await makeLog(t)
  await edit(location, async (log) => { await log.del(positionKey(17)) })
  for (const v of await verdicts(location)) t.same(v, { ok: false, position: 17, kind: 'missing' })
  const other = await makeLog(t)
  await edit(other, async (log) => {
    const block = await log.get(positionKey(1)) ?? Buffer.alloc(0)
    const f = frames(block)
    const fifth = f[4]
    if (fifth === undefined) throw new Error('expected 10 frames')
    await log.put(positionKey(1), Buffer.concat([block.subarray(0, fifth.start - 4), block.subarray(fifth.end)]))
  })
  for (const v of await verdicts(other)) t.same(v, { ok: false, position: 5, kind: 'missing' })
})

t.test('reordered entries are found', async (t) => {
  const location = await makeLog(t)
  await edit(location, async (log) => {
    const a = await log.get(positionKey(12)) ?? Buffer.alloc(0)
    const b = await log.get(positionKey(30)) ?? Buffer.alloc(0)
    await log.put(positionKey(12), b)
    await log.put(positionKey(30), a)
  })
  for (const v of await verdicts(location)) t.same(v, { ok: false, position: 12, kind: 'reordered' })
  const other = await makeLog(t)
  await edit(other, async (log) => {
    const block = await log.get(positionKey(1)) ?? Buffer.alloc(0)
    const f = frames(block)
    const [second, third] = [f[1], f[2]]
    if (second === undefined || third === undefined) throw new Error('expected 10 frames')
    const slice = (r: FrameRef): Buffer => block.subarray(r.start - 4, r.end)
    await log.put(positionKey(1), Buffer.concat([block.subarray(0, second.start - 4), slice(third), slice(second), block.subarray(third.end)]))
  })
  for (const v of await verdicts(other)) t.same(v, { ok: false, position: 2, kind: 'missing' }, 'entry 3 where 2 belongs')
})

t.test('a block put under a key inside another block is found (verify reads the keys there are, not the ones it expects)', async (t) => {
  const location = await makeLog(t)
  await edit(location, async (log) => {
    const copy = await log.get(positionKey(11)) ?? Buffer.alloc(0)
    await log.put(positionKey(5), copy)
  })
  for (const v of await verdicts(location)) t.same(v, { ok: false, position: 5, kind: 'reordered' })
})

t.test('entries cut off the end are found, and the store refuses to open on them', async (t) => {
  const location = await makeLog(t)
  await edit(location, async (log) => {
    await log.del(positionKey(40))
    await log.del(positionKey(39))
  })
  for (const v of await verdicts(location)) t.same(v, { ok: false, position: 39, kind: 'truncated' })
  const store = new LevelStore({ location, applianceKey: TEST_APPLIANCE_KEY })
  await t.rejects(store.open(), { code: 'KEN_ERR_STORE_VIEWS_AHEAD' })
})

t.test('a read-only store takes no writes', async (t) => {
  const location = await makeLog(t)
  const store = new LevelStore({ location, readOnly: true })
  await store.open()
  t.teardown(async () => await store.close())
  await t.rejects(store.append([item(new Cs(FUKUOKA).identity(person(1)))]), { code: 'KEN_ERR_STORE_READ_ONLY' })
})
