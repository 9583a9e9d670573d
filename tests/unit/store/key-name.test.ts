// The keyring's names of key ids (keyring.ts keyName): two code units per byte pair, made in
// JavaScript instead of hex (issue 18). Distinct ids must get distinct names, and the same id the
// same name however it is held (a Buffer, a view into a larger buffer, a plain Uint8Array), or a
// crypto-shredded key (SPEC §2.5) could be found again under another name.
import t from 'tap'
import { randomBytes } from 'node:crypto'
import { Keyring, keyName } from '../../../server/src/store/keyring.ts'
import { makeDataKey } from '../../../server/src/store/data-key.ts'
import { TEST_APPLIANCE_KEY } from './helpers.ts'

t.test('distinct 16-byte ids, distinct names; the same bytes, the same name', async (t) => {
  const base = randomBytes(16)
  const names = new Set([keyName(base)])
  for (let i = 0; i < 16; i++) {
    for (const bit of [1, 128]) {
      const other = Buffer.from(base)
      other[i] = (other[i] as number) ^ bit
      names.add(keyName(other))
    }
  }
  t.equal(names.size, 33, 'each byte and bit changed names another key')
  const inside = Buffer.concat([Buffer.alloc(5, 9), base, Buffer.alloc(3)]).subarray(5, 21)
  t.equal(keyName(inside), keyName(base), 'a view at an offset')
  t.equal(keyName(new Uint8Array(base)), keyName(base), 'a plain Uint8Array')
  t.equal(keyName(base).length, 8)
  const ids = Array.from({ length: 20000 }, () => randomBytes(16))
  t.equal(new Set(ids.map(keyName)).size, 20000, '20,000 random ids, 20,000 names')
})

t.test('ids of another length are named apart from every 16-byte id', async (t) => {
  for (const length of [0, 1, 4, 8, 15, 17, 32]) {
    const name = keyName(randomBytes(length))
    t.not(name.length, 8, `${length} bytes`)
    t.equal(name, `${name.slice(0, -1)}/`)
  }
  t.not(keyName(Buffer.alloc(4)), keyName(Buffer.alloc(16)))
})

t.test('an id erased through one view is refused through another', async (t) => {
  const keyring = new Keyring(TEST_APPLIANCE_KEY)
  const wrapKey = Buffer.alloc(32)
  const made = makeDataKey(wrapKey)
  t.equal(keyring.isErased(made.keyId), false, 'nothing erased yet')
  keyring.forget(Buffer.concat([Buffer.alloc(3), made.keyId]).subarray(3))
  t.equal(keyring.isErased(new Uint8Array(made.keyId)), true, 'erased, named alike')
  t.throws(() => keyring.dataKey(Buffer.from(made.keyId), made.wrapped), { code: 'KEN_ERR_STORE_KEY_ERASED' })
  t.equal(keyring.isErased(randomBytes(16)), false, 'another id is not')
  await keyring.close()
})
