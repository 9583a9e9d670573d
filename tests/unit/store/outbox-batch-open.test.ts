// The outbox's read opens its sealed values in batches (issue 18): sealing.ts OpenBatch opens many
// values in one call to what `open` makes of each alone; keyring.ts dataKeys unwraps a read's data
// keys in one call to what dataKey gives; store.ts openForwards gives, for each record, what
// openForward gives or throws (a key erased after it was loaded, a tampered record: that record
// alone); and a session skips an erased resident, logs it without personal data, and chains the
// next forward to the one before it (SPEC §2.5, §5.1).
import t from 'tap'
import path from 'node:path'
import { LevelStore } from '../../../server/src/store/level-store.ts'
import { OutboxSession } from '../../../server/src/store/outbox-session.ts'
import { Keyring } from '../../../server/src/store/keyring.ts'
import { open, OpenBatch, seal, sealAad, SealPurpose } from '../../../server/src/store/sealing.ts'
import { isForwardFailure, type ForwardOutcome } from '../../../server/src/store/forward-open.ts'
import { EncodedIdentity } from '../../../server/src/store/forward-items.ts'
import type { ForwardRecord } from '../../../server/src/store/forward-entry.ts'
import { SILENT_LOGGER, type StoreLogger } from '../../../server/src/store/store-types.ts'
import { Cs, FUKUOKA, KITAKYUSHU, TEST_APPLIANCE_KEY, fuhyo, item, person, preRejected, tempDir } from './helpers.ts'
import { rng } from './seeded.ts'

function bytes (next: () => number, n: number): Buffer {
  return Buffer.from(Array.from({ length: n }, () => Math.floor(next() * 256)))
}

/** An outcome with its encoded 本人確認情報 items as their bytes (each read writes them into a buffer of its own, at offsets of its own). */
function asBytes (o: ForwardOutcome | null): unknown {
  if (o === null || o === undefined || isForwardFailure(o) || !(o.identity instanceof EncodedIdentity)) return o
  return { ...o, identity: o.identity.bytes.subarray(o.identity.start, o.identity.end) }
}

t.test('OpenBatch: many values open in one call to what open makes of each; a tampered one fails alone', async (t) => {
  const next = rng(15)
  const keys = [bytes(next, 32), bytes(next, 32), bytes(next, 32)]
  const purposes = [SealPurpose.UPDATE, SealPurpose.RESIDENT, SealPurpose.DATA_KEY]
  const values: Array<{ key: Buffer, purpose: SealPurpose, keyId: Buffer, position: number, sealed: Buffer, plain: Buffer }> = []
  for (let i = 0; i < 40; i++) {
    // Runs of values under one key (its bytes shared in the batch), key ids of two lengths, empty plaintexts.
    const key = keys[Math.floor(i / 5) % keys.length] as Buffer
    const keyId = bytes(next, i % 9 === 0 ? 7 : 16)
    const purpose = purposes[i % purposes.length] as SealPurpose
    const position = i * 1_000_003
    const plain = bytes(next, i % 13 === 0 ? 0 : Math.floor(next() * 700))
    values.push({ key, purpose, keyId, position, sealed: seal(key, sealAad(purpose, keyId, position), plain), plain })
  }
  const tampered = 17
  const bad = Buffer.from((values[tampered] as { sealed: Buffer }).sealed)
  bad[bad.length - 1] = (bad[bad.length - 1] as number) ^ 1
  const batch = new OpenBatch(values.length + 1, values.reduce((n, v) => n + v.sealed.length, 0) + 10, 16)
  const at = values.map((v, i) => batch.add(v.key, v.purpose, v.keyId, v.position, i === tampered ? bad : v.sealed))
  t.same(at, values.map((_, i) => i), 'each value its index')
  t.equal(batch.add(keys[0] as Buffer, SealPurpose.UPDATE, bytes(next, 16), 1, Buffer.alloc(27)), -1, 'a value shorter than nonce and tag is not added')
  t.equal(batch.count, values.length)
  t.equal(batch.open(), 1, 'one failure')
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as (typeof values)[number]
    if (i === tampered) {
      t.equal(batch.plaintext(i), undefined, 'the tampered value gives no plaintext')
      t.throws(() => open(v.key, sealAad(v.purpose, v.keyId, v.position), bad), { code: 'KEN_ERR_STORE_DECRYPT' }, 'as open refuses it')
      continue
    }
    const plain = batch.plaintext(i)
    if (!t.same(plain, open(v.key, sealAad(v.purpose, v.keyId, v.position), v.sealed), `value ${i}: open's plaintext`)) break
  }
  const first = batch.plaintext(1)
  t.ok(first !== undefined && first.length > 0 && first.some((b) => b !== 0), 'a plaintext before the wipe')
  batch.wipe()
  t.ok(first?.every((b) => b === 0), 'zeroed by the wipe')
})

