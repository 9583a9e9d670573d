// The Merkle tree (RFC 9162 §2.1) against published answers: the RFC 6962 tree hashes of
// transparency-dev/merkle testonly/constants.go, and every inclusion and consistency probe of its
// testdata/ (vectors/README.md) — the published proofs verify, the altered ones are refused.
// Then our own proofs, built from ranges, verify for every (index, size) and pair of sizes up to 40
// and are refused when a byte, the size, the index or a root is changed.
import t from 'tap'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { CompactRange, consistencyProof, EMPTY_ROOT, inclusionProof, leafHash, leafNodes, nodeHash, proofNodes, consistencyRanges, inclusionRanges, rootOfLeaves, verifyConsistency, verifyInclusion } from '../../../../server/src/log/merkle/index.ts'

const VECTORS = path.join(import.meta.dirname, 'vectors')
const hex = (s: string): Buffer => Buffer.from(s, 'hex')
const b64 = (s: string): Buffer => Buffer.from(s, 'base64')

// testonly/constants.go LeafInputs, RootHashes and NodeHashes.
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(hex)
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328'
].map(hex)
const LEVEL1 = ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0'].map(hex)

function jsonFiles (dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name)
    return statSync(p).isDirectory() ? jsonFiles(p) : name.endsWith('.json') ? [p] : []
  })
}

t.test('tree hashes: the RFC 6962 roots of the eight test leaves, for every size', async (t) => {
  t.same(EMPTY_ROOT, ROOTS[0])
  const hashes = LEAVES.map(leafHash)
  t.same(hashes[0], hex('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d'))
  LEVEL1.forEach((want, i) => t.same(nodeHash(hashes[2 * i] as Buffer, hashes[2 * i + 1] as Buffer), want, `level-1 node ${i}`))
  const edge = new CompactRange()
  for (let size = 0; size <= 8; size++) {
    t.same(rootOfLeaves(hashes.slice(0, size)), ROOTS[size], `MTH of ${size} leaves`)
    t.same(edge.root(), ROOTS[size], `compact range at ${size}`)
    if (size < 8) edge.append(hashes[size] as Buffer)
  }
  const rebuilt = new CompactRange(8, edge.nodes().map((n) => n.hash))
  t.same(rebuilt.root(), ROOTS[8])
})

t.test('inclusion probes of transparency-dev/merkle: published proofs verify, altered ones are refused', async (t) => {
  const files = jsonFiles(path.join(VECTORS, 'inclusion'))
  t.ok(files.length > 50)
  for (const file of files) {
    const p = JSON.parse(readFileSync(file, 'utf8')) as { leafIdx: number, treeSize: number, root: string, leafHash: string, proof: string[] | null, wantErr: boolean }
    const verdict = verifyInclusion(p.leafIdx, p.treeSize, b64(p.leafHash), (p.proof ?? []).map(b64), b64(p.root))
    t.equal(verdict.ok, !p.wantErr, path.relative(VECTORS, file))
  }
})

t.test('consistency probes of transparency-dev/merkle: published proofs verify, altered ones are refused', async (t) => {
  const files = jsonFiles(path.join(VECTORS, 'consistency'))
  t.ok(files.length > 50)
  for (const file of files) {
    const p = JSON.parse(readFileSync(file, 'utf8')) as { size1: number, size2: number, root1: string, root2: string, proof: string[] | null, wantErr: boolean }
    const verdict = verifyConsistency(p.size1, p.size2, (p.proof ?? []).map(b64), b64(p.root1), b64(p.root2))
    t.equal(verdict.ok, !p.wantErr, path.relative(VECTORS, file))
  }
})

t.test('the published happy-path proofs are exactly the ones we build', async (t) => {
  const nodes = leafNodes(LEAVES.map(leafHash))
  for (const file of jsonFiles(path.join(VECTORS, 'inclusion')).filter((f) => f.endsWith('happy-path.json'))) {
    const p = JSON.parse(readFileSync(file, 'utf8')) as { leafIdx: number, treeSize: number, proof: string[] | null }
    t.same(inclusionProof(p.leafIdx, p.treeSize, nodes).map((h) => h.toString('base64')), p.proof ?? [], path.relative(VECTORS, file))
  }
  for (const file of jsonFiles(path.join(VECTORS, 'consistency')).filter((f) => f.endsWith('happy-path.json'))) {
    const p = JSON.parse(readFileSync(file, 'utf8')) as { size1: number, size2: number, proof: string[] | null }
    t.same(consistencyProof(p.size1, p.size2, nodes).map((h) => h.toString('base64')), p.proof ?? [], path.relative(VECTORS, file))
  }
})

