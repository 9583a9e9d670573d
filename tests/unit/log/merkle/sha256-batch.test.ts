// The batch digests of `ken-store verify` (sha256-batch.ts), on node:crypto and, where it is built, in
// the native addon (server/native/sha256-batch): a block's leaves and chain hash are those of log-block.ts
// and hash.ts, hashing stops at the first broken link, a tile's root is the tree's, and the addon
// refuses spans and sizes outside its buffers instead of reading past them. The blind indexes of the
// index worker (blind-index.ts TokenBatch) and the gateway's payload digests (gateway/src/payload-digests.ts)
// are checked against node:crypto's own HMAC and SHA-256.
import t from 'tap'
import { existsSync } from 'node:fs'
import { createHash, createHmac } from 'node:crypto'
import { frameEntry, GENESIS_HASH } from '../../../../server/src/store/log-block.ts'
import { leafHash, rootOfLeaves } from '../../../../server/src/log/merkle/index.ts'
import { jsSha256Batch, loadSha256Batch, type Sha256Batch } from '../../../../server/src/log/merkle/sha256-batch.ts'
import { SHA256_BATCH_FILE, sha256Batch } from '../../../../server/src/log/merkle/sha256-batch-file.ts'

const built = existsSync(SHA256_BATCH_FILE)
const native = loadSha256Batch(SHA256_BATCH_FILE)
const hashers: Array<[string, Sha256Batch | undefined]> = [['node:crypto', jsSha256Batch], ['the addon', native]]

/** A block of `n` chained frames (bytes ≥ 0x80 included), with each frame's hashed span. */
function chainedBlock (n: number): { block: Buffer, spans: Int32Array, entries: Buffer[], hashes: Buffer[] } {
  const entries = Array.from({ length: n }, (_, i) => Buffer.from(Array.from({ length: 30 + ((i * 53) % 700) }, (_, j) => (j * 37 + i * 101) & 0xff)))
  const frames: Buffer[] = []
  const hashes: Buffer[] = []
  const spans = new Int32Array(2 * n)
  let prev: Buffer = GENESIS_HASH
  let offset = 0
  entries.forEach((entry, i) => {
    const { frame, hash } = frameEntry(prev, entry)
    spans[2 * i] = offset + 4
    spans[2 * i + 1] = offset + frame.length
    offset += frame.length
    frames.push(frame)
    hashes.push(hash)
    prev = hash
  })
  return { block: Buffer.concat(frames), spans, entries, hashes }
}

function flip (block: Buffer, at: number, bits: number): void {
  block[at] = (block[at] as number) ^ bits
}

t.test('verify uses the addon where it is built', async (t) => {
  t.equal(sha256Batch() === jsSha256Batch, !built, built ? 'the addon' : 'node:crypto (bash server/native/sha256-batch/build.sh builds the addon)')
})

