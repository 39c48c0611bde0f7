#!/usr/bin/env bash
# The kernel variants of results/cpu.md that are compile-time choices: each
# is built in its own folder (build-variants/NAME) and timed with
# `bench hashrate --threads 1` on the path it changes, round-robin with the
# default build, REPEATS times (default 3), so that a neighbour's load hits
# every variant alike. Prints every run, then the median and the best.
#
# Usage: scripts/cpu_variants.sh [SECONDS] [REPEATS]   (default 5, 3)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-5}
repeats=${2:-3}
build_variant() { # NAME CC CFLAGS [OPTIMIZATION]
  local dir=build-variants/$1
  CC=$2 cmake -S . -B "$dir" -DSUBPOW_WITH_CUDA=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "-DCMAKE_C_FLAGS=$3" "-DCMAKE_C_FLAGS_RELWITHDEBINFO=${4:--O2} -g -DNDEBUG" >/dev/null
  cmake --build "$dir" -j"$(nproc)" --target bench >/dev/null
}
rate() { # VARIANT ISA: MH/s
  "build-variants/$1/bench" hashrate --backend cpu --isa "$2" --threads 1 --seconds "$secs" \
    --json | sed -n 's/.*"hashes_per_second": \([0-9]*\).*/\1/p' | awk '{printf "%.2f", $1 / 1e6}'
}
build_variant default cc ""
build_variant shani-streams-1 cc "-DSHANI_STREAMS=1"
build_variant shani-streams-2 cc "-DSHANI_STREAMS=2"
build_variant shani-streams-8 cc "-DSHANI_STREAMS=8"
build_variant keccak-full-unroll cc "-DKECCAK_FULL_UNROLL=1"
build_variant o3 cc "" -O3
build_variant clang clang ""
cases=(
  "default avx512+shani" "shani-streams-1 avx512+shani" "shani-streams-2 avx512+shani"
  "shani-streams-8 avx512+shani"
  "default avx512" "keccak-full-unroll avx512" "o3 avx512" "clang avx512"
  "default avx2" "keccak-full-unroll avx2" "o3 avx2" "clang avx2"
  "default portable" "keccak-full-unroll portable" "o3 portable" "clang portable")
echo "# $(date -u +%FT%TZ)  $(lscpu | sed -n 's/^Model name: *//p')  load $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A runs
for ((r = 0; r < repeats; r++)); do
  for c in "${cases[@]}"; do runs[$c]+="$(rate $c) "; done
done
for c in "${cases[@]}"; do
  sorted=$(echo ${runs[$c]} | tr ' ' '\n' | sort -n)
  n=$(echo "$sorted" | wc -l)
  printf '%-30s runs %s median %s best %s MH/s\n' "$c" "${runs[$c]}" \
    "$(echo "$sorted" | sed -n "$(((n + 1) / 2))p")" "$(echo "$sorted" | tail -1)"
done
echo "# load after $(cut -d' ' -f1-3 /proc/loadavg)"
