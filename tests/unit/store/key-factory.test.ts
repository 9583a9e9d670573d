// Data keys made ahead in a worker thread (key-factory.ts): each opens under the key-wrap key with
// its own key id as additional data, none is handed out twice, and close wipes what is left.
import t from 'tap'
import { randomBytes } from 'node:crypto'
import { KeyFactory } from '../../../server/src/store/key-factory.ts'
import { open, sealAad, SealPurpose } from '../../../server/src/store/sealing.ts'
import type { NewDataKey } from '../../../server/src/store/data-key.ts'

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
