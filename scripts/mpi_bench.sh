#!/usr/bin/env bash
# The fleet benchmark of results/mpi.md (not a test): the CPU rate of one
# plain process and of 1 and 2 MPI ranks of one thread each, measured two
# ways, and the start-up cost of the MPI path.
#   hashrate  bench hashrate --backend cpu --threads 1 (no MPI call while
#             hashing: each rank measures on its own, rank 0 sums)
#   register  bench register against `bench mock-node` at a difficulty no
#             nonce meets, --seconds S: rank 0's engine hands chunks to the
#             other ranks over MPI, so this includes the fleet's messaging
# Besides the rate (hashes / wall seconds), each row gives hashes per CPU
# second of the whole job (every rank and mpirun, from /usr/bin/time): on a
# shared machine the wall rate follows the share of the cores the scheduler
# grants, the rate per CPU second follows what the code costs.
# Rounds interleave the configurations so that a change in the load of a
# shared machine hits all of them alike; medians are reported.
# usage: scripts/mpi_bench.sh [build/bench]   (RUNS=5 SECS=3 by default)
set -euo pipefail
bench=$(realpath "${1:-build/bench}")
runs=${RUNS:-5}
secs=${SECS:-3}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mpi=(mpirun --oversubscribe --bind-to none)
tmp=$(mktemp -d)
trap 'kill "$node" 2>/dev/null || true; rm -rf "$tmp"' EXIT

"$bench" wallet create --wallet-path "$tmp/w" --no-password >/dev/null
port=$((20000 + RANDOM % 20000))
"$bench" mock-node --port "$port" --difficulty 1=18000000000000000000 \
  >"$tmp/node.log" 2>&1 &
node=$!
for _ in $(seq 100); do grep -q listening "$tmp/node.log" && break; sleep 0.1; done
url=http://127.0.0.1:$port

# run NAME EXPR CMD...: runs CMD under /usr/bin/time (user + system seconds
# of the command and every process it waited for: mpirun waits for its
# ranks) and appends "rate hashes cpu_seconds" to $tmp/NAME, where EXPR
# picks (rate, hashes) out of the JSON object d on CMD's stdout.
run() {
  local name=$1 expr=$2
  shift 2
  /usr/bin/time -f "%U %S" -o "$tmp/time" "$@" >"$tmp/out" 2>/dev/null || true
  python3 - "$expr" "$tmp/out" "$tmp/time" >>"$tmp/$name" <<'PY'
import json, sys
d = json.loads(open(sys.argv[2]).read())
rate, hashes = eval(sys.argv[1])
u, s = map(float, open(sys.argv[3]).read().split()[-2:])
print(rate, hashes, u + s)
PY
}
hr=(--backend cpu --threads 1 --no-pin --seconds "$secs" --json)
rg=(register --network "$url" --wallet-path "$tmp/w" --backend cpu --threads 1
    --no-pin --seconds "$secs" --json --journal "$tmp/j" --no-output-in-place)
one='(d["hashes_per_second"], d["hashes"])'
tot='(d["total"]["hashes_per_second"], d["total"]["hashes"])'

for i in $(seq "$runs"); do
  run hr_plain "$one" "$bench" hashrate "${hr[@]}"
  run hr_np1 "$tot" "${mpi[@]}" -np 1 "$bench" hashrate "${hr[@]}"
  run hr_np2 "$tot" "${mpi[@]}" -np 2 "$bench" hashrate "${hr[@]}"
  run rg_plain "$one" "$bench" "${rg[@]}"
  run rg_np1 "$one" "${mpi[@]}" -np 1 "$bench" "${rg[@]}"
  run rg_np2 "$one" "${mpi[@]}" -np 2 "$bench" "${rg[@]}"
  echo "round $i of $runs done" >&2
done

# median COLUMN FILE (column 1: rate, 2/3: hashes per CPU second)
median() {
  awk -v c="$1" '{print (c == 1 ? $1 : $2 / $3)}' "$2" | sort -g |
    awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'
}
all() { awk '{print $1 / 1e6}' "$1" | sort -g | awk '{printf "%s%.2f", (NR > 1 ? " " : ""), $1}'; }
printf '| command | ranks x threads | median MH/s | median MH per CPU-second | runs (MH/s, sorted) |\n|---|---|---|---|---|\n'
for k in hr_plain:"bench hashrate (plain process)":1x1 hr_np1:"mpirun -np 1 bench hashrate":1x1 \
         hr_np2:"mpirun -np 2 bench hashrate":2x1 rg_plain:"bench register (plain process)":1x1 \
         rg_np1:"mpirun -np 1 bench register":1x1 rg_np2:"mpirun -np 2 bench register":2x1; do
  f=${k%%:*}; rest=${k#*:}; name=${rest%:*}; rt=${rest##*:}
  printf '| %s | %s | %.3f | %.3f | %s |\n' "$name" "$rt" \
    "$(median 1 "$tmp/$f" | awk '{print $1/1e6}')" \
    "$(median 2 "$tmp/$f" | awk '{print $1/1e6}')" "$(all "$tmp/$f")"
done

echo
echo "start-up: wall time of a 0.1 s measurement (hyperfine)"
if command -v hyperfine >/dev/null; then
  hyperfine --warmup 1 --runs 10 -N --style basic \
    "$bench hashrate --backend cpu --threads 1 --no-pin --seconds 0.1" \
    "${mpi[*]} -np 1 $bench hashrate --backend cpu --threads 1 --no-pin --seconds 0.1" \
    "${mpi[*]} -np 2 $bench hashrate --backend cpu --threads 1 --no-pin --seconds 0.1" \
    --export-markdown "$tmp/startup.md" >&2
  cat "$tmp/startup.md"
else
  echo "(hyperfine not installed)"
fi