t.test('Keyring.dataKeys: a read\'s keys unwrapped in one call are dataKey\'s; erased and absent ones undefined', async (t) => {
  const maker = new Keyring(TEST_APPLIANCE_KEY)
  const made = Array.from({ length: 6 }, () => maker.createDataKey())
  const ring = new Keyring(TEST_APPLIANCE_KEY)
  const cached = ring.dataKey(made[1]?.keyId as Buffer, made[1]?.wrapped)
  ring.forget(made[2]?.keyId as Buffer)
  const wrapped = made.map((m, i) => i === 3 ? undefined : m.wrapped)
  const keys = ring.dataKeys(made.map((m) => m.keyId), wrapped)
  t.equal(keys.length, made.length, 'one per key id')
  for (const i of [0, 4, 5]) {
    t.same(keys[i], made[i]?.dataKey, `key ${i}: the data key that was wrapped`)
    t.equal(keys[i]?.buffer.byteLength, 32, `key ${i}: in a memory of its own`)
    t.equal(ring.cached(made[i]?.keyId as Buffer), keys[i], `key ${i}: cached`)
  }
  t.equal(keys[1], cached, 'a cached key is given back as it is')
  t.equal(keys[2], undefined, 'an erased key: undefined')
  t.equal(keys[3], undefined, 'no wrapped key: undefined')
  const bad = Buffer.from(made[0]?.wrapped as Buffer)
  bad[20] = (bad[20] as number) ^ 1
  t.throws(() => new Keyring(TEST_APPLIANCE_KEY).dataKeys([made[0]?.keyId as Buffer], [bad]), { code: 'KEN_ERR_STORE_DECRYPT' }, 'a wrapped key that does not open is refused')
})

t.test('store.openForwards gives each record what openForward gives or throws, that record alone', async (t) => {
  const store = new LevelStore({ location: path.join(tempDir(t), 'db'), applianceKey: TEST_APPLIANCE_KEY })
  await store.open()
  t.teardown(async () => { await store.close() })
  const fukuoka = new Cs(FUKUOKA)
  const kitakyushu = new Cs(KITAKYUSHU)
  await store.append([
    item(fukuoka.identity(person(1))),
    item(kitakyushu.fuhyo(fuhyo(2, KITAKYUSHU))),
    preRejected(FUKUOKA, 'KEN_REJECT_MALFORMED', { field: 'sex' }),
    item(fukuoka.identity(person(3))),
    item(fukuoka.identity(person(4))),
    item(fukuoka.identity(person(5)))
  ])
  const records: ForwardRecord[] = []
  for await (const block of store.forwardEntries(1, store.head().position)) records.push(...block.filter((r) => r.entry.update !== null))
  t.equal(records.length, 5, 'four identities and a 附票')
  const keys = await store.loadDataKeys(records)
  const expected = await Promise.all(records.map(async (r, i) => await store.openForward(r, keys[i])))
  t.same(store.openForwards(records, keys).map(asBytes), expected.map(asBytes), 'the same items as openForward, record by record')
  t.same(store.openForwards(records, keys.map((k, i) => i === 1 ? undefined : k)).map((o) => o === null), [false, true, false, false, false], 'null where no key was given')

  // The record of resident 4 tampered with: it alone fails, as openForward fails.
  const u = records[3]?.entry.update
  if (u === null || u === undefined || u.sealedRecord === undefined) throw new Error('no sealed record')
  const flipped = Buffer.from(u.sealedRecord)
  flipped[30] = (flipped[30] as number) ^ 1
  const tampered: ForwardRecord = { ...(records[3] as ForwardRecord), entry: { ...(records[3] as ForwardRecord).entry, update: { ...u, sealedRecord: flipped } } }
  const withTampered = records.map((r, i) => i === 3 ? tampered : r)
  await t.rejects(store.openForward(tampered, keys[3]), { code: 'KEN_ERR_STORE_DECRYPT' }, 'openForward refuses it')
  const outcomes = store.openForwards(withTampered, keys)
  t.match((outcomes[3] as { error: unknown }).error, { code: 'KEN_ERR_STORE_DECRYPT' }, 'openForwards gives that error for it')
  t.same(outcomes.filter((_, i) => i !== 3).map(asBytes), expected.filter((_, i) => i !== 3).map(asBytes), 'and opens the others')

  // Resident 3's key erased after the read loaded it: refused as openForward refuses it.
  const keyId = await store.keyIdOf(person(3).juminhyoCode)
  if (keyId === undefined) throw new Error('no key id')
  await store.eraseResidentKey(keyId, { actor: 'admin01', approver: 'secoff01', note: 'outbox batch test' })
  await t.rejects(store.openForward(records[2] as ForwardRecord, keys[2]), { code: 'KEN_ERR_STORE_KEY_ERASED' })
  const after = store.openForwards(records, keys)
  t.match((after[2] as { error: unknown }).error, { code: 'KEN_ERR_STORE_KEY_ERASED' }, 'the erased key is refused though it was loaded before')
  t.same(after.filter((_, i) => i !== 2).map(asBytes), expected.filter((_, i) => i !== 2).map(asBytes), 'the others still open')
  t.ok(after.every((o, i) => i === 2 || !isForwardFailure(o as ForwardOutcome)), 'no other failure')
})

