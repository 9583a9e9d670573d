// The appliance key file, the keyring (data keys, blind indexes) and the seals (SPEC §2.5, §4).
import t from 'tap'
import path from 'node:path'
import { chmodSync, statSync, writeFileSync } from 'node:fs'
import { loadApplianceKey } from '../../../server/src/store/appliance-key.ts'
import { Keyring } from '../../../server/src/store/keyring.ts'
import { open, seal, sealAad, SealPurpose } from '../../../server/src/store/sealing.ts'
import { tempDir } from './helpers.ts'

t.test('the key file is created with mode 0600, then read back', async (t) => {
  const file = path.join(tempDir(t), 'keys', 'appliance.key')
  const key = await loadApplianceKey(file)
  t.equal(key.length, 32)
  t.equal(statSync(file).mode & 0o777, 0o600)
  t.same(await loadApplianceKey(file), key)
})

t.test('a key file others can read, or of the wrong size, is refused', async (t) => {
  const dir = tempDir(t)
  const open = path.join(dir, 'open.key')
  writeFileSync(open, Buffer.alloc(32, 1))
  chmodSync(open, 0o644)
  await t.rejects(loadApplianceKey(open), { code: 'KEN_ERR_STORE_APPLIANCE_KEY', field: 'keyFile' })
  const short = path.join(dir, 'short.key')
  writeFileSync(short, Buffer.alloc(16, 1), { mode: 0o600 })
  await t.rejects(loadApplianceKey(short), { code: 'KEN_ERR_STORE_APPLIANCE_KEY' })
  await t.rejects(loadApplianceKey(path.join(dir, 'missing.key'), { create: false }), { code: 'KEN_ERR_STORE_APPLIANCE_KEY' })
})

t.test('blind indexes are deterministic per appliance key and domain-separated', async (t) => {
  const a = new Keyring(Buffer.alloc(32, 1))
  const b = new Keyring(Buffer.alloc(32, 2))
  t.same(a.subjectToken('12345678901'), new Keyring(Buffer.alloc(32, 1)).subjectToken('12345678901'))
  t.notSame(a.subjectToken('12345678901'), b.subjectToken('12345678901'))
  t.notSame(a.subjectToken('123456789012'), a.kojinToken('123456789012'))
  t.equal(a.kojinToken('123456789012').length, 16)
})

t.test('data keys unwrap only under the same appliance key and key id', async (t) => {
  const ring = new Keyring(Buffer.alloc(32, 1))
  const fresh = ring.createDataKey()
  t.equal(fresh.keyId.length, 16)
  t.equal(fresh.wrapped.length, 60)
  const other = new Keyring(Buffer.alloc(32, 1))
  t.same(other.dataKey(fresh.keyId, fresh.wrapped), fresh.dataKey)
  t.throws(() => new Keyring(Buffer.alloc(32, 9)).dataKey(fresh.keyId, fresh.wrapped), { code: 'KEN_ERR_STORE_DECRYPT' })
  t.throws(() => new Keyring(Buffer.alloc(32, 1)).dataKey(Buffer.alloc(16), fresh.wrapped), { code: 'KEN_ERR_STORE_DECRYPT' })
  ring.forget(fresh.keyId)
  t.notOk(ring.has(fresh.keyId))
  t.throws(() => ring.dataKey(fresh.keyId, undefined), { code: 'KEN_ERR_STORE_KEY_ERASED' })
  t.throws(() => ring.dataKey(fresh.keyId, fresh.wrapped), { code: 'KEN_ERR_STORE_KEY_ERASED' }, 'a read racing the erasure cannot bring it back')
})

t.test('the data key cache holds no more than its size, least recently used out first', async (t) => {
  const ring = new Keyring(Buffer.alloc(32, 1), { cacheSize: 8 })
  const made = Array.from({ length: 20 }, () => ring.createDataKey())
  t.equal(ring.cachedKeys, 8, 'filled past its size, it holds 8')
  t.ok(made.slice(12).every((k) => ring.has(k.keyId)), 'the last 8 made are held')
  t.notOk(made.slice(0, 12).some((k) => ring.has(k.keyId)), 'the first 12 are not')
  const [first] = made
  const next = made[12]
  if (first === undefined || next === undefined) throw new Error('20 keys made')
  t.same(ring.dataKey(first.keyId, first.wrapped), first.dataKey, 'an evicted key unwraps again')
  t.equal(ring.cachedKeys, 8)
  t.notOk(ring.has(next.keyId), 'and pushed out the least recently used')
})

