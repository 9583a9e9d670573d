// The binary-string hashes (hash-binary.ts) that verify's workers use are byte for byte those of
// hash.ts: leaf, node and a complete subtree, including bytes ≥ 0x80 that a lossy string would mangle.
import t from 'tap'
import { createHash } from 'node:crypto'
import { leafHash, nodeHash, nodeHashBinary, rootOfLeaves, sha256Binary, subtreeBinary, toBuffer } from '../../../../server/src/log/merkle/index.ts'

const entries = Array.from({ length: 16 }, (_, i) => Buffer.from(Array.from({ length: 40 + i * 7 }, (_, j) => (j * 37 + i * 101) & 0xff)))

t.test('a leaf hashed as 0x00 ‖ entry is leafHash', async (t) => {
  for (const e of entries) t.same(toBuffer(sha256Binary(Buffer.concat([Buffer.from([0]), e]))), leafHash(e))
})

t.test('nodeHashBinary is nodeHash', async (t) => {
  const a = leafHash(entries[0] as Buffer)
  const b = leafHash(entries[1] as Buffer)
  t.same(toBuffer(nodeHashBinary(a.toString('latin1'), b.toString('latin1'))), nodeHash(a, b))
  t.same(toBuffer(nodeHashBinary(b.toString('latin1'), a.toString('latin1'))), createHash('sha256').update(Buffer.from([1])).update(b).update(a).digest())
})

t.test('subtreeBinary over 16 leaves is the tree root', async (t) => {
  const leaves = entries.map((e) => leafHash(e))
  t.same(toBuffer(subtreeBinary(leaves.map((l) => l.toString('latin1')), 0, 16)), rootOfLeaves(leaves))
  t.same(toBuffer(subtreeBinary(leaves.map((l) => l.toString('latin1')), 8, 8)), rootOfLeaves(leaves.slice(8)))
})
