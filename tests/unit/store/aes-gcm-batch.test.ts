// AES-256-GCM in batches (aes-gcm-batch.ts), on node:crypto and, where it is built, in the native
// addon (server/native/aes-gcm-batch): over random keys, nonces, additional data and plaintexts the
// sealed bytes are node:crypto's own createCipheriv output, many values sealed or opened in one call;
// a value that fails its tag fails alone (status 0, its output zeroed); sealing.ts seals the same bytes
// either way, as is a batch of data keys wrapped in one call; and the addon refuses spans outside their buffers instead of reading past them.
import t from 'tap'
import { existsSync } from 'node:fs'
import { createCipheriv } from 'node:crypto'
import { AES_GCM_SPAN_FIELDS, jsAesGcmBatch, loadAesGcmBatch, type AesGcmBatch } from '../../../server/src/store/aes-gcm-batch.ts'
import { AES_GCM_BATCH_FILE, aesGcmBatch } from '../../../server/src/store/aes-gcm-batch-file.ts'
import { open, seal, sealAad, SealPurpose } from '../../../server/src/store/sealing.ts'
import { DATA_KEY_RECORD_BYTES, makeDataKeys } from '../../../server/src/store/data-key.ts'
import { rng } from './seeded.ts'

const built = existsSync(AES_GCM_BATCH_FILE)
const native = loadAesGcmBatch(AES_GCM_BATCH_FILE)
const batches: Array<[string, AesGcmBatch | undefined]> = [['node:crypto', jsAesGcmBatch], ['the addon', native]]
const unbuilt = 'the addon is not built (bash server/native/aes-gcm-batch/build.sh)'

function bytes (next: () => number, n: number): Buffer {
  return Buffer.from(Array.from({ length: n }, () => Math.floor(next() * 256)))
}

/** node:crypto's AES-256-GCM of one value, as sealing.ts made it before the batch: nonce ‖ ciphertext ‖ tag. */
function reference (key: Buffer, nonce: Buffer, aad: Buffer, plain: Buffer): Buffer {
  const cipher = createCipheriv('aes-256-gcm', key, nonce)
  cipher.setAAD(aad)
  const body = Buffer.concat([cipher.update(plain), cipher.final()])
  return Buffer.concat([nonce, body, cipher.getAuthTag()])
}

/** `n` random values laid out over three buffers (gaps between them), with their spans and expected seals. */
function randomBatch (seed: number, n: number): { keys: Buffer, aads: Buffer, plain: Buffer, out: Buffer, spans: Int32Array, expected: Buffer[] } {
  const next = rng(seed)
  const keys: Buffer[] = []
  const aads: Buffer[] = []
  const plains: Buffer[] = []
  const expected: Buffer[] = []
  const spans = new Int32Array(n * AES_GCM_SPAN_FIELDS)
  let keyAt = 0
  let aadAt = 0
  let plainAt = 0
  let outAt = 0
  const nonces: Buffer[] = []
  for (let i = 0; i < n; i++) {
    const gap = Math.floor(next() * 5)
    const key = bytes(next, 32)
    const nonce = bytes(next, 12)
    // Lengths across AES's 16-byte blocks, the empty value and the empty aad included.
    const aad = bytes(next, i % 7 === 0 ? 0 : Math.floor(next() * 70))
    const plain = bytes(next, i % 11 === 0 ? 0 : Math.floor(next() * 900))
    keys.push(Buffer.alloc(gap), key)
    aads.push(Buffer.alloc(gap), aad)
    plains.push(Buffer.alloc(gap), plain)
    nonces.push(nonce)
    const s = i * AES_GCM_SPAN_FIELDS
    spans.set([keyAt + gap, aadAt + gap, aad.length, plainAt + gap, plain.length, outAt + gap], s)
    keyAt += gap + 32
    aadAt += gap + aad.length
    plainAt += gap + plain.length
    outAt += gap + 28 + plain.length
    expected.push(reference(key, nonce, aad, plain))
  }
  const out = Buffer.alloc(outAt, 0x5a)
  for (let i = 0; i < n; i++) nonces[i]?.copy(out, spans[i * AES_GCM_SPAN_FIELDS + 5] as number)
  return { keys: Buffer.concat(keys), aads: Buffer.concat(aads), plain: Buffer.concat(plains), out, spans, expected }
}