t.test('the data key cache evicts the least recently used key, again and again once full', async (t) => {
  const ring = new Keyring(Buffer.alloc(32, 1), { cacheSize: 3 })
  const keys = [ring.createDataKey(), ring.createDataKey(), ring.createDataKey()]
  // Using the first moves it behind the others: the second is now the oldest.
  const first = keys[0]
  if (first === undefined) throw new Error('no key')
  t.same(ring.dataKey(first.keyId, undefined), first.dataKey)
  keys.push(ring.createDataKey())
  t.same(keys.map((k) => ring.has(k.keyId)), [true, false, true, true])
  // Many evictions in a row (the initial load): always the oldest goes, the newest three stay.
  for (let i = 0; i < 1000; i++) keys.push(ring.createDataKey())
  t.same(keys.map((k) => ring.has(k.keyId)).filter((x) => x).length, 3)
  t.same(keys.slice(-3).map((k) => ring.has(k.keyId)), [true, true, true])
  // A key used while others are evicted survives them, then goes first when it is the oldest.
  const kept = keys[keys.length - 3]
  if (kept === undefined) throw new Error('no key')
  ring.dataKey(kept.keyId, undefined)
  const a = ring.createDataKey()
  const b = ring.createDataKey()
  t.same([kept, a, b].map((k) => ring.has(k.keyId)), [true, true, true])
  t.notOk(ring.has((keys[keys.length - 2] ?? a).keyId))
  ring.createDataKey()
  t.notOk(ring.has(kept.keyId))
})

t.test('a cached data key holds memory of its own, not a slice of a shared Buffer pool', async (t) => {
  const ring = new Keyring(Buffer.alloc(32, 1))
  const fresh = ring.createDataKey()
  // A pooled 32-byte Buffer would keep an 8 KiB pool alive for as long as the key stays cached.
  t.equal(fresh.dataKey.buffer.byteLength, 32)
  const other = new Keyring(Buffer.alloc(32, 1))
  const unwrapped = other.dataKey(fresh.keyId, fresh.wrapped)
  t.same(unwrapped, fresh.dataKey)
  t.equal(unwrapped.buffer.byteLength, 32)
  t.equal(other.dataKey(fresh.keyId, undefined), unwrapped, 'the cache hands out that same copy')
  const period = ring.createPeriodKey(Buffer.from('P2026-11\0\0\0\0\0\0\0\0', 'latin1'))
  t.equal(period.dataKey.buffer.byteLength, 32)
  t.same(new Keyring(Buffer.alloc(32, 1)).dataKey(period.keyId, period.wrapped), period.dataKey)
})

t.test('a seal is bound to its purpose, key id and position', async (t) => {
  const key = Buffer.alloc(32, 3)
  const id = Buffer.alloc(16, 4)
  const sealed = seal(key, sealAad(SealPurpose.RESIDENT, id, 7), Buffer.from('山田太郎'))
  t.equal(open(key, sealAad(SealPurpose.RESIDENT, id, 7), sealed).toString(), '山田太郎')
  t.throws(() => open(key, sealAad(SealPurpose.RESIDENT, id, 8), sealed), { code: 'KEN_ERR_STORE_DECRYPT' })
  t.throws(() => open(key, sealAad(SealPurpose.UPDATE, id, 7), sealed), { code: 'KEN_ERR_STORE_DECRYPT' })
  t.throws(() => open(key, sealAad(SealPurpose.RESIDENT, Buffer.alloc(16, 5), 7), sealed), { code: 'KEN_ERR_STORE_DECRYPT' })
  const flipped = Buffer.from(sealed)
  flipped[20] = (flipped[20] ?? 0) ^ 1
  t.throws(() => open(key, sealAad(SealPurpose.RESIDENT, id, 7), flipped), { code: 'KEN_ERR_STORE_DECRYPT' })
  t.notSame(seal(key, sealAad(SealPurpose.RESIDENT, id, 7), Buffer.from('x')).subarray(0, 12), seal(key, sealAad(SealPurpose.RESIDENT, id, 7), Buffer.from('x')).subarray(0, 12), 'fresh nonce each time')
})

t.test('sealAad writes the position as the 8-byte big-endian integer it always was, without a BigInt', async (t) => {
  const keyId = Buffer.alloc(16, 7)
  for (const position of [0, 1, 255, 0xffffffff, 0x100000000, 0x123456789ab, Number.MAX_SAFE_INTEGER]) {
    const aad = sealAad(SealPurpose.RESIDENT, keyId, position)
    const expected = Buffer.alloc(8)
    expected.writeBigUInt64BE(BigInt(position))
    t.same(aad.subarray(aad.length - 8), expected, `position ${position}`)
    t.same(aad.subarray(0, aad.length - 8), Buffer.concat([Buffer.from('ken/v1 seal\0', 'latin1'), Buffer.from([SealPurpose.RESIDENT]), keyId]))
  }
  t.throws(() => sealAad(SealPurpose.RESIDENT, keyId, -1), RangeError, 'a negative position is refused, as before')
})
