// rebuild reproduces the views byte for byte (every key and value, read from LevelDB directly); on
// open, views behind the log are repaired from the log — the tail only — and a consistent store
// replays nothing (docs/store-contract.md "Views").
import t, { type Test } from 'tap'
import path from 'node:path'
import { ChangeReason } from '../../../proto/src/types.ts'
import { LevelStore } from '../../../server/src/store/level-store.ts'
import type { StoreLogger } from '../../../server/src/store/store.ts'
import { DATABASES, VIEW_SPACES } from '../../../server/src/store/layout.ts'
import { ClassicLevel } from 'classic-level'
import { readdirSync } from 'node:fs'
import { Cs, FUKUOKA, KITAKYUSHU, fuhyo, item, juminhyoCode, person, TEST_APPLIANCE_KEY, tempDir } from './helpers.ts'
import { dumpSpaces, restoreSpaces } from './raw.ts'

const ADMIN = { actor: 'admin01', approver: 'secoff01' }

function recorder (): StoreLogger & { events: Array<Record<string, unknown>> } {
  const events: Array<Record<string, unknown>> = []
  const log = (fields: Record<string, unknown>): void => { events.push(fields) }
  return { events, info: log, warn: log, error: log }
}

async function withStore<T> (location: string, fn: (store: LevelStore) => Promise<T>, logger?: StoreLogger): Promise<T> {
  const store = new LevelStore({ location, applianceKey: TEST_APPLIANCE_KEY, ...(logger === undefined ? {} : { logger }) })
  await store.open()
  try {
    return await fn(store)
  } finally {
    await store.close()
  }
}

/** A history with every kind of effect, in `rounds` batches of work. */
async function work (store: LevelStore, from: number, to: number): Promise<void> {
  const fk = new Cs(FUKUOKA)
  const kk = new Cs(KITAKYUSHU)
  fk.advance(from * 3)
  kk.advance(from * 3)
  for (let i = from; i < to; i++) {
    await store.append([item((i % 2 === 0 ? fk : kk).identity(person(i)))])
    await store.append([
      item((i % 2 === 0 ? fk : kk).identity(person(i, { changeReason: ChangeReason.TENKYO, changeDate: '2021-01-01', address: `福岡県福岡市中央区天神${i + 1}丁目` }))),
      item((i % 2 === 0 ? fk : kk).fuhyo(fuhyo(i, i % 2 === 0 ? FUKUOKA : KITAKYUSHU)))
    ])
  }
}

async function makeStore (t: Test): Promise<string> {
  const location = path.join(tempDir(t), 'db')
  await withStore(location, async (store) => {
    await work(store, 0, 10)
    const cs = new Cs(FUKUOKA)
    cs.advance(1000)
    await store.append([item(cs.identity(person(2, { juminhyoCode: juminhyoCode(900), changeReason: ChangeReason.JUMINHYO_CODE_HENKO, changeDate: '2022-01-01', previousJuminhyoCode: juminhyoCode(2) })))])
    const keyId = await store.keyIdOf(juminhyoCode(4))
    if (keyId !== undefined) await store.eraseResidentKey(keyId, ADMIN)
    await store.recordAct({ kind: 'national.forward', actor: 'ken-national', terminal: 'CN=national', fromPosition: 1, toPosition: 3, count: 2 })
    // The actidx view: a provision by person, a correction step by case (act-index.ts).
    await store.recordAct({ kind: 'terminal.provide', actor: 'OP001', juminhyoCodes: [juminhyoCode(1)] })
    await store.recordAct({ kind: 'correction.investigate', actor: 'OP001', ref: Buffer.alloc(16, 7) })
  })
  return location
}

t.test('rebuild reproduces every view key and value, also of a shredded resident', async (t) => {
  const location = await makeStore(t)
  const before = await dumpSpaces(location)
  t.ok(VIEW_SPACES.every((space) => (before[space]?.length ?? 0) > 0), 'every view has rows')
  const { replayed } = await withStore(location, async (store) => await store.rebuild(ADMIN))
  t.equal(replayed, 35)
  t.same(await dumpSpaces(location), before)
})