t.test('the store seals with the addon where it is built', async (t) => {
  t.equal(aesGcmBatch() === jsAesGcmBatch, !built, built ? 'the addon' : `node:crypto (${unbuilt})`)
})

for (const [name, gcm] of batches) {
  t.test(`${name}: a batch seals to node:crypto's bytes, and opens again`, { skip: gcm === undefined ? unbuilt : false }, async (t) => {
    const g = gcm as AesGcmBatch
    for (const seed of [1, 2, 3, 4, 5]) {
      const { keys, aads, plain, out, spans, expected } = randomBatch(seed, 60)
      g.seal(keys, aads, plain, out, spans, 60)
      const sealed = expected.map((_, i) => out.subarray(spans[i * 6 + 5], (spans[i * 6 + 5] as number) + (expected[i] as Buffer).length))
      t.same(sealed.filter((s, i) => !s.equals(expected[i] as Buffer)).length, 0, `seed ${seed}: 60 values byte for byte`)
      // Open them all from `out`, into a buffer of their plaintexts laid out again.
      const openSpans = new Int32Array(spans)
      let at = 0
      for (let i = 0; i < 60; i++) {
        openSpans[i * 6 + 3] = spans[i * 6 + 5] as number
        openSpans[i * 6 + 4] = (spans[i * 6 + 4] as number) + 28
        openSpans[i * 6 + 5] = at
        at += spans[i * 6 + 4] as number
      }
      const plains = Buffer.alloc(at)
      const status = new Uint8Array(60)
      t.equal(g.open(keys, aads, out, plains, openSpans, 60, status), 0, `seed ${seed}: every value opens`)
      t.same([...status], Array(60).fill(1))
      const back = Buffer.concat(Array.from({ length: 60 }, (_, i) => plain.subarray(spans[i * 6 + 3], (spans[i * 6 + 3] as number) + (spans[i * 6 + 4] as number))))
      t.ok(plains.equals(back), `seed ${seed}: the plaintexts`)
    }
  })

  t.test(`${name}: a value that fails its tag fails alone`, { skip: gcm === undefined ? unbuilt : false }, async (t) => {
    const g = gcm as AesGcmBatch
    const { keys, aads, plain, out, spans, expected } = randomBatch(9, 8)
    g.seal(keys, aads, plain, out, spans, 8)
    const openSpans = new Int32Array(spans)
    let at = 0
    for (let i = 0; i < 8; i++) {
      openSpans[i * 6 + 3] = spans[i * 6 + 5] as number
      openSpans[i * 6 + 4] = (expected[i] as Buffer).length
      openSpans[i * 6 + 5] = at
      at += spans[i * 6 + 4] as number
    }
    // Value 1's ciphertext, value 2's tag, value 3's nonce and value 4's aad changed; the rest untouched.
    const flip = (b: Buffer, i: number): void => { b[i] = (b[i] as number) ^ 0x01 }
    flip(out, (openSpans[1 * 6 + 3] as number) + 12)
    flip(out, (openSpans[2 * 6 + 3] as number) + (openSpans[2 * 6 + 4] as number) - 1)
    flip(out, openSpans[3 * 6 + 3] as number)
    flip(aads, openSpans[4 * 6 + 1] as number)
    const plains = Buffer.alloc(at, 0x77)
    const status = new Uint8Array(8)
    t.equal(g.open(keys, aads, out, plains, openSpans, 8, status), 4, 'four failures')
    t.same([...status], [1, 0, 0, 0, 0, 1, 1, 1])
    for (const i of [1, 2, 3, 4]) {
      const from = openSpans[i * 6 + 5] as number
      t.ok(plains.subarray(from, from + (spans[i * 6 + 4] as number)).every((b) => b === 0), `value ${i}'s output is zeroed`)
    }
    const five = openSpans[5 * 6 + 5] as number
    t.ok(plains.subarray(five, five + (spans[5 * 6 + 4] as number)).equals(plain.subarray(spans[5 * 6 + 3], (spans[5 * 6 + 3] as number) + (spans[5 * 6 + 4] as number))), 'value 5 opens')
  })

  t.test(`${name}: spans outside their buffers are refused before any byte is written`, { skip: gcm === undefined ? unbuilt : false }, async (t) => {
    const g = gcm as AesGcmBatch
    const keys = Buffer.alloc(32, 1)
    const aad = Buffer.alloc(10, 2)
    const plain = Buffer.alloc(20, 3)
    const out = Buffer.alloc(48)
    const bad = { name: 'RangeError', code: 'ERR_INVALID_ARG_VALUE' }
    const cases: Array<[string, number[]]> = [
      ['a key past its buffer', [1, 0, 10, 0, 20, 0]],
      ['a negative key offset', [-1, 0, 10, 0, 20, 0]],
      ['an aad past its buffer', [0, 1, 10, 0, 20, 0]],
      ['a negative aad length', [0, 0, -1, 0, 20, 0]],
      ['a plaintext past its buffer', [0, 0, 10, 1, 20, 0]],
      ['an output past its buffer', [0, 0, 10, 0, 20, 1]],
      ['an int32 near 2^31', [0, 0, 10, 2147483647, 20, 0]]
    ]
    for (const [what, s] of cases) {
      t.throws(() => { g.seal(keys, aad, plain, out, Int32Array.from(s), 1) }, bad, what)
      t.ok(out.every((b) => b === 0), `${what}: nothing written`)
    }
    t.throws(() => { g.seal(keys, aad, plain, out, new Int32Array(6), 2) }, bad, 'count past the spans')
    t.throws(() => { g.open(keys, aad, out, plain, Int32Array.from([0, 0, 10, 0, 27, 0]), 1, new Uint8Array(1)) }, bad, 'a sealed value shorter than nonce and tag')
    t.throws(() => { g.open(keys, aad, out, plain, Int32Array.from([0, 0, 10, 0, 48, 0]), 1, new Uint8Array(0)) }, bad, 'count past the status')
    // In place is allowed (the same memory); a shifted overlap is not.
    const shared = Buffer.alloc(100)
    t.throws(() => { g.seal(keys, aad, shared, shared, Int32Array.from([0, 0, 10, 0, 20, 0]), 1) }, bad, 'an output overlapping its input shifted')
    shared.fill(9, 12, 32)
    g.seal(keys, aad, shared, shared, Int32Array.from([0, 0, 10, 12, 20, 0]), 1)
    t.same(shared.subarray(0, 48), reference(keys, Buffer.alloc(12), aad, Buffer.alloc(20, 9)), 'sealed in place')
  })
}