for (const [name, hasher] of hashers) {
  t.test(`${name}: a block's leaves and last chain hash, up to its first broken link`, { skip: hasher === undefined ? 'the addon is not built (bash server/native/sha256-batch/build.sh)' : false }, async (t) => {
    const h = hasher as Sha256Batch
    const { block, spans, entries, hashes } = chainedBlock(40)
    const before = Buffer.from(block)
    const last = Buffer.alloc(32)
    const leaves = Buffer.alloc(32 * 40)
    t.equal(h.frames(block, spans, 40, last, leaves), 40, 'every frame links to the one before')
    t.same(block, before, 'the block is as it was')
    t.same(last, hashes[39], 'the last chain hash')
    for (let i = 0; i < 40; i++) t.same(leaves.subarray(32 * i, 32 * i + 32), leafHash(entries[i] as Buffer), `leaf ${i}`)
    t.equal(h.frames(block, spans, 40, last, Buffer.alloc(0)), 40, 'without leaves')
    t.same(last, hashes[39], 'the last chain hash, without leaves')
    t.equal(h.frames(block, spans, 5, last, leaves), 5, 'the first five')
    t.same(last, hashes[4], 'the fifth chain hash')
    last.fill(0xaa)
    t.equal(h.frames(block, spans, 0, last, leaves), 0, 'no frames')
    t.same(last, Buffer.alloc(32, 0xaa), 'no chain hash written for no frames')
    // A changed byte in entry 16 changes its hash, so entry 17's prev_hash no longer matches.
    flip(block, (spans[2 * 16] as number) + 40, 0x01)
    t.equal(h.frames(block, spans, 40, last, leaves), 17, 'up to the link after a changed entry')
    t.not(last.equals(hashes[16] as Buffer), true, 'the changed entry\'s hash is not the one written')
    // Entry 3's own prev_hash changed: the link to entry 3 is the first broken.
    flip(block, spans[2 * 3] as number, 0x80)
    t.equal(h.frames(block, spans, 40, last, leaves), 3, 'the first broken link wins')
    t.same(last, hashes[2], 'the chain hash of the last frame before it')
  })

  t.test(`${name}: a tile's root is the tree's`, { skip: hasher === undefined ? 'the addon is not built' : false }, async (t) => {
    const h = hasher as Sha256Batch
    const leaves = Array.from({ length: 512 }, (_, i) => leafHash(Buffer.from(`entry ${i}`)))
    const packed = Buffer.concat([Buffer.alloc(32, 0xee), ...leaves])
    const out = Buffer.alloc(96, 0xaa)
    h.subtree(packed, 32, 256, out, 32)
    t.same(out.subarray(32, 64), rootOfLeaves(leaves.slice(0, 256)), 'root of 256 leaves')
    t.same(out.subarray(0, 32), Buffer.alloc(32, 0xaa), 'nothing written before outOffset')
    t.same(out.subarray(64), Buffer.alloc(32, 0xaa), 'nothing written after it')
    h.subtree(packed, 32 + 32 * 256, 256, out, 0)
    t.same(out.subarray(0, 32), rootOfLeaves(leaves.slice(256)), 'the second tile')
    h.subtree(packed, 32 * 5, 1, out, 0)
    t.same(out.subarray(0, 32), leaves[4], 'a subtree of one leaf is the leaf')
    h.subtree(packed, 32, 512, out, 0)
    t.same(out.subarray(0, 32), rootOfLeaves(leaves), 'root of 512 leaves')
  })

  t.test(`${name}: blind indexes are RFC 2104 HMACs and keyed SHA-256 as node:crypto makes them`, { skip: hasher === undefined ? 'the addon is not built' : false }, async (t) => {
    const h = hasher as Sha256Batch
    const secrets = Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 29 + 3) & 0xff))
    // Messages of 0 to 2,100 bytes: across SHA-256's 55/64-byte block edges, and longer than a block many times over.
    const messages = Array.from({ length: 60 }, (_, i) => Buffer.from(Array.from({ length: [0, 1, 55, 56, 63, 64, 65, 119, 2100][i % 9] as number }, (_, j) => (j * 13 + i) & 0xff)))
    const all = Buffer.concat([Buffer.alloc(7, 0xee), ...messages])
    const spans = new Int32Array(3 * messages.length)
    let at = 7
    messages.forEach((m, i) => { spans[3 * i] = at; spans[3 * i + 1] = at + m.length; spans[3 * i + 2] = i % 2; at += m.length })
    const out = Buffer.alloc(16 * messages.length + 8, 0xaa)
    h.tokens(secrets, all, spans, messages.length, out, 4)
    messages.forEach((m, i) => {
      const expected = i % 2 === 0 ? createHmac('sha256', secrets.subarray(0, 32)).update(m).digest() : createHash('sha256').update(secrets.subarray(32)).update(m).digest()
      t.same(out.subarray(4 + 16 * i, 20 + 16 * i), expected.subarray(0, 16), `message ${i} (${m.length} bytes, ${i % 2 === 0 ? 'HMAC' : 'search'})`)
    })
    t.same(out.subarray(0, 4), Buffer.alloc(4, 0xaa), 'nothing written before outOffset')
    t.same(out.subarray(4 + 16 * messages.length), Buffer.alloc(4, 0xaa), 'nothing written after the last token')
    h.tokens(secrets, all, spans, 0, out, 0)
    t.same(out.subarray(0, 4), Buffer.alloc(4, 0xaa), 'no items, nothing written')
  })

  t.test(`${name}: blind indexes outside their bounds are refused`, { skip: hasher === undefined ? 'the addon is not built' : false }, async (t) => {
    const h = hasher as Sha256Batch
    const secrets = Buffer.alloc(64, 1)
    const messages = Buffer.alloc(40, 2)
    const out = Buffer.alloc(32)
    const spans = Int32Array.from([0, 20, 0, 20, 40, 1])
    t.throws(() => h.tokens(Buffer.alloc(32), messages, spans, 2, out, 0), { code: 'ERR_INVALID_ARG_VALUE' }, 'secrets not 64 bytes')
    t.throws(() => h.tokens(secrets, messages, spans, 3, Buffer.alloc(48), 0), { code: 'ERR_INVALID_ARG_VALUE' }, 'count past the spans')
    t.throws(() => h.tokens(secrets, messages, spans, 2, out, 1), { code: 'ERR_INVALID_ARG_VALUE' }, 'tokens past out')
    t.throws(() => h.tokens(secrets, messages.subarray(0, 39), spans, 2, out, 0), { code: 'ERR_INVALID_ARG_VALUE' }, 'a span past the messages')
    t.throws(() => h.tokens(secrets, messages, Int32Array.from([10, 5, 0]), 1, out, 0), { code: 'ERR_INVALID_ARG_VALUE' }, 'a span that ends before it starts')
    t.throws(() => h.tokens(secrets, messages, Int32Array.from([0, 5, 2]), 1, out, 0), { code: 'ERR_INVALID_ARG_VALUE' }, 'an unknown kind')
    t.same(out, Buffer.alloc(32), 'nothing written by a refused call')
  })

  t.test(`${name}: payload digests are SHA-256 of each span, as node:crypto makes them`, { skip: hasher === undefined ? 'the addon is not built' : false }, async (t) => {
    const h = hasher as Sha256Batch
    const messages = Array.from({ length: 30 }, (_, i) => Buffer.from(Array.from({ length: [0, 1, 55, 56, 63, 64, 65, 119, 2100, 620][i % 10] as number }, (_, j) => (j * 17 + i) & 0xff)))
    const all = Buffer.concat([Buffer.alloc(5, 0xee), ...messages])
    // Each message's span, then one over all of them (the gateway's batch digest: gateway/src/payload-digests.ts).
    const spans = new Int32Array(2 * messages.length + 2)
    let at = 5
    messages.forEach((m, i) => { spans[2 * i] = at; spans[2 * i + 1] = at + m.length; at += m.length })
    spans[2 * messages.length] = 5
    spans[2 * messages.length + 1] = at
    const out = Buffer.alloc(32 * (messages.length + 1) + 6, 0xaa)
    h.digests(all, spans, messages.length + 1, out, 3)
    messages.forEach((m, i) => { t.same(out.subarray(3 + 32 * i, 35 + 32 * i), createHash('sha256').update(m).digest(), `message ${i} (${m.length} bytes)`) })
    t.same(out.subarray(3 + 32 * messages.length, 35 + 32 * messages.length), createHash('sha256').update(all.subarray(5)).digest(), 'the span over all')
    t.same(out.subarray(0, 3), Buffer.alloc(3, 0xaa), 'nothing written before outOffset')
    t.same(out.subarray(35 + 32 * messages.length), Buffer.alloc(3, 0xaa), 'nothing written after the last digest')
  })

  t.test(`${name}: payload digests outside their bounds are refused`, { skip: hasher === undefined ? 'the addon is not built' : false }, async (t) => {
    const h = hasher as Sha256Batch
    const messages = Buffer.alloc(40, 2)
    const out = Buffer.alloc(64)
    const spans = Int32Array.from([0, 20, 20, 40])
    t.throws(() => h.digests(messages, spans, 3, Buffer.alloc(96), 0), { code: 'ERR_INVALID_ARG_VALUE' }, 'count past the spans')
    t.throws(() => h.digests(messages, spans, 2, out, 1), { code: 'ERR_INVALID_ARG_VALUE' }, 'digests past out')
    t.throws(() => h.digests(messages.subarray(0, 39), spans, 2, out, 0), { code: 'ERR_INVALID_ARG_VALUE' }, 'a span past the messages')
    t.throws(() => h.digests(messages, Int32Array.from([10, 5]), 1, out, 0), { code: 'ERR_INVALID_ARG_VALUE' }, 'a span that ends before it starts')
    t.throws(() => h.digests(messages, Int32Array.from([-1, 5]), 1, out, 0), { code: 'ERR_INVALID_ARG_VALUE' }, 'a span that starts before the messages')
    t.same(out, Buffer.alloc(64), 'nothing written by a refused call')
  })
}

