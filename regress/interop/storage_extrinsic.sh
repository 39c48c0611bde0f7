#!/bin/sh
# ctest driver: storage keys and extrinsics against polkadot.js (npm).
# Usage: storage_extrinsic.sh <vector program> [<checking script>]
#   interop_chain_vectors + storage_extrinsic.mjs (the default): finney V14
#   interop_modern_vectors + modern_extrinsic.mjs: V16 of specs 346/381
# Exit 0 pass, 1 mismatch, 77 skipped (no node/npm, no registry, no fixtures).
set -u
here=$(cd "$(dirname "$0")" && pwd)
script=${2:-storage_extrinsic.mjs}
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "SKIP: node or npm is not installed"
  exit 77
fi
vectors=$(mktemp)
why=$(mktemp)
trap 'rm -f "$vectors" "$why"' EXIT
"$1" >"$vectors" 2>"$why"
rc=$?
if [ "$rc" -eq 77 ]; then
  echo "SKIP: $(head -n 1 "$why")"
  exit 77
fi
cat "$why" >&2
[ "$rc" -eq 0 ] || exit 1
cd "$here" || exit 1
# Installs the locked versions into regress/interop/node_modules (gitignored).
# A lock keeps parallel ctest runs from installing at the same time.
# Few, short retries: an unreachable registry should skip in seconds.
install() {
  npm install --no-audit --no-fund --loglevel=error --fetch-retries=1 \
    --fetch-retry-mintimeout=1000 --fetch-retry-maxtimeout=3000 \
    >/dev/null 2>&1
}
if command -v flock >/dev/null 2>&1; then
  (flock 9 && install) 9>"${TMPDIR:-/tmp}/subpow-interop-npm.lock"
else
  install
fi
if [ $? -ne 0 ] && [ ! -d node_modules/@polkadot/types ]; then
  echo "SKIP: npm could not install the polkadot.js packages (registry unreachable?)"
  exit 77
fi
node "$script" "$vectors"
