#!/usr/bin/env bash
# Runs every libFuzzer target for a bounded time (default 20 s each):
#   bash scripts/fuzz.sh [SECONDS] [TARGET...]
# Builds with clang, ASan and UBSan in build-fuzz/ (every library is
# instrumented, see SUBPOW_FUZZ in CMakeLists.txt), generates seeds from the
# vectors, the mock node and the finney fixtures (build-fuzz/seeds/), and
# runs as many targets at once as there are CPUs. New inputs that libFuzzer
# finds go to build-fuzz/corpus/<target>/ (the committed regress/corpus/ is
# only read); a crash or a broken property stops that target with its input
# saved as build-fuzz/crash-<target>-*: copy it into regress/corpus/<target>/
# so that it becomes a regression test (replay_<target>), then fix the bug.
# Exit status 1 when any target failed.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
shift || true
jobs=$(nproc)
CC=clang cmake -S . -B build-fuzz -DSUBPOW_FUZZ=ON -DSUBPOW_WITH_CUDA=OFF \
  -DSUBPOW_WERROR="${SUBPOW_WERROR:-OFF}" \
  -DCMAKE_BUILD_TYPE=Debug >/dev/null
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for src in regress/fuzz/fuzz_*.c; do
    name=$(basename "$src" .c)
    targets+=("${name#fuzz_}")
  done
fi
cmake --build build-fuzz -j"$jobs" --target fuzz_seeds \
  "${targets[@]/#/fuzz_}" >/dev/null
rm -rf build-fuzz/seeds
build-fuzz/regress/fuzz_seeds build-fuzz/seeds

run_one() {
  local target=$1
  mkdir -p "build-fuzz/corpus/$target" "build-fuzz/seeds/$target"
  # -timeout: one input taking seconds is a hang, a failure like a crash
  # (the metadata bombs in regress/corpus/metadata/bomb-* took minutes and
  # gigabytes before types got minimum sizes and decodes a budget, issue
  # 13; they now take milliseconds). -rss_limit_mb catches the memory.
  if "build-fuzz/regress/fuzz_$target" -max_total_time="$seconds" \
      -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="build-fuzz/crash-$target-" \
      "build-fuzz/corpus/$target" "regress/corpus/$target" \
      "build-fuzz/seeds/$target" > "build-fuzz/fuzz-$target.log" 2>&1; then
    local runs
    runs=$(grep -ao 'stat::number_of_executed_units: *[0-9]*' \
      "build-fuzz/fuzz-$target.log" | tail -1 | grep -o '[0-9]*$' || echo "?")
    echo "fuzz $target: ok (${seconds}s, $runs inputs)"
  else
    echo "fuzz $target: FAILED (see build-fuzz/fuzz-$target.log)"
    grep -aE 'ERROR|fuzz property|SUMMARY|Test unit written' \
      "build-fuzz/fuzz-$target.log" | head -20
    return 1
  fi
}

status=0
pids=()
for target in "${targets[@]}"; do
  run_one "$target" &
  pids+=($!)
  # at most $jobs at once: wait for the oldest before starting another
  if [ ${#pids[@]} -ge "$jobs" ]; then
    wait "${pids[0]}" || status=1
    pids=("${pids[@]:1}")
  fi
done
for pid in "${pids[@]}"; do
  wait "$pid" || status=1
done
exit $status