t.test('our proofs verify at every index and size up to 40, and any change is refused', async (t) => {
  const leaves = Array.from({ length: 40 }, (_, i) => leafHash(Buffer.from(`entry ${i}`)))
  const nodes = leafNodes(leaves)
  const roots = [EMPTY_ROOT]
  const edge = new CompactRange()
  for (const leaf of leaves) {
    edge.append(leaf)
    roots.push(edge.root())
  }
  let refused = 0
  for (let size = 1; size <= 40; size++) {
    t.same(roots[size], rootOfLeaves(leaves.slice(0, size)))
    const root = roots[size] as Buffer
    for (let index = 0; index < size; index++) {
      const proof = inclusionProof(index, size, nodes)
      if (!verifyInclusion(index, size, leaves[index] as Buffer, proof, root).ok) t.fail(`inclusion ${index}/${size}`)
      if (verifyInclusion(index, size, leaves[(index + 1) % 40] as Buffer, proof, root).ok) t.fail(`wrong leaf ${index}/${size}`)
      if (size < 40 && verifyInclusion(index, size + 1, leaves[index] as Buffer, proof, roots[size + 1] as Buffer).ok) t.fail(`wrong size ${index}/${size}`)
      if (size > 1 && verifyInclusion((index + 1) % size, size, leaves[index] as Buffer, proof, root).ok) t.fail(`wrong index ${index}/${size}`)
      if (verifyInclusion(index, size, leaves[index] as Buffer, proof, roots[size - 1] as Buffer).ok) t.fail(`wrong root ${index}/${size}`)
      for (let i = 0; i < proof.length; i++) {
        const altered = proof.map((h) => Buffer.from(h))
        const bad = altered[i] as Buffer
        bad[7] = (bad[7] as number) ^ 0x10
        if (verifyInclusion(index, size, leaves[index] as Buffer, altered, root).ok) t.fail(`altered ${i} of ${index}/${size}`)
        refused++
      }
      if (proof.length > 0 && verifyInclusion(index, size, leaves[index] as Buffer, proof.slice(1), root).ok) t.fail(`shortened ${index}/${size}`)
    }
    for (let first = 1; first < size; first++) {
      const proof = consistencyProof(first, size, nodes)
      if (!verifyConsistency(first, size, proof, roots[first] as Buffer, root).ok) t.fail(`consistency ${first}→${size}`)
      if (verifyConsistency(first, size, proof, roots[first - 1] as Buffer, root).ok && first > 1) t.fail(`wrong first root ${first}→${size}`)
      if (verifyConsistency(first, size, proof, roots[first] as Buffer, roots[size - 1] as Buffer).ok) t.fail(`wrong second root ${first}→${size}`)
      if (size < 40 && verifyConsistency(first, size + 1, proof, roots[first] as Buffer, roots[size + 1] as Buffer).ok) t.fail(`wrong size ${first}→${size}`)
      for (let i = 0; i < proof.length; i++) {
        const altered = proof.map((h) => Buffer.from(h))
        const bad = altered[i] as Buffer
        bad[0] = (bad[0] as number) ^ 0x01
        if (verifyConsistency(first, size, altered, roots[first] as Buffer, root).ok) t.fail(`altered ${i} of ${first}→${size}`)
        refused++
      }
    }
  }
  t.ok(refused > 1000, `${refused} altered proofs refused`)
})

t.test('proofs need a few complete subtrees at any size, and bad arguments are refused', async (t) => {
  const size = 5_100_000
  const inclusion = proofNodes(inclusionRanges(4_321_987, size))
  t.ok(inclusion.length <= 2 * 23, `${inclusion.length} nodes for an inclusion proof at 5.1 M`)
  const consistency = proofNodes(consistencyRanges(3_000_001, size))
  t.ok(consistency.length <= 2 * 23, `${consistency.length} nodes for a consistency proof at 5.1 M`)
  t.throws(() => inclusionRanges(5, 5), RangeError)
  t.throws(() => consistencyRanges(0, 5), RangeError)
  t.throws(() => consistencyRanges(6, 5), RangeError)
  t.same(verifyConsistency(0, 5, [], EMPTY_ROOT, EMPTY_ROOT), { ok: false, reason: 'bad-size' })
  t.same(verifyInclusion(0, 0, EMPTY_ROOT, [], EMPTY_ROOT), { ok: false, reason: 'bad-size' })
  t.throws(() => new CompactRange(3, [EMPTY_ROOT]), RangeError)
})