t.test('views behind the log are repaired from the tail on open', async (t) => {
  const location = path.join(tempDir(t), 'db')
  await withStore(location, async (store) => await work(store, 0, 5))
  const atFifteen = await dumpSpaces(location, [...VIEW_SPACES, 'meta'])
  await withStore(location, async (store) => await work(store, 5, 12))
  const reference = await dumpSpaces(location)
  // Put the views (and their recorded head) back to where they were 21 entries ago.
  await restoreSpaces(location, atFifteen)
  const logger = recorder()
  await withStore(location, async (store) => {
    t.equal(store.head().position, 36)
    t.equal((await store.getCurrent(juminhyoCode(11)))?.address, '福岡県福岡市中央区天神12丁目')
  }, logger)
  const replay = logger.events.find((e) => e.event === 'store.recovery.replayed')
  t.equal(replay?.replayed, 21, 'only the tail was replayed')
  t.equal(replay?.from, 16)
  t.same(await dumpSpaces(location), reference)
  const again = recorder()
  await withStore(location, async () => undefined, again)
  t.same(again.events.filter((e) => String(e.event).startsWith('store.recovery')), [], 'a consistent store replays nothing')
})

t.test('views missing altogether are rebuilt on open', async (t) => {
  const location = await makeStore(t)
  const reference = await dumpSpaces(location)
  const empty = Object.fromEntries([...VIEW_SPACES, 'meta'].map((space) => [space, []]))
  await restoreSpaces(location, empty)
  const logger = recorder()
  await withStore(location, async (store) => t.equal(store.head().position, 35), logger)
  t.ok(logger.events.some((e) => e.event === 'store.recovery.rebuild'))
  t.same(await dumpSpaces(location), reference)
})

t.test('a rebuild interrupted after dropping the views is finished on the next open', async (t) => {
  const location = await makeStore(t)
  const reference = await dumpSpaces(location)
  const headMarker = Object.fromEntries([['meta', [`${Buffer.from('head').toString('hex')}=${Buffer.alloc(40).toString('hex')}`]], ['subjects', []], ['~current', []], ['history', []]])
  await restoreSpaces(location, headMarker)
  await withStore(location, async (store) => t.equal((await store.verify()).ok, true))
  t.same(await dumpSpaces(location), reference)
})

t.test('an erasure cut off after its log block (key not yet deleted, views behind) is finished on open', async (t) => {
  const location = path.join(tempDir(t), 'db')
  await withStore(location, async (store) => await work(store, 0, 3))
  // What the disk holds when the crash falls between the log block and the later batches
  // (level-store.ts write order): the wrapped key still there, the views at the previous head.
  const beforeErasure = await dumpSpaces(location, [...VIEW_SPACES, 'meta', 'keys'])
  await withStore(location, async (store) => {
    const keyId = await store.keyIdOf(juminhyoCode(1))
    if (keyId === undefined) throw new Error('no key')
    await store.eraseResidentKey(keyId, ADMIN)
  })
  const reference = await dumpSpaces(location, [...VIEW_SPACES, 'meta', 'keys'])
  await restoreSpaces(location, beforeErasure)
  t.not((await dumpSpaces(location, ['keys'])).keys?.length, reference.keys?.length, 'control: the wrapped key is back on disk')
  const logger = recorder()
  await withStore(location, async (store) => {
    await t.rejects(store.getCurrent(juminhyoCode(1)), { code: 'KEN_ERR_STORE_KEY_ERASED' })
    t.ok((await store.getCurrent(juminhyoCode(0))) !== undefined, 'others still read')
  }, logger)
  t.equal(logger.events.find((e) => e.event === 'store.recovery.replayed')?.replayed, 1, 'the erasure act was replayed')
  t.same(await dumpSpaces(location, [...VIEW_SPACES, 'meta', 'keys']), reference, 'the wrapped key is gone again')
})

t.test('a directory holding one LevelDB database of the earlier layout is refused, not reused', async (t) => {
  const location = path.join(tempDir(t), 'old')
  const old = new ClassicLevel(location)
  await old.open()
  await old.put('x', 'y')
  await old.close()
  const store = new LevelStore({ location, applianceKey: TEST_APPLIANCE_KEY })
  await t.rejects(store.open(), { code: 'KEN_ERR_STORE_LAYOUT' })
  t.notOk(store.isOpen)
  t.same(readdirSync(location).filter((name) => (DATABASES as readonly string[]).includes(name)), [], 'nothing was created beside it')
})
