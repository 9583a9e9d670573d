// layout.ts keys built without a BigInt or an array per key (issue 18): writeU64BE / readPosition and
// searchIndexKey. Their bytes and values must stay exactly those of writeBigUInt64BE / readBigUInt64BE
// and Buffer.concat: LevelDB's order of positions, dedup, history and search keys, and every key
// already on disk, depend on it.
import t from 'tap'
import { dedupKey, historyKey, positionKey, readPosition, residentNumber, searchIndexKey, writeU64BE } from '../../../server/src/store/layout.ts'

const EDGES = [0, 1, 255, 256, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000, 0x1ffffffff, 2 ** 40 + 12345, Number.MAX_SAFE_INTEGER]

function reference (value: number, offset = 0, length = 8): Buffer {
  const out = Buffer.alloc(length)
  out.writeBigUInt64BE(BigInt(value), offset)
  return out
}

t.test('writeU64BE writes the bytes writeBigUInt64BE writes, at any offset', async (t) => {
  let seed = 7
  const next = (): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31 }
  const values = [...EDGES, ...Array.from({ length: 200 }, () => Math.floor(next() * Number.MAX_SAFE_INTEGER))]
  for (const value of values) {
    for (const offset of [0, 3]) {
      const out = Buffer.alloc(11)
      writeU64BE(out, value, offset)
      t.same(out, reference(value, offset, 11), `${value} at ${offset}`)
    }
  }
  t.same(positionKey(0x123456789a), reference(0x123456789a))
  t.same(dedupKey('401005', 1, 0x100000001).subarray(7), reference(0x100000001))
  t.same(historyKey(Buffer.alloc(16, 9), 2 ** 33 + 5).subarray(16), reference(2 ** 33 + 5))
})

t.test('writeU64BE keeps writeBigUInt64BE\'s answer outside safe integers', async (t) => {
  const out = Buffer.alloc(8)
  writeU64BE(out, 2 ** 60)
  t.same(out, reference(2 ** 60), 'an exact power of two above 2^53 is written as BigInt writes it')
  t.throws(() => { writeU64BE(Buffer.alloc(8), -1) }, { code: 'ERR_OUT_OF_RANGE' }, 'a negative number is refused')
  t.throws(() => { writeU64BE(Buffer.alloc(8), 1.5) }, RangeError, 'a fraction is refused')
  t.throws(() => { writeU64BE(Buffer.alloc(8), 1, 1) }, RangeError, 'a write past the end is refused')
})

t.test('readPosition reads what Number(readBigUInt64BE) reads, rounding included', async (t) => {
  let seed = 11
  const next = (): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return Math.floor(seed / 2 ** 23) }
  const keys = [...EDGES.map((v) => reference(v)), Buffer.alloc(8, 0xff), Buffer.from([0x00, 0x20, 0, 0, 0, 0, 0, 1]), Buffer.from([0x80, 0, 0, 0, 0, 0, 0x04, 0x01]),
    ...Array.from({ length: 500 }, () => Buffer.from(Array.from({ length: 8 }, next)))]
  for (const key of keys) {
    t.equal(readPosition(key), Number(key.readBigUInt64BE(0)), key.toString('hex'))
    const shifted = Buffer.concat([Buffer.from([1, 2, 3]), key])
    t.equal(readPosition(new Uint8Array(shifted.buffer, shifted.byteOffset, shifted.length), 3), Number(key.readBigUInt64BE(0)), `${key.toString('hex')} at 3, a Uint8Array`)
  }
  t.throws(() => readPosition(Buffer.alloc(7)), RangeError, 'a key too short is refused')
  t.throws(() => readPosition(Buffer.alloc(8), 1), RangeError, 'a read past the end is refused')
})

t.test('searchIndexKey is the token then the resident number (views v5), from views of any offset', async (t) => {
  const backing = Buffer.from(Array.from({ length: 40 }, (_, i) => i * 7 + 1))
  const token = new Uint8Array(backing.buffer, backing.byteOffset + 3, 16)
  const number = backing.subarray(21, 29)
  const key = searchIndexKey(token, number)
  t.same(key, Buffer.concat([token, number]))
  t.equal(key.length, 24, '8 bytes fewer than token ‖ subject (v4)')
  backing.fill(0)
  t.same(key, Buffer.concat([Buffer.from(Array.from({ length: 16 }, (_, i) => (i + 3) * 7 + 1)), Buffer.from(Array.from({ length: 8 }, (_, i) => (i + 21) * 7 + 1))]), 'a copy: the key does not share the inputs\' memory')
})

t.test('the search keys under one token sort by resident number, and a hit gives the number back', async (t) => {
  const token = Buffer.alloc(16, 0xab)
  const positions = [0x1_0000_0001, 7, 256, 2 ** 40 + 3]
  const keys = positions.map((p) => searchIndexKey(token, residentNumber(p))).sort(Buffer.compare)
  t.same(keys.map((k) => readPosition(k, 16)), [...positions].sort((a, b) => a - b), 'byte order is the numbers\' order')
  t.ok(keys.every((k) => k.subarray(16).equals(residentNumber(readPosition(k, 16)))), 'the tail is the ~current key')
})