t.test('a session skips an erased resident, says so without personal data, and chains the next forward to the one before', async (t) => {
  const location = path.join(tempDir(t), 'db')
  let store = new LevelStore({ location, applianceKey: TEST_APPLIANCE_KEY })
  await store.open()
  t.teardown(async () => { await store.close() })
  const cs = new Cs(FUKUOKA)
  await store.append([item(cs.identity(person(1))), item(cs.identity(person(2))), item(cs.identity(person(3)))])
  const keyId = await store.keyIdOf(person(2).juminhyoCode)
  if (keyId === undefined) throw new Error('no key id')
  await store.eraseResidentKey(keyId, { actor: 'admin01', approver: 'secoff01', note: 'outbox batch test' })
  // Opened again: no key in memory, so the read loads and unwraps them (then again, warm).
  await store.close()
  store = new LevelStore({ location, applianceKey: TEST_APPLIANCE_KEY })
  await store.open()
  const warned: Array<Record<string, unknown>> = []
  const logger: StoreLogger = { info: () => undefined, warn: (fields) => { warned.push(fields) }, error: () => undefined }
  for (const round of ['cold', 'warm']) {
    warned.length = 0
    const session = new OutboxSession(store, logger, () => true)
    const batch = await session.read({ fromPosition: 0, maxItems: 10, waitMs: 0 })
    const forwards = batch.items.map((i) => i.identity)
    t.same(forwards.map((f) => f?.juminhyoCode), [person(1).juminhyoCode, person(3).juminhyoCode], `${round}: residents 1 and 3`)
    t.same(forwards.map((f) => f?.previousPosition), [0, forwards[0]?.logPosition], `${round}: the second names the first as its predecessor`)
    t.same(warned, [{ event: 'store.outbox.erased', position: 2 }], `${round}: the skip logged once, with its position only`)
  }
})

/** A LevelStore whose log blocks a test may read and write back (to damage one). */
class RawLogStore extends LevelStore {
  async logBlocks (): Promise<Array<readonly [Buffer, Buffer]>> {
    const out: Array<readonly [Buffer, Buffer]> = []
    for await (const chunk of this._iterate('log', {})) out.push(...chunk)
    return out
  }

  async putLogBlock (key: Buffer, block: Buffer): Promise<void> {
    await this._write([{ space: 'log', key, value: block }])
  }
}

t.test('forwardEntries, a block at a time: an entry that does not decode is refused where it stands, after the ones before it', async (t) => {
  const store = new RawLogStore({ location: path.join(tempDir(t), 'db'), applianceKey: TEST_APPLIANCE_KEY })
  await store.open()
  t.teardown(async () => { await store.close() })
  const cs = new Cs(FUKUOKA)
  await store.append([item(cs.identity(person(1))), item(cs.identity(person(2))), item(cs.identity(person(3)))])
  const blocks = await store.logBlocks()
  t.equal(blocks.length, 1, 'one block holds the three entries')
  const [key, original] = blocks[0] as readonly [Buffer, Buffer]
  const block = Buffer.from(original)
  // The second frame (log-block.ts: 4-byte length, prev_hash, entry): its entry's field after the
  // position (0x08, one byte) made wire type 7, which no protobuf reader skips.
  const second = 4 + block.readUInt32BE(0) + 32
  const entryStart = second + 4 + 32
  t.equal(block[entryStart], 0x08, 'the entry starts with its position')
  t.equal(block[entryStart + 1], 2, 'position 2')
  block[entryStart + 2] = (1 << 3) | 7
  await store.putLogBlock(key, block)
  const seen: number[] = []
  await t.rejects((async () => {
    for await (const records of store.forwardEntries(1, 3)) seen.push(...records.map((r) => r.position))
  })(), { code: 'KEN_ERR_STORE_CORRUPT' }, 'the damaged entry is refused')
  t.same(seen, [1], 'after the entry before it')
  await t.rejects(new OutboxSession(store, SILENT_LOGGER, () => true).read({ fromPosition: 0, maxItems: 10, waitMs: 0 }), { code: 'KEN_ERR_STORE_CORRUPT' }, 'and a read through it fails, nothing skipped')
})
