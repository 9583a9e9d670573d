#!/usr/bin/env bash
# Builds the aes-gcm-batch addon (aes_gcm_batch.c) that the store seals and opens with when it is
# there (server/src/store/aes-gcm-batch.ts; issue 18: one native call per batch of values instead of a
# node:crypto cipher object and ~6 buffers per value). Without it the store seals the same bytes on
# node:crypto, slower.
# Needs a C compiler, make, python3 and Node's headers (Debian: gcc make python3 and nodejs's
# /usr/include/node, which carries the OpenSSL headers of the OpenSSL that Node links and exports).
# Run after `npm ci`; idempotent (rebuilds only when the source is newer than the addon).
set -euo pipefail
cd "$(dirname "$0")"
addon=build/Release/aes_gcm_batch.node
if [ ! -f "$addon" ] || [ aes_gcm_batch.c -nt "$addon" ] || [ binding.gyp -nt "$addon" ]; then
  nodedir=()
  if [ -f /usr/include/node/node_api.h ]; then nodedir=(--nodedir=/usr); fi
  log="$PWD/build.log"
  node "$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")/node_modules/node-gyp/bin/node-gyp.js" rebuild "${nodedir[@]}" -j 2 >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
fi
node -e "
const m = { exports: {} }
process.dlopen(m, require('path').resolve('$addon'))
if (typeof m.exports.seal !== 'function' || typeof m.exports.open !== 'function') { console.error('aes-gcm-batch: the addon has no seal/open'); process.exit(1) }
"
echo "aes-gcm-batch addon: server/native/aes-gcm-batch/$addon"