t.test('sealing.ts: seal and open over random values are node:crypto\'s bytes', async (t) => {
  const next = rng(77)
  let same = 0
  for (let i = 0; i < 300; i++) {
    const key = bytes(next, 32)
    const aad = sealAad(SealPurpose.RESIDENT, bytes(next, 16), Math.floor(next() * 1e9))
    const plain = bytes(next, Math.floor(next() * 1200))
    const sealed = seal(key, aad, plain)
    if (sealed.equals(reference(key, sealed.subarray(0, 12), aad, plain))) same++
    t.ok(open(key, aad, sealed).equals(plain), `value ${i} opens`)
  }
  t.equal(same, 300, 'every sealed value is node:crypto\'s for its nonce')
  t.throws(() => seal(Buffer.alloc(31), Buffer.alloc(0), Buffer.alloc(1)), { name: 'RangeError' }, 'a key of 31 bytes is refused, as createCipheriv does')
  t.throws(() => open(Buffer.alloc(33), Buffer.alloc(0), Buffer.alloc(40)), { code: 'KEN_ERR_STORE_DECRYPT' }, 'a key of 33 bytes does not open')
})

t.test('data-key.ts: a batch of keys wrapped in one call is what seal makes, key by key', async (t) => {
  const wrapKey = bytes(rng(5), 32)
  const batch = makeDataKeys(wrapKey, 50)
  t.equal(batch.length, 50 * DATA_KEY_RECORD_BYTES)
  const keys = Array.from({ length: 50 }, (_, i) => {
    const at = i * DATA_KEY_RECORD_BYTES
    return { keyId: batch.subarray(at, at + 16), dataKey: batch.subarray(at + 16, at + 48), wrapped: batch.subarray(at + 48, at + DATA_KEY_RECORD_BYTES) }
  })
  const wrong = keys.filter((k) => !k.wrapped.equals(reference(wrapKey, k.wrapped.subarray(0, 12), sealAad(SealPurpose.DATA_KEY, k.keyId, 0), k.dataKey)))
  t.equal(wrong.length, 0, 'every wrapped key is node:crypto\'s AES-256-GCM of its data key, its key id as additional data')
  t.equal(new Set(keys.map((k) => k.keyId.toString('hex'))).size, 50, 'no key id twice')
  t.equal(new Set(keys.map((k) => k.wrapped.subarray(0, 12).toString('hex'))).size, 50, 'no nonce twice')
  t.throws(() => makeDataKeys(Buffer.alloc(16), 1), { name: 'RangeError' }, 'a wrap key of 16 bytes is refused')
})

