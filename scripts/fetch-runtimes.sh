#!/usr/bin/env bash
# Fetches the real Subtensor runtimes that the real-runtime test suite
# (regress/realchain, `ctest -R realchain`) runs under Chopsticks, from the
# public repository github.com/opentensor/subtensor at fixed commits, and
# checks each file's sha256 before it is put in place.
#
#   raonet-spec218.json    spec 218 (rule chain-be): the raw chain spec
#                          scripts/specs/raonet.json as committed
#   spec293-aura-dev.code  spec 293 (rule chain-le): the runtime code, the
#                          hex string genesis.runtimeGenesis.code of
#                          aura-dev.json, written as bytes (zstd-compressed
#                          wasm behind Substrate's 8-byte prefix)
#
# Usage: scripts/fetch-runtimes.sh [--dest DIR] [--base URL] [--print-dir]
#   --dest DIR   where to put them; default $SUBPOW_RUNTIMES_DIR, else
#                ${XDG_CACHE_HOME:-~/.cache}/subpow/runtimes (the suite looks
#                there too)
#   --base URL   the raw-file root of the repository; default
#                https://raw.githubusercontent.com/opentensor/subtensor
#                (a file:// URL of a local copy laid out as COMMIT/PATH works)
#   --print-dir  print the default directory and exit
# Exit 0 when both files are in place with the expected sha256 (files already
# there and correct are not fetched again), 1 when a download or a check
# failed (nothing unchecked is left in DIR), 2 on bad usage.
set -euo pipefail

prog=fetch-runtimes.sh
# name | commit | path in the repository | how the file is made | sha256
RUNTIMES=(
  "raonet-spec218.json|14bc6f9f964b9cc362e9635dd110a487fa5d15a0|scripts/specs/raonet.json|copy|bb2c7e34390f8fb5032750cc7d80d23f91a47f56fdebf4c35a24c7938b96c57c"
  "spec293-aura-dev.code|f59e608b2128586215ea396156a1d04b14724888|aura-dev.json|genesis-code|8d168cc0eaff4ad325e67bb86b4c4868a9a83fa122224429959ec768177088fb"
)

default_dir() {
  if [ -n "${SUBPOW_RUNTIMES_DIR:-}" ]; then
    printf '%s\n' "$SUBPOW_RUNTIMES_DIR"
  else
    printf '%s\n' "${XDG_CACHE_HOME:-$HOME/.cache}/subpow/runtimes"
  fi
}

usage() {
  echo "usage: $prog [--dest DIR] [--base URL] [--print-dir]" >&2
  exit 2
}

fail_usage() {
  echo "$prog: $*" >&2
  exit 2
}

dest=""
base="https://raw.githubusercontent.com/opentensor/subtensor"
while [ $# -gt 0 ]; do
  case "$1" in
  --dest)
    [ $# -ge 2 ] || fail_usage "--dest needs a directory"
    [ -n "$2" ] || fail_usage "--dest: empty path"
    dest=$2
    shift 2
    ;;
  --base)
    [ $# -ge 2 ] || fail_usage "--base needs a URL"
    case "$2" in
    https://* | file://*) base=${2%/} ;;
    *) fail_usage "--base: '$2' is not an https:// or file:// URL" ;;
    esac
    shift 2
    ;;
  --print-dir)
    default_dir
    exit 0
    ;;
  -h | --help)
    sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
    exit 0
    ;;
  *) fail_usage "unknown argument '$1' (try --help)" ;;
  esac
done
[ -n "$dest" ] || dest=$(default_dir)

for tool in curl sha256sum python3; do
  command -v "$tool" >/dev/null 2>&1 ||
    fail_usage "$tool is not installed (bash scripts/install-deps.sh installs it)"
done
mkdir -p "$dest" || fail_usage "--dest: cannot create $dest"

sha_of() { sha256sum "$1" | cut -d' ' -f1; }

tmp=$(mktemp -d "$dest/.fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

failed=0
for entry in "${RUNTIMES[@]}"; do
  IFS='|' read -r name commit path how sha <<<"$entry"
  if [ -f "$dest/$name" ] && [ "$(sha_of "$dest/$name")" = "$sha" ]; then
    echo "$name: present, sha256 ok ($dest/$name)"
    continue
  fi
  url="$base/$commit/$path"
  echo "$name: fetching $url"
  # --proto: https, or a local copy for offline use; bounded in time.
  if ! curl -fsSL --proto '=https,file' --retry 2 --connect-timeout 15 \
    --max-time 600 -o "$tmp/source" "$url" 2>"$tmp/err"; then
    echo "$prog: $name: cannot fetch $url: $(tail -n 1 "$tmp/err" | head -c 300)" >&2
    failed=1
    continue
  fi
  case "$how" in
  copy) mv "$tmp/source" "$tmp/$name" ;;
  genesis-code)
    # The runtime is the hex string genesis.runtimeGenesis.code ("0x...").
    if ! python3 - "$tmp/source" "$tmp/$name" 2>"$tmp/err" <<'PY'; then
import json, sys
with open(sys.argv[1], "rb") as f:
    code = json.load(f)["genesis"]["runtimeGenesis"]["code"]
if not (isinstance(code, str) and code.startswith("0x")):
    sys.exit("genesis.runtimeGenesis.code is not a 0x-prefixed hex string")
with open(sys.argv[2], "wb") as f:
    f.write(bytes.fromhex(code[2:]))
PY
      echo "$prog: $name: $url holds no runtime code: $(tail -n 1 "$tmp/err")" >&2
      failed=1
      continue
    fi
    ;;
  esac
  got=$(sha_of "$tmp/$name")
  if [ "$got" != "$sha" ]; then
    echo "$prog: $name: sha256 $got, expected $sha: not installed (from $url)" >&2
    failed=1
    continue
  fi
  mv -f "$tmp/$name" "$dest/$name"
  echo "$name: sha256 ok, installed in $dest/$name"
done
if [ "$failed" -ne 0 ]; then
  echo "$prog: some runtimes are missing from $dest; the real-runtime suite skips without them" >&2
  exit 1
fi
echo "runtimes ready in $dest (ctest --test-dir build -R realchain finds them$([ "$dest" = "$(default_dir)" ] || echo " with SUBPOW_RUNTIMES_DIR=$dest"))"
