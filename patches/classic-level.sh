#!/usr/bin/env bash
# Builds classic-level 3.0.0 with patches/classic-level-3.0.0-nextv-sync.patch: an iterator read
# (nextvSync) on the calling thread, which LevelStore#_keysIn uses for a 4情報 search's candidates when
# the binding has it (issue 18: the search's one hand-off to libuv's pool and back was its cost and its
# tail; without the patch LevelStore reads as before, through the pool). Run after `npm ci` (which puts
# back the stock package); idempotent. Needs a C++ compiler, make, python3 and Node's headers
# (Debian: g++ make python3 libnode-dev or nodejs's /usr/include/node).
set -euo pipefail
cd "$(dirname "$0")/.."
pkg=node_modules/classic-level
version=$(node -p "require('./$pkg/package.json').version")
if [ "$version" != "3.0.0" ]; then echo "classic-level $version: the patch is for 3.0.0" >&2; exit 1; fi
applied=$( { grep -l iterator_nextv_sync "$pkg/binding.cc" "$pkg/iterator.js" || true; } | wc -l)
case $applied in
  0) patch -p1 -s -d "$pkg" < patches/classic-level-3.0.0-nextv-sync.patch ;;
  2) ;;
  *) echo "$pkg: half patched; reinstall it (npm ci) and run this again" >&2; exit 1 ;;
esac
# node-gyp-build loads build/Release before the prebuilt binding.
if [ ! -f "$pkg/build/Release/classic_level.node" ] || [ "$pkg/binding.cc" -nt "$pkg/build/Release/classic_level.node" ]; then
  nodedir=()
  log="$PWD/$pkg/build-nextv-sync.log"
  if [ -f /usr/include/node/node_api.h ]; then nodedir=(--nodedir=/usr); fi
  (cd "$pkg" && node "$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")/node_modules/node-gyp/bin/node-gyp.js" rebuild "${nodedir[@]}" -j 2 >"$log" 2>&1) || { cat "$log" >&2; exit 1; }
fi
node -e "if (typeof require('./$pkg/binding.js').iterator_nextv_sync !== 'function' || typeof require('./$pkg/iterator.js').Iterator.prototype.nextvSync !== 'function') { console.error('classic-level: the binding loaded has no iterator_nextv_sync'); process.exit(1) }"
echo "classic-level 3.0.0 with nextvSync: $pkg/build/Release/classic_level.node"