t.test('the addon refuses arguments outside its buffers', { skip: native === undefined ? 'the addon is not built' : false }, async (t) => {
  const h = native as Sha256Batch
  const { block, spans } = chainedBlock(4)
  const out = Buffer.alloc(32 * 4)
  t.throws(() => h.frames(block, spans, 5, out, out), { code: 'ERR_INVALID_ARG_VALUE' }, 'count past the spans')
  t.throws(() => h.frames(block, spans, 4, out, Buffer.alloc(32 * 3)), { code: 'ERR_INVALID_ARG_VALUE' }, 'count past the leaves')
  t.throws(() => h.frames(block, spans, 4, Buffer.alloc(31), out), { code: 'ERR_INVALID_ARG_VALUE' }, 'last shorter than a hash')
  t.throws(() => h.frames(block.subarray(0, block.length - 1), spans, 4, out, out), { code: 'ERR_INVALID_ARG_VALUE' }, 'a span past the block')
  const short = Int32Array.from(spans)
  short[3] = (short[2] as number) + 31
  t.throws(() => h.frames(block, short, 4, out, out), { code: 'ERR_INVALID_ARG_VALUE' }, 'a span shorter than a prev_hash')
  t.throws(() => h.frames(block, new Float64Array(8) as unknown as Int32Array, 1, out, out), { code: 'ERR_INVALID_ARG_VALUE' }, 'spans not an Int32Array')
  t.throws(() => h.subtree(out, 0, 3, out, 0), { code: 'ERR_INVALID_ARG_VALUE' }, 'a size not a power of two')
  t.throws(() => h.subtree(out, 32, 4, out, 0), { code: 'ERR_INVALID_ARG_VALUE' }, 'leaves past the buffer')
  t.throws(() => h.subtree(out, 0, 4, out, 100), { code: 'ERR_INVALID_ARG_VALUE' }, 'out past its buffer')
})

t.test('a file that is not there is no addon', async (t) => {
  t.equal(loadSha256Batch('/nonexistent/sha256_batch.node'), undefined)
  t.equal(loadSha256Batch(undefined), undefined)
})
