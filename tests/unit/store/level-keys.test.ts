// Keys under a space's prefix, written into one buffer (level-keys.ts): the bytes abstract-level's
// sublevel would read (its prefix ‖ key, abstract-sublevel.js prefixKey), for keys of any length.
import t from 'tap'
import { randomBytes } from 'node:crypto'
import { prefixedKeys } from '../../../server/src/store/level-keys.ts'

t.test('each key is the prefix and the key, and the keys do not overlap', async (t) => {
  const prefix = Buffer.from('!current!', 'latin1')
  const keys = [Buffer.alloc(0), randomBytes(1), randomBytes(16), Buffer.concat([Buffer.alloc(3), randomBytes(20)]).subarray(3), new Uint8Array(randomBytes(64))]
  const out = prefixedKeys(prefix, keys)
  t.equal(out.length, keys.length)
  keys.forEach((key, i) => t.same(out[i], Buffer.concat([prefix, key]), `key ${i} (${key.length} bytes)`))
  // Changing one leaves the others as they were.
  const copies = out.map((k) => Buffer.from(k))
  out[2]?.fill(0)
  t.same(out.filter((_, i) => i !== 2), copies.filter((_, i) => i !== 2))
  t.same(prefixedKeys(prefix, []), [])
})
