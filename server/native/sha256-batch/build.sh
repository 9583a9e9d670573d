#!/usr/bin/env bash
# Builds the sha256-batch addon (sha256_batch.c) that `ken-store verify` loads when it is there
# (server/src/log/merkle/sha256-batch.ts; issue 18: one call per block and per tile instead of three
# node:crypto calls per entry). Without it verify runs the same digests on node:crypto, slower.
# Needs a C compiler, make, python3 and Node's headers (Debian: gcc make python3 and nodejs's
# /usr/include/node, which carries the OpenSSL headers of the OpenSSL that Node links and exports).
# Run after `npm ci`; idempotent (rebuilds only when the source is newer than the addon).
set -euo pipefail
cd "$(dirname "$0")"
addon=build/Release/sha256_batch.node
if [ ! -f "$addon" ] || [ sha256_batch.c -nt "$addon" ] || [ binding.gyp -nt "$addon" ]; then
  nodedir=()
  if [ -f /usr/include/node/node_api.h ]; then nodedir=(--nodedir=/usr); fi
  log="$PWD/build.log"
  node "$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")/node_modules/node-gyp/bin/node-gyp.js" rebuild "${nodedir[@]}" -j 2 >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
fi
node -e "
const m = { exports: {} }
process.dlopen(m, require('path').resolve('$addon'))
if (typeof m.exports.frames !== 'function' || typeof m.exports.subtree !== 'function') { console.error('sha256-batch: the addon has no frames/subtree'); process.exit(1) }
"
echo "sha256-batch addon: server/native/sha256-batch/$addon"
