/**
 * LevelDB's options for each database of the store, chosen from how it is read, and the bound they put
 * on the table files a store process keeps open (issue 18: store RSS < 1 GB at 5.1 M residents).
 *
 * LevelDB as patches/classic-level.sh builds it reads table files with pread, never mmap
 * (patches/classic-level-3.0.0-no-mmap-reads.patch; stock 1.20 mapped up to 1,000 tables per process,
 * util/env_posix.cc, and every page a read touched counted in RSS: the 1 M store's lookups and verify
 * peaked at 818–853 MB RSS mapped, 198–282 MB read with pread). A table's data blocks now stay in the
 * kernel's page cache, shared and reclaimable, and what the process holds per database is
 *   - its block cache (cacheSize): the data blocks point reads brought in (getSync, getMany fill it;
 *     classic-level's iterators do not), each a pread and a copy when it misses;
 *   - the index block and bloom filter of each table in its table cache, on the heap while the table is
 *     open (table/table.cc Open, ReadFilter; ~1.5 % of a table's bytes and 10 bits per key);
 *   - one file descriptor per open table. The table cache holds max_open_files − 10 tables
 *     (db/db_impl.cc kNumNonTableCacheFiles); LevelDB clips max_open_files to at least 74 (SanitizeOptions):
 *     64 tables is the least. LevelDB keeps at most RLIMIT_NOFILE / 5 read-only descriptors per process
 *     (env_posix.cc MaxOpenFiles, read at the first open, after Node raised the soft limit to the hard
 *     one) and past that opens and closes the file at every read: the three databases' 2,064 tables at
 *     most need a limit of ≥ 10,320 (systemd's default hard limit is 524,288).
 * Tables of a flushed memtable are about writeBufferSize (passed by up to one write batch: a commit
 * group), of a compaction about maxFileSize.
 *
 * No database compresses its blocks (LevelDB's default is snappy on every block of every flush and
 * compaction, table/table_builder.cc WriteBlock). The store's values are sealed records and hashes and
 * its keys HMAC tokens: snappy shrank the views by 2.8 % and the whole store by 1.4 % (500 k residents),
 * and cost ~13 % of LevelDB's compaction thread (perf, bench:store at 500 k: the compaction thread is
 * ~27 % of the store's CPU); a snappy block was decompressed into a new buffer at every read. Tables
 * written with snappy stay readable: the compression is recorded per block (table/format.cc ReadBlock),
 * and compactions rewrite them plain.
 */
import type { Database } from './layout.ts'

