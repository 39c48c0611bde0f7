#!/bin/sh
# ctest driver of the real-runtime suite (issue 12): `bench register` and
# `bench faucet` against the real Subtensor runtimes of
# ../shared/fixtures/runtimes/ under Chopsticks, and the mock node held to
# the same scenario table (run.mjs).
#
# Usage: realchain.sh BENCH SHARED_DIR [run.mjs options, e.g. --scheme ws,
# or --table modern: the burned-registration table on the mock alone]
# Exit 0 pass, 1 fail, 77 skipped (one line: no node/npm, no registry, no
# fixtures). Installs the locked packages into regress/realchain/node_modules
# (gitignored) with `npm ci`, then applies the patch in patches/
# (chopsticks' Aura slot-duration call, real-runtime.md) with patch-package.
set -u
here=$(cd "$(dirname "$0")" && pwd)
bench=$1
shared=$2
shift 2
runtimes=$shared/fixtures/runtimes
# The modern table (--table modern) runs on the mock alone: no runtime files.
case " $* " in
  *" --table modern "*) need_runtimes="" ;;
  *) need_runtimes="raonet-spec218.json spec293-aura-dev.code" ;;
esac
for f in $need_runtimes; do
  if [ ! -r "$runtimes/$f" ]; then
    echo "SKIP: real-runtime suite not run: $runtimes/$f is absent"
    exit 77
  fi
done
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
exec node run.mjs --bench "$bench" --shared "$shared" "$@"
