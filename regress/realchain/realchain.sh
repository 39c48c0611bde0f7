#!/bin/sh
# ctest driver of the real-runtime suite: `bench register` and `bench
# faucet` against real Subtensor runtimes under Chopsticks, and the mock
# node held to the same scenario table (run.mjs).
#
# Usage: realchain.sh BENCH SHARED_DIR [run.mjs options, e.g. --scheme ws]
# The runtimes (raonet-spec218.json, spec293-aura-dev.code) are looked for
# in $SUBPOW_RUNTIMES_DIR when it is set, else in SHARED_DIR/fixtures/runtimes
# (a copy kept beside the repository), else where scripts/fetch-runtimes.sh
# puts them by default (~/.cache/subpow/runtimes).
# Exit 0 pass, 1 fail, 77 skipped (one line: no node/npm, no registry, no
# runtimes). Installs the locked packages into regress/realchain/node_modules
# (gitignored) with `npm ci`, then applies the patch in patches/
# (chopsticks' Aura slot-duration call, docs/real-runtime.md) with
# patch-package.
set -u
here=$(cd "$(dirname "$0")" && pwd)
bench=$1
shared=$2
shift 2
fetch=$here/../../scripts/fetch-runtimes.sh
have_runtimes() {
  [ -r "$1/raonet-spec218.json" ] && [ -r "$1/spec293-aura-dev.code" ]
}
if [ -n "${SUBPOW_RUNTIMES_DIR:-}" ]; then
  runtimes=$SUBPOW_RUNTIMES_DIR
elif have_runtimes "$shared/fixtures/runtimes"; then
  runtimes=$shared/fixtures/runtimes
else
  runtimes=${XDG_CACHE_HOME:-$HOME/.cache}/subpow/runtimes
fi
if ! have_runtimes "$runtimes"; then
  echo "SKIP: real-runtime suite not run: no runtimes in $runtimes (get them with: bash scripts/fetch-runtimes.sh${SUBPOW_RUNTIMES_DIR:+ --dest $runtimes})"
  exit 77
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "SKIP: real-runtime suite not run: node or npm is not installed"
  exit 77
fi
cd "$here" || exit 1
log=$(mktemp) || exit 1
trap 'rm -f "$log"' EXIT
# node_modules is current when npm's hidden lock file is newer than ours
# and the patch is applied. A lock keeps parallel runs from installing at
# once; few, short retries: an unreachable registry skips in seconds.
ci() {
  [ node_modules/.package-lock.json -nt package-lock.json ] &&
    grep -q 'allowUnresolvedImports: true' \
      node_modules/@acala-network/chopsticks-core/dist/cjs/wasm-executor/index.js \
      2>/dev/null && return 0
  # --ignore-scripts: no native build of sqlite3 (chopsticks needs it only
  # for --db, and building it from source takes minutes here); the one
  # install step needed, the patch, is then applied explicitly.
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error \
    --fetch-retries=1 --fetch-retry-mintimeout=1000 \
    --fetch-retry-maxtimeout=3000 >"$log" 2>&1 &&
    npx --no-install patch-package --error-on-fail >>"$log" 2>&1
}
if command -v flock >/dev/null 2>&1; then
  (flock 9 && ci) 9>"${TMPDIR:-/tmp}/subpow-realchain-npm.lock"
else
  ci
fi
rc=$?
if [ "$rc" -ne 0 ]; then
  # No registry: skip. Anything else (a patch that no longer applies, a
  # broken lock file) is a failure.
  if grep -Eq 'E(NOTFOUND|CONNREFUSED|CONNRESET|AI_AGAIN|TIMEDOUT|NETUNREACH)|network' "$log"; then
    echo "SKIP: real-runtime suite not run: npm ci cannot reach the registry: $(grep -m1 -E 'code|network' "$log")"
    exit 77
  fi
  echo "FAIL: npm ci failed (exit $rc):"
  cat "$log"
  exit 1
fi
rm -f "$log"
# exec: a timeout signal reaches run.mjs, which stops what it started.
exec node run.mjs --bench "$bench" --shared "$shared" --runtimes "$runtimes" "$@"
