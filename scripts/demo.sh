#!/usr/bin/env bash
# The README's main job: build, then register a freshly created demo wallet's
# hotkey on the embedded mock Subtensor node, solving on the fastest backend
# this machine has verified (bench's --backend auto), with live status.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
wallets=$(mktemp -d /tmp/subpow-demo-XXXXXX)
trap 'rm -rf "$wallets"' EXIT
echo "== a demo wallet (unencrypted, in $wallets)"
build/bench wallet create --wallet-path "$wallets" --no-password
echo "== registering its hotkey on the embedded mock node (subnet 1)"
build/bench register --wallet-path "$wallets" --backend auto --netuid 1
