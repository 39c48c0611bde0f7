#!/bin/sh
# ctest driver: storage keys and extrinsics against polkadot.js (npm).
# Usage: storage_extrinsic.sh <path of interop_chain_vectors>
# Exit 0 pass, 1 mismatch, 77 skipped (no node/npm, no registry, no fixtures).
set -u
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "SKIP: node or npm is not installed"
  exit 77
fi
vectors=$(mktemp)
trap 'rm -f "$vectors"' EXIT
"$1" >"$vectors"
rc=$?
if [ "$rc" -eq 77 ]; then
  echo "SKIP: the finney fixtures are absent"
  exit 77
fi
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
exec node storage_extrinsic.mjs "$vectors"