export interface DatabaseTuning {
  /** LevelDB block cache, bytes: the data blocks point reads brought in. */
  readonly cacheSize: number
  /** Memtable, bytes; a flush writes one level-0 table of about this size. */
  readonly writeBufferSize: number
  /** Largest table a compaction writes, bytes. */
  readonly maxFileSize: number
  /** max_open_files: the table cache holds this − 10 tables, each with a descriptor and its index and filter. */
  readonly maxOpenFiles: number
  /** Snappy on each block written (LevelDB's default: on). */
  readonly compression: boolean
  /**
   * Whether a table that point reads pass without finding their key is compacted down (LevelDB's default;
   * patches/classic-level-3.0.0-seek-compaction.patch makes it an option: db/version_set.cc Version::UpdateStats).
   */
  readonly seekCompaction: boolean
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
 *          trivial move), so their size is writeBufferSize. (When tables were mapped this bounded the
 *          log's mapped pages to 64 × 2 MiB: 149 MB measured, a whole log of 400 k entries read in
 *          order; 258 MB with the former 16 MiB tables and 990 open, ~3.1 GB at 5.1 M.)
 *   views  read at random on the lookup path (SPEC §8 lookup p99 < 1 ms): a table-cache miss costs a
 *          get ~50 µs of CPU and took a random get's p99 from 0.05–0.26 to 1.7–4 ms (1.25 M keys in 274
 *          tables, 64 open against 990, 3 alternating runs, issue 18). So the views keep LevelDB's
 *          1,000 open files, their tables ~8 MiB: a 5.1 M prefecture's ~490 tables all stay open, their
 *          index blocks and filters on the heap.
 *          Their memtable is 128 MiB (was 16, then 64): LevelDB sizes its levels from a fixed 10 MB level 1
 *          (version_set.cc MaxBytesForLevel), and keys spread at random rewrite every level they pass,
 *          so the larger the flushed tables against level 1, the fewer times a key is rewritten: at 500 k
 *          residents the views' compactions wrote 14,607 B/update with 16 MiB, 8,339 with 32, 4,984 with
 *          64, the store's CPU 324 / 295 / 280 µs/update (bench:store side by side). At 1 M, 64 → 128 MiB
 *          (session 14, two pairs in alternating order, bench/results/2026-12-01-session14-lead-ab.txt):
 *          the views' compactions 3,454–3,460 → 2,378 MB, LevelDB's compaction thread 27.9 / 27.8 → 20.6 /
 *          19.3 µs per update, libuv's pool (the memtable inserts) 26.7 / 27.2 → 31.9 / 30.5, the store in
 *          all 125.5 / 126.4 → 121.9 / 115.8. It costs memory (peak RSS +38–74 MB at 1 M, the daemon's 792 →
 *          830 MB at 5.1 M; a flush holds two memtables) and replay at open: after a
 *          crash LevelDB replays the views' write-ahead log, up to one memtable (open of a store left with
 *          a 49 MB log: 0.86–0.89 s against 0.18 s with 12 MB), within SPEC §8's recovery < 5 s (1.58 s
 *          measured at 5.1 M with 64 MiB).
 *          They have no seek compactions (patches/classic-level-3.0.0-seek-compaction.patch): LevelDB
 *          charges a table each time a point read passes it without finding its key and, after
 *          file_size / 16 KiB such passes (db/version_set.cc VersionSet::Builder::Apply — a rule from disks
 *          where a seek cost 10 ms), compacts it into the next level (Version::UpdateStats). The update
 *          path reads the views at random, so its reads pass the level-0 tables and one table per level
 *          and charge out even a 93 MB flushed table (~5,700 passes) within seconds; with bloom filters
 *          a pass costs a filter probe, not a block read. At 500 k residents every
 *          compaction of the views was one of these (compacted 405–576 MB, 0 without); at 1 M 1,878 → 706 MB,
 *          LevelDB's compaction thread 14.3–15.4 → 8.1–8.5 µs per update, the store in all −2.8 to −5.6,
 *          libuv's pool +2.2–2.4 and peak RSS +16–45 MB (three pairs, session 15,
 *          bench/results/2026-12-01-session15-filt10-ab.txt). Size compactions still bound
 *          what a read passes: level 0 is compacted at kL0_CompactionTrigger (4) tables (db/dbformat.h)
 *          and every level kept within its size; lookup p99 unchanged at 500 k.
 *          A larger level 1 (LevelDB's fixed 10 MB, version_set.cc MaxBytesForLevel; 64 and 256 MiB tried,
 *          same file) did not pay: with seek compactions 1,878 → 2,425 MB compacted at 1 M, without them
 *          706 MB either way.
 *   keys   read at random on the same path (a lookup opens the record with the resident's data key,
 *          and the keyring caches 65,536 of 5.1 M): kept open like the views, ~425 MB at 5.1 M.
 */
export function storeTuning (views: { readonly cacheSize?: number, readonly writeBufferSize?: number, readonly seekCompaction?: boolean } = {}): Record<Database, DatabaseTuning> {
  return {
    log: { cacheSize: 8 * MIB, writeBufferSize: 2 * MIB, maxFileSize: 2 * MIB, maxOpenFiles: LEAST_OPEN_FILES, compression: false, seekCompaction: true },
    keys: { cacheSize: 8 * MIB, writeBufferSize: 4 * MIB, maxFileSize: 8 * MIB, maxOpenFiles: 1000, compression: false, seekCompaction: true },
    views: { cacheSize: views.cacheSize ?? 64 * MIB, writeBufferSize: views.writeBufferSize ?? 128 * MIB, maxFileSize: 8 * MIB, maxOpenFiles: 1000, compression: false, seekCompaction: views.seekCompaction ?? false }
  }
}

/** Tables a database keeps open (each with a file descriptor), at most. */
export function tablesOpen (tuning: DatabaseTuning): number {
  return Math.max(tuning.maxOpenFiles, LEAST_OPEN_FILES) - NON_TABLE_FILES
}
