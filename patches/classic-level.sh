#!/usr/bin/env bash
# Builds classic-level 3.0.0 with our patches, applied in this order (each on the tree the previous left):
#   classic-level-3.0.0-nextv-sync.patch  an iterator read (nextvSync) on the calling thread, which
#     LevelStore#_keysIn uses for a 4情報 search's candidates when the binding has it (issue 18: the
#     search's one hand-off to libuv's pool and back was its cost and its tail; without the patch
#     LevelStore reads as before, through the pool);
#   classic-level-3.0.0-sse42-crc32c.patch  LevelDB's crc32c (block and log checksums) with the CPU's
#     crc32 instruction: only port_posix_sse.cc's function is compiled for SSE4.2 and it runs only where
#     the CPU has it (the rest of the binary still runs on any x86-64); the binding tells which
#     (crc32c_accelerated). Software crc32c was 12–15 % of LevelDB's compaction thread (issue 18);
#   classic-level-3.0.0-no-mmap-reads.patch  LevelDB reads table files with pread, never mmap, so their
#     pages stay in the kernel's page cache instead of the store's RSS (server/src/store/level-tuning.ts);
#   classic-level-3.0.0-thread-name.patch  LevelDB's background (compaction) thread is named `leveldb-bg`,
#     so the bench can report its CPU apart from the store's other threads (bench/thread-cpu.ts).
#   classic-level-3.0.0-batch-contents.patch  `writeBatchContents`: a batch handed over as LevelDB's
#     serialized WriteBatch (db/write_batch.cc), built in one buffer by server/src/store/level-batch.ts —
#     one call and one copy per commit-group batch instead of a call and two copies per key and value
#     (issue 18: the store's serial thread); parsed before it is queued, so a malformed one never
#     reaches the write-ahead log. Without it LevelStore writes chained batches as before
#     (tests/unit/store/level-batch.test.ts fails on a binding without it).
#   classic-level-3.0.0-seek-compaction.patch  seek compactions as an open option (leveldb::Options
#     seek_compaction, classic-level's `seekCompaction`, default on as in stock 1.20): whether a table that
#     point reads pass without finding their key is compacted into the next level (db/version_set.cc
#     Version::UpdateStats). The views turn them off (server/src/store/level-tuning.ts: they were most of
#     the views' compactions).
# tests/unit/store/level-build.test.ts fails if the binding loaded lacks the last three.
# Run after `npm ci` (which puts back the stock package); idempotent, and refuses a half-applied tree.
# Needs a C++ compiler, make, python3 and Node's headers (Debian: g++ make python3 libnode-dev or
# nodejs's /usr/include/node).
set -euo pipefail
cd "$(dirname "$0")/.."
pkg=node_modules/classic-level
version=$(node -p "require('./$pkg/package.json').version")
if [ "$version" != "3.0.0" ]; then echo "classic-level $version: the patches are for 3.0.0" >&2; exit 1; fi
ldb=deps/leveldb/leveldb-1.20

# apply PATCH FILE:MARKER...: applies PATCH unless every FILE already holds its MARKER.
apply() {
  local patch=$1 spec found=0
  shift
  for spec in "$@"; do
    if grep -qF -- "${spec#*:}" "$pkg/${spec%%:*}"; then found=$((found + 1)); fi
  done
  if [ "$found" -eq 0 ]; then patch -p1 -s -d "$pkg" < "patches/$patch"
  elif [ "$found" -ne "$#" ]; then echo "$pkg: half patched ($patch); reinstall it (npm ci) and run this again" >&2; exit 1
  fi
}
apply classic-level-3.0.0-nextv-sync.patch binding.cc:iterator_nextv_sync iterator.js:iterator_nextv_sync
apply classic-level-3.0.0-sse42-crc32c.patch binding.cc:crc32c_accelerated deps/leveldb/leveldb.gyp:LEVELDB_PLATFORM_POSIX_SSE=1 "$ldb/port/port_posix_sse.cc:LEVELDB_TARGET_SSE42"
apply classic-level-3.0.0-no-mmap-reads.patch "$ldb/util/env_posix.cc:mmap_limit = 0;"
apply classic-level-3.0.0-thread-name.patch "$ldb/util/env_posix.cc:\"leveldb-bg\""
apply classic-level-3.0.0-batch-contents.patch binding.cc:batch_do_contents index.js:writeBatchContents
apply classic-level-3.0.0-seek-compaction.patch binding.cc:seekCompaction "$ldb/include/leveldb/options.h:bool seek_compaction;" "$ldb/db/version_set.cc:options_->seek_compaction"

# node-gyp-build loads build/Release before the prebuilt binding.
node_file=$pkg/build/Release/classic_level.node
stale=0
[ -f "$node_file" ] || stale=1
for f in binding.cc deps/leveldb/leveldb.gyp "$ldb/port/port_posix_sse.cc" "$ldb/util/env_posix.cc" "$ldb/include/leveldb/options.h" "$ldb/util/options.cc" "$ldb/db/version_set.cc"; do
  if [ "$stale" -eq 0 ] && [ "$pkg/$f" -nt "$node_file" ]; then stale=1; fi
done
if [ "$stale" -eq 1 ]; then
  nodedir=()
  log="$PWD/$pkg/build-patched.log"
  if [ -f /usr/include/node/node_api.h ]; then nodedir=(--nodedir=/usr); fi
  (cd "$pkg" && node "$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")/node_modules/node-gyp/bin/node-gyp.js" rebuild "${nodedir[@]}" -j 2 >"$log" 2>&1) || { cat "$log" >&2; exit 1; }
fi
node -e "
const binding = require('./$pkg/binding.js')
if (typeof binding.iterator_nextv_sync !== 'function' || typeof require('./$pkg/iterator.js').Iterator.prototype.nextvSync !== 'function') { console.error('classic-level: the binding loaded has no iterator_nextv_sync'); process.exit(1) }
if (typeof binding.crc32c_accelerated !== 'function') { console.error('classic-level: the binding loaded has no crc32c_accelerated'); process.exit(1) }
if (typeof binding.batch_do_contents !== 'function' || typeof require('./$pkg/index.js').ClassicLevel.prototype.writeBatchContents !== 'function') { console.error('classic-level: the binding loaded has no batch_do_contents'); process.exit(1) }
const sse42 = process.arch === 'x64' && /\bsse4_2\b/.test(require('fs').readFileSync('/proc/cpuinfo', 'utf8'))
if (sse42 && !binding.crc32c_accelerated()) { console.error('classic-level: this CPU has SSE4.2 but LevelDB computes crc32c in software'); process.exit(1) }
"
echo "classic-level 3.0.0 with nextvSync, SSE4.2 crc32c, table reads without mmap, a named compaction thread, batches as WriteBatch contents, seek compactions as an option: $node_file"
