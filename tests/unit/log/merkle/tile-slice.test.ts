// The tree in parallel slices (tile-slice.ts) gives the same root at every size as one compact range
// over all the leaves — for slice boundaries on and off tile boundaries, slices inside one tile,
// and sizes at, just before and just after tile and slice boundaries.
import t from 'tap'
import { assembleRoots, CompactRange, leafHash, TileSlice } from '../../../../server/src/log/merkle/index.ts'
import { jsSha256Batch, type Sha256Batch } from '../../../../server/src/log/merkle/sha256-batch.ts'
import { sha256Batch } from '../../../../server/src/log/merkle/sha256-batch-file.ts'

const N = 1800
const leaves = Array.from({ length: N }, (_, i) => leafHash(Buffer.from(`entry ${i}`)))
const truth: Buffer[] = []
const edge = new CompactRange()
truth.push(edge.root())
for (const leaf of leaves) {
  edge.append(leaf)
  truth.push(edge.root())
}
const sizes = [...new Set([1, 2, 3, 100, 255, 256, 257, 300, 511, 512, 513, 700, 767, 768, 769, 1000, 1023, 1024, 1025, 1500, 1799, 1800])]

for (const cuts of [[], [256, 512], [300], [1, 2, 3], [255, 257, 700, 701, 702, 1025], [100, 200, 250, 900, 1790]]) {
  t.test(`slices cut at ${cuts.join(', ') || 'nowhere'}`, async (t) => {
    const bounds = [0, ...cuts, N]
    const slices = bounds.slice(0, -1).map((begin, i) => {
      const slice = new TileSlice(begin, sizes)
      for (let j = begin; j < (bounds[i + 1] as number); j++) slice.push((leaves[j] as Buffer).toString('latin1'))
      return slice.result()
    })
    const roots = assembleRoots(slices, sizes)
    for (const size of sizes) t.same(roots.get(size), truth[size], `root at ${size}`)
    // The end needs no asked size (the workers are told only the kept checkpoints' sizes).
    const endOnly = bounds.slice(0, -1).map((begin, i) => {
      const slice = new TileSlice(begin, [])
      const end = i === bounds.length - 2 ? N - 7 : bounds[i + 1] as number
      for (let j = begin; j < end; j++) slice.push((leaves[j] as Buffer).toString('latin1'))
      return slice.result()
    })
    t.same(assembleRoots(endOnly, [N - 7]).get(N - 7), truth[N - 7], 'the root at the end, asked for by no slice')
  })
}

// As verify feeds them: a block's leaves at a time (pushLeaves), runs crossing tile boundaries and
// asked sizes, hashed by node:crypto and by the addon where built (sha256-batch.ts).
for (const [name, hasher] of [['node:crypto', jsSha256Batch], ['sha256Batch()', sha256Batch()]] as Array<[string, Sha256Batch]>) {
  t.test(`leaves pushed in runs (${name})`, async (t) => {
    for (const [cuts, run] of [[[], 1000], [[300], 77], [[255, 257, 700, 701, 702, 1025], 13], [[100, 200, 250, 900, 1790], 256]] as Array<[number[], number]>) {
      const bounds = [0, ...cuts, N]
      const slices = bounds.slice(0, -1).map((begin, i) => {
        const slice = new TileSlice(begin, sizes, hasher)
        for (let j = begin; j < (bounds[i + 1] as number); j += run) {
          const batch = leaves.slice(j, Math.min(j + run, bounds[i + 1] as number))
          slice.pushLeaves(Buffer.concat([...batch, Buffer.alloc(64, 0xee)]), batch.length)
        }
        return slice.result()
      })
      const roots = assembleRoots(slices, sizes)
      for (const size of sizes) t.same(roots.get(size), truth[size], `cut at ${cuts.join(', ') || 'nowhere'}, runs of ${run}: root at ${size}`)
    }
  })
}

t.test('slices out of order are refused', async (t) => {
  const a = new TileSlice(0, []).result()
  const b = new TileSlice(5, []).result()
  t.throws(() => assembleRoots([a, b], []), RangeError)
})
