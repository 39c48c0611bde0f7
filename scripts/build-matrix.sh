#!/usr/bin/env bash
# Builds (no tests) the command and every library it links, for each
# compiler and build type named, with warnings as errors, CUDA off:
#   bash scripts/build-matrix.sh [COMPILER:BUILD_TYPE ...]
# Default: all of gcc and clang times Debug, RelWithDebInfo and Release.
# Each combination gets its own build-matrix/<compiler>-<type>/ (kept, so a
# second run only rebuilds what changed). Warnings differ with the
# optimization level (gcc's -Wmaybe-uninitialized fires only when it
# inlines), which is why every build type is built, not just the one the
# suite runs. Bounded: `timeout` stops a build that takes over
# SUBPOW_MATRIX_TIMEOUT seconds (default 900) each.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
limit=${SUBPOW_MATRIX_TIMEOUT:-900}
combos=("$@")
if [ ${#combos[@]} -eq 0 ]; then
  for cc in gcc clang; do
    for type in Debug RelWithDebInfo Release; do combos+=("$cc:$type"); done
  done
fi
for combo in "${combos[@]}"; do
  cc=${combo%%:*} type=${combo#*:}
  dir=build-matrix/$cc-$type
  echo "== build $cc $type ($dir)"
  start=$SECONDS
  CC=$cc cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE="$type" -DSUBPOW_WERROR=ON \
    -DSUBPOW_WITH_CUDA=OFF >/dev/null
  # Only the command: it links every library; tests are built elsewhere.
  if ! timeout "$limit" cmake --build "$dir" -j"$jobs" --target bench \
      > "$dir/build.log" 2>&1; then
    grep -E 'error|warning' "$dir/build.log" | head -40 || tail -40 "$dir/build.log"
    echo "FAILED: $cc $type (log: $dir/build.log)"
    exit 1
  fi
  echo "   ok in $((SECONDS - start)) s"
done