for (const [name, gcm] of batches) {
  t.test(`${name}: values under one key (its schedule kept between them) open, a tampered one among them alone fails`, { skip: gcm === undefined ? unbuilt : false }, async (t) => {
    const g = gcm as AesGcmBatch
    const wrapKey = bytes(rng(6), 32)
    const batch = makeDataKeys(wrapKey, 12)
    const aadBytes = sealAad(SealPurpose.DATA_KEY, Buffer.alloc(16), 0).length
    const aads = Buffer.concat(Array.from({ length: 12 }, (_, i) => sealAad(SealPurpose.DATA_KEY, batch.subarray(i * DATA_KEY_RECORD_BYTES, i * DATA_KEY_RECORD_BYTES + 16), 0)))
    const spans = new Int32Array(12 * AES_GCM_SPAN_FIELDS)
    for (let i = 0; i < 12; i++) spans.set([0, i * aadBytes, aadBytes, i * DATA_KEY_RECORD_BYTES + 48, 60, i * 32], i * AES_GCM_SPAN_FIELDS)
    const tampered = Buffer.from(batch)
    for (const i of [0, 4, 5, 11]) tampered[i * DATA_KEY_RECORD_BYTES + 48 + 20] = (tampered[i * DATA_KEY_RECORD_BYTES + 48 + 20] as number) ^ 0x40
    const out = Buffer.alloc(12 * 32)
    const status = new Uint8Array(12)
    t.equal(g.open(wrapKey, aads, tampered, out, spans, 12, status), 4, 'four failures')
    t.same([...status], [0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 0])
    for (let i = 0; i < 12; i++) {
      const want = status[i] === 1 ? batch.subarray(i * DATA_KEY_RECORD_BYTES + 16, i * DATA_KEY_RECORD_BYTES + 48) : Buffer.alloc(32)
      t.ok(out.subarray(i * 32, i * 32 + 32).equals(want), `key ${i}: ${status[i] === 1 ? 'its data key' : 'zeroed'}`)
    }
    // A different key after runs of the same one is used, not the schedule kept.
    const other = Buffer.concat([wrapKey, bytes(rng(7), 32)])
    const mixed = new Int32Array(spans)
    mixed[2 * AES_GCM_SPAN_FIELDS] = 32
    t.equal(g.open(other, aads, batch, out, mixed, 12, status), 1, 'only the value given another key fails')
    t.equal(status[2], 0)
  })
}
