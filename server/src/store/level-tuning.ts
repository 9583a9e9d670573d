/**
 * LevelDB's options for each database of the store, chosen from how it is read, and the bound they put
 * on the table files a store process keeps mapped (issue 18: store RSS < 1 GB at 5.1 M residents).
 *
 * LevelDB (1.20, util/env_posix.cc) mmaps every table file it opens, up to 1,000 per process, and keeps
 * it mapped while the table is in the database's table cache, which holds max_open_files − 10 tables
 * (db/db_impl.cc kNumNonTableCacheFiles); every page a read touched counts in the process's RSS. So
 *   mapped ≤ (maxOpenFiles − 10) × table size, per database,
 * plus the few tables a live iterator or compaction still holds (util/cache.cc keeps an evicted entry
 * until it is released).
 * LevelDB clips max_open_files to at least 74 (db_impl.cc SanitizeOptions): 64 tables is the least.
 * Tables of a flushed memtable are about writeBufferSize (passed by up to one write batch: a commit
 * group), of a compaction about maxFileSize.
 * While under the 1,000 mmaps, every table is mapped and a block is read from the mapping, never copied
 * into the block cache (table/format.cc ReadBlock: "Do not double-cache"): the block caches stay nearly
 * empty and cost no memory.
 *
 * No database compresses its blocks (LevelDB's default is snappy on every block of every flush and
 * compaction, table/table_builder.cc WriteBlock). The store's values are sealed records and hashes and
 * its keys HMAC tokens: snappy shrank the views by 2.8 % and the whole store by 1.4 % (500 k residents),
 * and cost ~13 % of LevelDB's compaction thread (perf, bench:store at 500 k: the compaction thread is
 * ~27 % of the store's CPU). A block read from a mapped, uncompressed table is used in place; a snappy
 * one was decompressed into a new buffer at every read. Tables written with snappy stay readable: the
 * compression is recorded per block (table/format.cc ReadBlock), and compactions rewrite them plain.
 */
import type { Database } from './layout.ts'

export interface DatabaseTuning {
  /** LevelDB block cache, bytes: only blocks of tables read without mmap go there. */
  readonly cacheSize: number
  /** Memtable, bytes; a flush writes one level-0 table of about this size. */
  readonly writeBufferSize: number
  /** Largest table a compaction writes, bytes. */
  readonly maxFileSize: number
  /** max_open_files: the table cache holds this − 10 tables, each one mapped. */
  readonly maxOpenFiles: number
  /** Snappy on each block written (LevelDB's default: on). */
  readonly compression: boolean
}

/** LevelDB's floor for max_open_files (64 tables + 10 other files). */
export const LEAST_OPEN_FILES = 74
/** Files LevelDB reserves outside the table cache (db_impl.cc kNumNonTableCacheFiles). */
const NON_TABLE_FILES = 10
const MIB = 1 << 20

/**
 * The options of each database; the views' block cache and write buffer are options (LevelStoreOptions).
 *   log    read in order (outbox, verify, proofs): a small table cache costs one open per table passed.
 *          Its tables are flushed memtables moved down without rewriting (sequential keys: version_set.cc
 *          trivial move), so their size is writeBufferSize. mapped ≤ 64 × 2 MiB = 128 MiB (149 MB
 *          measured: a whole log of 400 k entries read in order; 258 MB with the former 16 MiB
 *          tables and 990 open, ~3.1 GB at 5.1 M).
 *   views  read at random on the lookup path (SPEC §8 lookup p99 < 1 ms): a table-cache miss costs a
 *          get ~50 µs of CPU and took a random get's p99 from 0.05–0.26 to 1.7–4 ms (1.25 M keys in 274
 *          tables, 64 open against 990, 3 alternating runs, issue 18). So the views keep LevelDB's
 *          1,000 open files, their tables ~8 MiB: a 5.1 M prefecture's ~490 tables all stay open, and
 *          their mapped pages are bounded by what lookups touch, up to the database's size.
 *          Their memtable is 64 MiB (was 16): LevelDB sizes its levels from a fixed 10 MB level 1
 *          (version_set.cc MaxBytesForLevel), and keys spread at random rewrite every level they pass,
 *          so the larger the flushed tables against level 1, the fewer times a key is rewritten: at 500 k
 *          residents the views' compactions wrote 14,607 B/update with 16 MiB, 8,339 with 32, 4,984 with
 *          64, the store's CPU 324 / 295 / 280 µs/update (bench:store side by side). It costs memory (peak
 *          RSS +46 MB at 500 k; a flush holds two memtables) and replay at open: after a crash LevelDB
 *          replays the views' write-ahead log, up to one memtable (open of a store left with a 49 MB log:
 *          0.86–0.89 s against 0.18 s with 12 MB), within SPEC §8's recovery < 5 s (1.97 s measured at
 *          5.1 M with 16 MiB).
 *   keys   read at random on the same path (a lookup opens the record with the resident's data key,
 *          and the keyring caches 65,536 of 5.1 M): kept open like the views, ~425 MB at 5.1 M.
 * The three stay under the 1,000 mmaps while views and keys hold fewer than ~930 tables (~7 GB); past
 * that, LevelDB reads the other tables with pread, through the block cache.
 */
export function storeTuning (views: { readonly cacheSize?: number, readonly writeBufferSize?: number } = {}): Record<Database, DatabaseTuning> {
  return {
    log: { cacheSize: 8 * MIB, writeBufferSize: 2 * MIB, maxFileSize: 2 * MIB, maxOpenFiles: LEAST_OPEN_FILES, compression: false },
    keys: { cacheSize: 8 * MIB, writeBufferSize: 4 * MIB, maxFileSize: 8 * MIB, maxOpenFiles: 1000, compression: false },
    views: { cacheSize: views.cacheSize ?? 64 * MIB, writeBufferSize: views.writeBufferSize ?? 64 * MIB, maxFileSize: 8 * MIB, maxOpenFiles: 1000, compression: false }
  }
}

/** Tables a database keeps open, so mapped, at most. */
export function tablesMapped (tuning: DatabaseTuning): number {
  return Math.max(tuning.maxOpenFiles, LEAST_OPEN_FILES) - NON_TABLE_FILES
}

/** The bytes of table files a database keeps mapped, at most (a table may pass its size by one write batch). */
export function mappedBound (tuning: DatabaseTuning): number {
  return tablesMapped(tuning) * Math.max(tuning.writeBufferSize, tuning.maxFileSize)
}
