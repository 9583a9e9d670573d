/**
 * The CS side of a reconciliation (SPEC §5.3): its snapshot of one municipality's residents as
 * ReconcileChunks, with a chosen fraction of records deliberately diverged from what the prefecture
 * holds — residents left out (→ MISSING_AT_CS), residents the file does not know (→ MISSING_HERE), and
 * residents with one item changed (→ DIFFERS naming that item) — and the differences the server must
 * find, exactly. Deterministic from the seed.
 */
import { contentDigest, itemDigests, type DigestInput, type DigestItem } from '../../../proto/src/reconcile-digest.ts'
import { encode } from '../../../proto/src/codec.ts'
import { DifferenceKind, type ReconcileRecord } from '../../../proto/src/types.ts'
import { identityOf } from '../generator/bodies.ts'
import { NEVER_ISSUED_BASE } from '../generator/codes.ts'
import { Rng } from '../generator/prng.ts'
import type { Population } from '../generator/population.ts'

export interface Divergence {
  /** Fraction of the file's residents the CS leaves out. */
  readonly missing: number
  /** Records the CS adds that the file does not hold, as a fraction of the municipality. */
  readonly extra: number
  /** Fraction of residents with one item changed at the CS. */
  readonly differing: number
  readonly seed: number
}

export interface ExpectedDifference {
  readonly kind: DifferenceKind
  readonly fields: readonly string[]
}

export interface Snapshot {
  readonly records: ReconcileRecord[]
  /** What the server must report, by 住民票コード. */
  readonly expected: Map<string, ExpectedDifference>
}

/** Items the simulator changes, and how (never to a value the server could not hold). */
const CHANGES: ReadonlyArray<[DigestItem, (r: DigestInput) => DigestInput]> = [
  ['address', (r) => ({ ...r, address: r.address + '１番' })],
  ['name_kana', (r) => ({ ...r, nameKana: r.nameKana + 'ア' })],
  ['birth_date', (r) => ({ ...r, birthDate: r.birthDate === '1950-01-01' ? '1950-01-02' : '1950-01-01' })],
  ['sex', (r) => ({ ...r, sex: r.sex === 1 ? 2 : 1 })]
]

function recordOf (r: DigestInput): ReconcileRecord {
  return { juminhyoCode: r.juminhyoCode, contentDigest: contentDigest(r), itemDigests: itemDigests(r) }
}

/** The CS's snapshot of `municipalityCode` (its current residents as loaded), diverged as asked. */
export function buildSnapshot (population: Population, municipalityCode: string, d: Divergence): Snapshot {
  const rng = new Rng(d.seed)
  const block = population.block(municipalityCode)
  const records: ReconcileRecord[] = []
  const expected = new Map<string, ExpectedDifference>()
  for (let i = block.start; i < block.end; i++) {
    const r = population.at(i)
    const id: DigestInput = identityOf(r, r.registeredBy, r.registeredOn)
    const x = rng.float()
    if (x < d.missing) {
      expected.set(id.juminhyoCode, { kind: DifferenceKind.MISSING_AT_CS, fields: [] })
    } else if (x < d.missing + d.differing) {
      const [item, change] = CHANGES[Math.floor(rng.float() * CHANGES.length)] ?? CHANGES[0] ?? ['address', (v: DigestInput) => v]
      records.push(recordOf(change(id)))
      expected.set(id.juminhyoCode, { kind: DifferenceKind.DIFFERS, fields: [item] })
    } else {
      records.push(recordOf(id))
    }
  }
  const extras = Math.round((block.end - block.start) * d.extra)
  for (let k = 0; k < extras; k++) {
    const code = String(NEVER_ISSUED_BASE + block.start + k).padStart(11, '0')
    const base = population.at(block.start + (k % (block.end - block.start)))
    records.push(recordOf({ ...identityOf(base, base.registeredBy, base.registeredOn), juminhyoCode: code }))
    expected.set(code, { kind: DifferenceKind.MISSING_HERE, fields: [] })
  }
  return { records, expected }
}

/** The snapshot as encoded ReconcileChunks of `perChunk` records (at least one chunk). */
export function chunksOf (records: readonly ReconcileRecord[], o: { municipalityCode: string, sessionId: string, snapshotDate: string, perChunk: number }): Uint8Array[] {
  const count = Math.max(1, Math.ceil(records.length / o.perChunk))
  return Array.from({ length: count }, (_, i) => encode('ReconcileChunk', {
    municipalityCode: o.municipalityCode,
    sessionId: o.sessionId,
    chunkIndex: i,
    chunkCount: count,
    snapshotDate: o.snapshotDate,
    records: records.slice(i * o.perChunk, (i + 1) * o.perChunk)
  }))
}
