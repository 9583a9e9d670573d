// The keyring's data key cache (key-cache.ts): an open-addressed table with deletion by shifting back
// and a use-order list in typed arrays (issue 18). Checked against a plain model — a Map by the id's
// hex moved to the end on each use, the oldest out first — over random gets, sets and deletes on
// small tables, where probe runs wrap around the table and every deletion shifts entries back.
import t from 'tap'
import { randomBytes } from 'node:crypto'
import { KeyCache } from '../../../server/src/store/key-cache.ts'

/** A deterministic generator (xorshift32), so a failure repeats. */
function rng (seed: number): () => number {
  let x = seed >>> 0 || 1
  return () => {
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    return x / 2 ** 32
  }
}

class Model {
  readonly map = new Map<string, Buffer>()
  constructor (readonly capacity: number) {}
  get (id: Uint8Array): Buffer | undefined {
    const name = Buffer.from(id).toString('hex')
    const v = this.map.get(name)
    if (v !== undefined) {
      this.map.delete(name)
      this.map.set(name, v)
    }
    return v
  }

  set (id: Uint8Array, key: Buffer): void {
    const name = Buffer.from(id).toString('hex')
    this.map.delete(name)
    if (this.map.size >= this.capacity) this.map.delete(this.map.keys().next().value as string)
    this.map.set(name, key)
  }

  delete (id: Uint8Array): Buffer | undefined {
    const name = Buffer.from(id).toString('hex')
    const v = this.map.get(name)
    this.map.delete(name)
    return v
  }
}

/** The same 16 bytes held three ways: a Buffer, a view at an offset into a larger one, a plain Uint8Array. */
function heldAs (id: Buffer, way: number): Uint8Array {
  if (way === 0) return id
  if (way === 1) return Buffer.concat([Buffer.alloc(7, 0xaa), id, Buffer.alloc(2)]).subarray(7, 23)
  return new Uint8Array(id)
}

for (const [capacity, pool, ops] of [[1, 5, 2000], [3, 12, 4000], [64, 300, 30000], [1000, 2500, 40000]] as const) {
  t.test(`capacity ${capacity}: the same answers as the model over ${ops} random operations`, async (t) => {
    const next = rng(capacity * 7919 + pool)
    // Period-key-like ids (a few bytes differ, the rest zeros) beside random ones.
    const ids = Array.from({ length: pool }, (_, i) => i % 3 === 0 ? Buffer.from(`P${String(i).padStart(6, '0')}\0\0\0\0\0\0\0\0\0`, 'latin1') : randomBytes(16))
    const cache = new KeyCache(capacity)
    const model = new Model(capacity)
    let wrong = 0
    for (let op = 0; op < ops; op++) {
      const i = Math.floor(next() * pool)
      const id = heldAs(ids[i] as Buffer, op % 3)
      const r = next()
      if (r < 0.45) {
        const key = Buffer.alloc(32, op & 0xff)
        cache.set(id, key)
        model.set(id, key)
      } else if (r < 0.85) {
        if (cache.get(id) !== model.get(id)) wrong++
      } else {
        if (cache.delete(id) !== model.delete(id)) wrong++
      }
      if (cache.size !== model.map.size) wrong++
      if (op % 97 === 0) {
        // has() leaves the use order as it is: every id of the pool asked.
        for (const other of ids) if (cache.has(other) !== model.map.has(other.toString('hex'))) wrong++
      }
    }
    t.equal(wrong, 0, 'no answer differs')
    t.ok(cache.size <= capacity)
    for (const other of ids) t.equal(cache.has(other), model.map.has(other.toString('hex')))
  })
}

t.test('the least recently used goes first; a get or a set again makes a key the newest', async (t) => {
  const cache = new KeyCache(3)
  const [a, b, c, d, e] = Array.from({ length: 5 }, () => randomBytes(16)) as [Buffer, Buffer, Buffer, Buffer, Buffer]
  const key = (n: number): Buffer => Buffer.alloc(32, n)
  cache.set(a, key(1))
  cache.set(b, key(2))
  cache.set(c, key(3))
  t.same(cache.get(a), key(1))
  cache.set(d, key(4))
  t.same([a, b, c, d].map((id) => cache.has(id)), [true, false, true, true], 'b, the oldest, went')
  cache.set(c, key(33))
  cache.set(e, key(5))
  t.same([a, c, d, e].map((id) => cache.has(id)), [false, true, true, true], 'a went: c was set again')
  t.same(cache.get(c), key(33), 'the key set again')
  t.same(cache.delete(c), key(33), 'delete hands the key back')
  t.equal(cache.delete(c), undefined)
  t.equal(cache.size, 2)
})

t.test('ids other than 16 bytes are never held', async (t) => {
  const cache = new KeyCache(8)
  for (const length of [0, 1, 15, 17, 32]) {
    const id = randomBytes(length)
    cache.set(id, Buffer.alloc(32))
    t.equal(cache.has(id), false, `${length} bytes`)
    t.equal(cache.get(id), undefined)
  }
  t.equal(cache.size, 0)
  t.throws(() => new KeyCache(0), RangeError)
})
