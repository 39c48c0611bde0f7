#!/usr/bin/env bash
# The measurements of results/cpu.md in one run: the anchors (the reference
# backend, the SDK's Python loop) and the cpu backend on every kernel path
# this CPU runs, with one thread and with one per CPU, round-robin REPEATS
# times (default 3) so that a neighbour's load hits every row alike. Each
# run waits (up to 2 minutes) until the machine is otherwise idle: the
# development machines are shared. Prints every run, then the median and
# the best, in MH/s.
#
# Usage: scripts/cpu_bench.sh [BUILD_DIR] [SECONDS] [REPEATS]
#        (default build-cpu, 5, 3)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-cpu}
secs=${2:-5}
repeats=${3:-3}
bench="$build/bench"
[ -x "$bench" ] || { echo "cpu_bench.sh: no $bench (build first)" >&2; exit 2; }
cpus=$(nproc)

hashrate() { # bench hashrate arguments: MH/s, or nothing when bench refuses
  "$bench" hashrate --seconds "$secs" --json "$@" 2>/dev/null |
    sed -n 's/.*"hashes_per_second": \([0-9]*\).*/\1/p' | awk '{printf "%.3f", $1 / 1e6}'
}
sdk() { # PROCESSES: MH/s
  /usr/bin/python3 scripts/sdk_anchor.py --seconds "$secs" --processes "$1" |
    sed -n 's/.* rate \([0-9.]*\) kH\/s/\1/p' | awk '{printf "%.4f", $1 / 1e3}'
}

# The kernel paths of cpu_backend.h, fastest first; bench refuses (exit 2)
# those this CPU lacks.
cases=("reference" "sdk 1" "sdk $cpus")
best=""
for isa in avx512 avx512+shani avx2+shani avx2 shani portable; do
  if "$bench" hashrate --backend cpu --isa "$isa" --seconds 0.1 >/dev/null 2>&1; then
    cases+=("cpu $isa 1")
    best=${best:-$isa}
  else
    echo "# cpu --isa $isa: this CPU lacks it"
  fi
done
cases+=("cpu $best $cpus" "cpu default")

busy_share() { # percent of all CPUs not idle over one second
  local a b c d e f g h t1 i1
  read -r _ a b c d e f g h _ </proc/stat
  t1=$((a + b + c + d + e + f + g + h)) i1=$((d + e))
  sleep 1
  read -r _ a b c d e f g h _ </proc/stat
  echo $((100 - 100 * (d + e - i1) / (a + b + c + d + e + f + g + h - t1)))
}
wait_idle() {
  local waited=0
  while [ "$(busy_share)" -gt 3 ] && [ $waited -lt 120 ]; do waited=$((waited + 1)); done
  [ $waited -lt 120 ] || echo "# never idle for 2 minutes before a run of: $*" >&2
}
measure() {
  wait_idle "$@"
  case $1 in
  reference) hashrate --backend reference ;;
  sdk) sdk "$2" ;;
  cpu) if [ "$2" = default ]; then hashrate --backend cpu; else
         hashrate --backend cpu --isa "$2" --threads "$3"; fi ;;
  esac
}
echo "# $(date -u +%FT%TZ)  $(lscpu | sed -n 's/^Model name: *//p')  $cpus CPUs"
echo "# $bench, $secs s a run, $repeats runs a row; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A runs
for ((r = 0; r < repeats; r++)); do
  for c in "${cases[@]}"; do runs[$c]+="$(measure $c) "; done
done
for c in "${cases[@]}"; do
  sorted=$(echo ${runs[$c]} | tr ' ' '\n' | sort -n)
  n=$(echo "$sorted" | wc -l)
  printf '%-22s runs %s median %s best %s MH/s\n' "$c" "${runs[$c]}" \
    "$(echo "$sorted" | sed -n "$(((n + 1) / 2))p")" "$(echo "$sorted" | tail -1)"
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
