#!/usr/bin/env bash
# The one command a GPU machine runs for the CUDA backend: the checks, the
# tests, the hash rate of each kernel variant, a short table last.
#
# usage: scripts/device-cuda.sh DIR
#   DIR holds a build made elsewhere: bench, test_cuda, vectors/ and lib/
#   (shared libraries the GPU machine lacks, e.g. Criterion). Build with
#   scripts/device-cuda-pack.sh.
# environment:
#   OUT       where logs go (default DIR/out)
#   SECS      seconds per hash-rate run (default 5)
#   VARIANTS  kernel variants to time (default: every variant built in)
#   TPBS      threads per block to try for the first variant (default 128 256 512)
#   NCU       variants to profile with Nsight Compute, if ncu is there (default none)
#   LONG      seconds of the closing run with every option at its default (default 20)
#   SKIP_TESTS=1 skips verify and test_cuda
set -uo pipefail
dir=${1:?usage: scripts/device-cuda.sh DIR}
cd "$dir" || exit 2
export LD_LIBRARY_PATH=$PWD/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
out=${OUT:-$PWD/out}
mkdir -p "$out"
secs=${SECS:-5}
status=0

nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm,power.limit,temperature.gpu \
  --format=csv | tee "$out/gpu.txt"
# SM clock, power and temperature every half second for the whole run.
nvidia-smi --query-gpu=timestamp,clocks.sm,power.draw,temperature.gpu,utilization.gpu \
  --format=csv,noheader -lms 500 >"$out/smi.csv" 2>/dev/null &
smi=$!

if [ "${SKIP_TESTS:-0}" != 1 ]; then
  ./bench verify --backend cuda --vectors vectors --random-cases 1000 >"$out/verify.txt" 2>&1 \
    || status=1
  tail -n 3 "$out/verify.txt"
  SUBPOW_TEST_VECTORS=$PWD/vectors SUBPOW_TEST_BENCH=$PWD/bench \
    ./test_cuda --jobs 1 --verbose >"$out/test_cuda.txt" 2>&1 || status=1
  grep -E 'FAIL|Synthesis|device 0:' "$out/test_cuda.txt"
fi

if [ -z "${VARIANTS:-}" ]; then
  # The list is in the message for an unknown variant.
  VARIANTS=$(./bench hashrate --backend cuda --isa '?' 2>&1 | sed -n 's/.*(known: \(.*\)).*/\1/p' | tr -d ',')
fi
first=${VARIANTS%% *}
: >"$out/hashrate.jsonl"
run_rate() { # variant tpb seconds (variant and tpb "default": not given)
  local t0 t1 args=()
  [ "$1" != default ] && args+=(--isa "$1")
  [ "$2" != default ] && args+=(--tpb "$2")
  t0=$(date +%s.%N)
  ./bench hashrate --backend cuda "${args[@]}" --seconds "$3" --json \
    >>"$out/hashrate.jsonl" 2>>"$out/hashrate.err" || status=1
  t1=$(date +%s.%N)
  echo "$1 $2 $t0 $t1" >>"$out/hashrate.times"
}
for v in $VARIANTS; do run_rate "$v" 256 "$secs"; done
for t in ${TPBS:-128 512}; do run_rate "$first" "$t" "$secs"; done
# The figure the issue asks for: bench hashrate with every option at its
# default, sustained.
run_rate default default "${LONG:-20}"
kill "$smi" 2>/dev/null

if command -v cuobjdump >/dev/null; then
  cuobjdump -sass -arch sm_90 bench 2>/dev/null | gzip -9 >"$out/sass_sm90.txt.gz"
fi
for v in ${NCU:-}; do
  if command -v ncu >/dev/null; then
    timeout 120 ncu --clock-control none --launch-skip 6 --launch-count 1 \
      --section SpeedOfLight --section ComputeWorkloadAnalysis --section Occupancy \
      --section InstructionStats --print-details all \
      --metrics 'regex:sm__inst_executed_pipe_.*\.avg\.pct_of_peak_sustained_active,regex:sm__pipe_.*_cycles_active\.avg\.pct_of_peak_sustained_active' \
      ./bench hashrate --backend cuda --isa "$v" --seconds 2 >"$out/ncu-$v.txt" 2>&1
  fi
done

# The table: rate per variant and tpb, with the median SM clock sampled
# while that run was going.
python3 - "$out" <<'EOF'
import json, statistics, sys, datetime
out = sys.argv[1]
rows = [json.loads(l) for l in open(f"{out}/hashrate.jsonl") if l.strip()]
times = [l.split() for l in open(f"{out}/hashrate.times")]
smi = []
for l in open(f"{out}/smi.csv"):
    f = [x.strip() for x in l.split(",")]
    try:
        ts = datetime.datetime.strptime(f[0], "%Y/%m/%d %H:%M:%S.%f").timestamp()
        smi.append((ts, float(f[1].split()[0]), float(f[2].split()[0])))
    except (ValueError, IndexError):
        pass
print(f"{'variant':12} {'tpb':>4} {'GH/s':>7} {'MHz':>6} {'W':>5}  isa")
for r, (v, tpb, t0, t1) in zip(rows, times):
    s = [x for x in smi if float(t0) + 1 <= x[0] <= float(t1)]
    mhz = statistics.median(x[1] for x in s) if s else float("nan")
    w = statistics.median(x[2] for x in s) if s else float("nan")
    print(f"{v:12} {tpb:>4} {r['hashes_per_second']/1e9:7.3f} {mhz:6.0f} {w:5.0f}  {r['isa']}")
EOF
exit $status
