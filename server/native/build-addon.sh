#!/usr/bin/env bash
# Builds one of the store's native addons (server/native/<name>/: <target>.c, binding.gyp) with node-gyp
# and checks that the built file exports the named functions. Each addon's build.sh says what it is for.
#   build-addon.sh DIR TARGET EXPORT...
# Needs a C compiler, make, python3 and Node's headers (Debian: gcc make python3 and nodejs's
# /usr/include/node, which carries the OpenSSL headers of the OpenSSL that Node links and exports).
# Idempotent: rebuilds only when the source or binding.gyp is newer than the addon.
set -euo pipefail
dir=$1 target=$2
shift 2
cd "$dir"
name=$(basename "$PWD")
addon=build/Release/$target.node
if [ ! -f "$addon" ] || [ "$target.c" -nt "$addon" ] || [ binding.gyp -nt "$addon" ] || [ ../napi-args.h -nt "$addon" ]; then
  nodedir=()
  if [ -f /usr/include/node/node_api.h ]; then nodedir=(--nodedir=/usr); fi
  log="$PWD/build.log"
  node "$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")/node_modules/node-gyp/bin/node-gyp.js" rebuild "${nodedir[@]}" -j 2 >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
fi
node -e "
const m = { exports: {} }
process.dlopen(m, require('path').resolve('$addon'))
const missing = process.argv.slice(1).filter((f) => typeof m.exports[f] !== 'function')
if (missing.length > 0) { console.error('$name: the addon has no ' + missing.join(', ')); process.exit(1) }
" "$@"
echo "$name addon: server/native/$name/$addon"
