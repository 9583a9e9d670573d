// Data keys made ahead in a worker thread (key-factory.ts): each opens under the key-wrap key with
// its own key id as additional data, none is handed out twice, and close wipes what is left.
import t from 'tap'
import { randomBytes } from 'node:crypto'
import { KeyFactory } from '../../../server/src/store/key-factory.ts'
import { open, sealAad, SealPurpose } from '../../../server/src/store/sealing.ts'
import { DATA_KEY_RECORD_BYTES, makeDataKey, makeDataKeys, writeKeyId, type NewDataKey } from '../../../server/src/store/data-key.ts'
import { periodKeyId } from '../../../server/src/store/keyring.ts'

async function until (fn: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !fn(); i++) await new Promise((resolve) => setTimeout(resolve, 10))
}

function opens (wrapKey: Buffer, key: NewDataKey): boolean {
  return open(wrapKey, sealAad(SealPurpose.DATA_KEY, key.keyId, 0), key.wrapped).equals(key.dataKey)
}

t.test('keys from the worker and keys made inline are all distinct and unwrap to their data key', async (t) => {
  const wrapKey = randomBytes(32)
  const factory = new KeyFactory(wrapKey, { batch: 8, batches: 2 })
  t.teardown(async () => await factory.close())
  const inline = factory.take()
  t.equal(factory.ready, 0, 'not started: made inline')
  factory.start()
  await until(() => factory.ready >= 16)
  t.equal(factory.ready, 16, 'two batches of eight made ahead')
  const keys = [inline, ...Array.from({ length: 40 }, () => factory.take())]
  t.ok(keys.every((key) => opens(wrapKey, key)), 'every key opens under the wrap key with its key id')
  t.equal(new Set(keys.map((key) => key.keyId.toString('hex'))).size, keys.length, 'no key id twice')
  t.equal(new Set(keys.map((key) => key.dataKey.toString('hex'))).size, keys.length, 'no data key twice')
  t.ok(keys.every((key) => key.keyId.length === 16 && key.dataKey.length === 32 && key.wrapped.length === 60))
  await until(() => factory.ready >= 16)
  t.equal(factory.ready, 16, 'refilled once drawn down')
})

t.test('a key moved to another key id does not open (the key id is bound as additional data)', async (t) => {
  const wrapKey = randomBytes(32)
  const factory = new KeyFactory(wrapKey, { batch: 4 })
  factory.start()
  await until(() => factory.ready >= 4)
  const [a, b] = [factory.take(), factory.take()]
  await factory.close()
  t.throws(() => open(wrapKey, sealAad(SealPurpose.DATA_KEY, b.keyId, 0), a.wrapped), { code: 'KEN_ERR_STORE_DECRYPT' })
  t.equal(factory.ready, 0, 'close leaves nothing ready')
  t.throws(() => factory.take(), RangeError, 'a closed factory (its wrap key wiped) makes no key')
})

t.test('keys taken before close still open after it, and each data key has a memory of its own', async (t) => {
  const wrapKey = randomBytes(32)
  const factory = new KeyFactory(wrapKey, { batch: 4, batches: 1 })
  factory.start()
  await until(() => factory.ready >= 4)
  const taken = [factory.take(), factory.take()]
  const copies = taken.map((key) => ({ keyId: Buffer.from(key.keyId), dataKey: Buffer.from(key.dataKey), wrapped: Buffer.from(key.wrapped) }))
  await factory.close()
  t.ok(taken.every((key, i) => key.keyId.equals(copies[i]?.keyId ?? Buffer.alloc(0)) && key.wrapped.equals(copies[i]?.wrapped ?? Buffer.alloc(0))), 'close wipes only the keys not handed out')
  t.ok(taken.every((key) => opens(wrapKey, key)), 'a key taken before close still opens')
  // A cached key must not keep a shared buffer (a batch, Buffer's pool) alive (keyring.ts).
  t.ok(taken.every((key) => key.dataKey.byteOffset === 0 && key.dataKey.buffer.byteLength === 32), 'the data key is its own 32-byte ArrayBuffer')
  t.ok(taken.every((key) => key.keyId.buffer === key.wrapped.buffer && key.keyId.buffer !== key.dataKey.buffer), 'key id and wrapped key are views of the batch, the data key is not')
})

t.test('key ids grow in the order they are made, so LevelDB moves the keys\' tables down unrewritten', async (t) => {
  const wrapKey = randomBytes(32)
  const before = Date.now()
  const batch = makeDataKeys(wrapKey, 64)
  const ids = Array.from({ length: 64 }, (_, i) => batch.subarray(i * DATA_KEY_RECORD_BYTES, i * DATA_KEY_RECORD_BYTES + 16))
  const made = (ids[0] as Buffer).readUIntBE(0, 6)
  t.ok(made >= before && made <= Date.now(), 'the first 6 bytes: milliseconds since the epoch, big-endian')
  t.ok(ids.every((id, i) => i === 0 || Buffer.compare(ids[i - 1] as Buffer, id) < 0), 'a batch (one millisecond) in the order of its keys, by their rank')
  t.equal(new Set(ids.map((id) => id.subarray(8).toString('hex'))).size, 64, 'the last 8 bytes random')
  await new Promise((resolve) => setTimeout(resolve, 5))
  const later = makeDataKey(wrapKey).keyId
  t.ok(ids.every((id) => Buffer.compare(id, later) < 0), 'a key made later sorts after (LevelDB compares bytewise)')
  // More ids in one millisecond than the rank holds: the rest take the next millisecond's stamps.
  const now = Date.now()
  let previous = makeDataKey(wrapKey).keyId
  let ordered = true
  for (let i = 0; i < 70000; i++) {
    const id = Buffer.alloc(16)
    writeKeyId(id, 0, now)
    ordered &&= Buffer.compare(previous, id) < 0
    previous = id
  }
  t.ok(ordered, '70,000 ids of one millisecond, in order')
  t.ok(Buffer.compare(previous, periodKeyId('1970-01')) < 0, 'every resident key id sorts before every period key id (\'P\' ‖ YYYY-MM)')
})
