/**
 * The cost of the transparency log (SPEC §4 Merkle tree; docs/transparency-log.md), for the bench:
 * - `treeCostPerUpdate`: CPU µs the tree adds per committed entry on the store's commit path — the leaf
 *   hash, the compact range's merges, the stored subtrees it completes and one root per group —
 *   measured in this process over synthetic entries of the log's typical size;
 * - `measureProofs`: on a loaded store directory (daemon stopped), inclusion proofs of random
 *   positions and a consistency proof, as `ken-store prove` and the CS receipts make them.
 * The verify time with the tree is `ken-store verify`'s, in prefecture.ts (it recomputes the tree).
 *   node --import tsx bench/transparency.ts [--entries N] [--db DIR]
 */
import { randomBytes } from 'node:crypto'
import { parseArgs } from 'node:util'
import { CompactRange, leafHash } from '../server/src/log/merkle/index.ts'
import { nodeOp } from '../server/src/store/tree-nodes.ts'
import { LevelStore } from '../server/src/store/level-store.ts'
import { Histogram } from './loadgen/histogram.ts'

/** CPU µs per entry of the tree's work on the commit path (groups of `group` entries of `entryBytes`). */
export function treeCostPerUpdate (entries = 500_000, entryBytes = 420, group = 256): number {
  const pool = Array.from({ length: 64 }, () => randomBytes(entryBytes))
  const edge = new CompactRange()
  let ops = 0
  const run = (n: number): void => {
    for (let i = 0; i < n; i++) {
      for (const made of edge.append(leafHash(pool[i % pool.length] as Buffer))) if (nodeOp(made.level, made.index, made.hash) !== undefined) ops++
      if (i % group === group - 1) edge.root()
    }
  }
  run(10_000) // warm-up
  const cpu0 = process.cpuUsage()
  run(entries)
  const cpu = process.cpuUsage(cpu0)
  if (ops === 0 && entries >= 256) throw new Error("no stored subtree was made")
  return Math.round(((cpu.user + cpu.system) / entries) * 100) / 100
}

/** Proof times on a loaded store (the daemon must be stopped). */
export async function measureProofs (dbDir: string, samples = 200): Promise<{ size: number, inclusionP50Ms: number, inclusionP99Ms: number, consistencyMs: number, checkpoints: number }> {
  const store = new LevelStore({ location: dbDir, createIfMissing: false })
  await store.open()
  try {
    const reader = store.transparency
    const latest = await reader.latest()
    if (latest === undefined) return { size: 0, inclusionP50Ms: 0, inclusionP99Ms: 0, consistencyMs: 0, checkpoints: 0 }
    const h = new Histogram()
    for (let i = 0; i < samples; i++) {
      const position = 1 + Math.floor(Math.random() * latest.size)
      const t0 = performance.now()
      await reader.inclusion(position)
      h.record(performance.now() - t0)
    }
    let checkpoints = 0
    let first: number | undefined
    for await (const kept of reader.all()) {
      checkpoints++
      first ??= kept.size
    }
    const t0 = performance.now()
    await reader.consistency(first ?? latest.size)
    return { size: latest.size, inclusionP50Ms: h.quantile(0.5), inclusionP99Ms: h.quantile(0.99), consistencyMs: Math.round((performance.now() - t0) * 100) / 100, checkpoints }
  } finally {
    await store.close()
  }
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const { values } = parseArgs({ options: { entries: { type: 'string', default: '500000' }, db: { type: 'string' } } })
  process.stdout.write(`tree: ${treeCostPerUpdate(Number(values.entries))} µs CPU per entry\n`)
  if (values.db !== undefined) process.stdout.write(`proofs: ${JSON.stringify(await measureProofs(values.db))}\n`)
}
