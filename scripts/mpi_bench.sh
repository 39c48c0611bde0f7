#!/usr/bin/env bash
# The fleet benchmark of results/mpi.md (not a test): the CPU rate of one
# plain process and of 1 and 2 MPI ranks of one thread each, measured two
# ways, and the start-up cost of the MPI path.
#   hashrate  bench hashrate --backend cpu --threads 1 (no MPI call while
#             hashing: each rank measures on its own, rank 0 sums)
#   register  bench register against `bench mock-node` at a difficulty no
#             nonce meets, --seconds S: rank 0's engine hands chunks to the
#             other ranks over MPI, so this includes the fleet's messaging
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

# field EXPR: EXPR of the JSON object d read from stdin.
field() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }
hr=(--backend cpu --threads 1 --no-pin --seconds "$secs" --json)
rg=(register --network "$url" --wallet-path "$tmp/w" --backend cpu --threads 1
    --no-pin --seconds "$secs" --json --journal "$tmp/j" --no-output-in-place)

for i in $(seq "$runs"); do
  "$bench" hashrate "${hr[@]}" | field 'd["hashes_per_second"]' >>"$tmp/hr_plain"
  "${mpi[@]}" -np 1 "$bench" hashrate "${hr[@]}" | field 'd["total"]["hashes_per_second"]' >>"$tmp/hr_np1"
  "${mpi[@]}" -np 2 "$bench" hashrate "${hr[@]}" | field 'd["total"]["hashes_per_second"]' >>"$tmp/hr_np2"
  "$bench" "${rg[@]}" 2>/dev/null | field 'd["hashes_per_second"]' >>"$tmp/rg_plain" || true
  "${mpi[@]}" -np 1 "$bench" "${rg[@]}" 2>/dev/null | field 'd["hashes_per_second"]' >>"$tmp/rg_np1" || true
  "${mpi[@]}" -np 2 "$bench" "${rg[@]}" 2>/dev/null | field 'd["hashes_per_second"]' >>"$tmp/rg_np2" || true
  echo "round $i of $runs done" >&2
done

median() { sort -n "$1" | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
all() { sort -n "$1" | awk '{printf "%s%.2f", (NR > 1 ? " " : ""), $1 / 1e6}'; }
printf '| command | ranks x threads | median MH/s | runs (MH/s, sorted) |\n|---|---|---|---|\n'
for k in hr_plain:"bench hashrate (plain process)":1x1 hr_np1:"mpirun -np 1 bench hashrate":1x1 \
         hr_np2:"mpirun -np 2 bench hashrate":2x1 rg_plain:"bench register (plain process)":1x1 \
         rg_np1:"mpirun -np 1 bench register":1x1 rg_np2:"mpirun -np 2 bench register":2x1; do
  f=${k%%:*}; rest=${k#*:}; name=${rest%:*}; rt=${rest##*:}
  printf '| %s | %s | %.3f | %s |\n' "$name" "$rt" "$(median "$tmp/$f" | awk '{print $1/1e6}')" "$(all "$tmp/$f")"
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
