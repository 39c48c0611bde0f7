#!/usr/bin/env bash
# A fleet across a network boundary, on one machine: three "hosts" made as
# Linux network namespaces (h1, h2, h3), each joined by a veth pair to a
# switch namespace holding a bridge. Their addresses exist only inside these
# namespaces and no link reaches the machine's own namespace, so nothing the
# test sends leaves them. Open MPI starts its daemons on h2 and h3 through
# `ip netns exec` (an rsh agent written below) and the ranks talk over TCP
# only (btl tcp,self: no shared memory). Each host also gets its own UTS
# namespace, so that every rank reports the host name of its namespace.
#
#   usage: fleet_netns.sh BENCH FAKE_VERIFY [SCENARIO...]
#
# Scenarios (all by default): register, hashrate, sweep, verify, latency,
# linkdown, daemonkill. Exit 0 when every scenario passes, 1 when one fails,
# 77 (skipped, one line) when namespaces cannot be made here.
#
# Every namespace and link it made is removed on exit, also after a failure
# or an interrupt (SIGINT, SIGTERM, SIGHUP); the last thing the script does
# is check that none is left. SIGKILL leaves no such chance, and ctest's
# TIMEOUT (900 s, regress/CMakeLists.txt) kills with it: so a watchdog ends
# the run first, by SIGTERM to the script and its children, after
# SUBPOW_NETNS_TIMEOUT seconds (default 840), and each run starts by
# removing the namespaces sf<PID>* of runs whose process is gone.
# SUBPOW_NETNS_FAIL_AT=setup makes it fail right after the set-up, and
# SUBPOW_NETNS_READY=FIFO makes it write "ready" to a FIFO once the set-up
# is done and then wait for a signal: the cleanup test
# (fleet_netns_cleanup.sh) uses both, and SUBPOW_NETNS_TIMEOUT.
set -uo pipefail

BENCH=${1:?usage: fleet_netns.sh BENCH FAKE_VERIFY [SCENARIO...]}
FAKE=${2:?usage: fleet_netns.sh BENCH FAKE_VERIFY [SCENARIO...]}
shift 2
SCENARIOS=("$@")
[ ${#SCENARIOS[@]} -gt 0 ] ||
  SCENARIOS=(register hashrate sweep verify latency linkdown lostfound daemonkill)

skip() {
  echo "fleet_netns: skipped: $*"
  exit 77
}
say() { echo "fleet_netns: $*"; }

[ "$(id -u)" -eq 0 ] || skip "network namespaces need root"
MPIRUN=${SUBPOW_MPIEXEC:-mpirun}
for tool in ip unshare "$MPIRUN" python3 timeout ps; do
  command -v "$tool" >/dev/null 2>&1 || skip "$tool is not installed"
done
BENCH=$(readlink -f "$BENCH")
# A sanitized build: LeakSanitizer's exit-time scan reports the buffers
# Open MPI's TCP transport leaves behind in every rank, so the ranks run
# without it (ASan and UBSan still check them; bench's own leaks are
# checked by the single-process tests). fleet() passes it to every host.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
FAKE=$(readlink -f "$FAKE")

# Names unique to this run (interface names are at most 15 bytes), and a
# /24 from the 10/8 private range chosen by the PID: two runs at once do not
# meet (each has its own namespaces anyway).
TAG="sf$$"
NS_SW="${TAG}sw"
HOSTS=(h1 h2 h3)
NET="10.$((100 + $$ % 100)).$((($$ / 100) % 250)).0"
PREFIX="${NET%.0}"
declare -A ADDR NS
for i in 1 2 3; do
  ADDR[h$i]="$PREFIX.$i"
  NS[h$i]="${TAG}h$i"
done
WORK=$(mktemp -d /tmp/subpow-netns.XXXXXX)
MOCK_PID=""
SLEEP_PID=""
MADE_NS=()

# ------------------------------------------------------------ cleanup --
leftovers() {
  local left
  left=$(ip netns list 2>/dev/null | awk '{print $1}' | grep "^${TAG}" || true)
  left+=$(ip -o link show 2>/dev/null | grep -o "${TAG}[a-z0-9]*" || true)
  printf '%s' "$left"
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM HUP
  [ -n "${WATCHDOG_PID:-}" ] && kill "$WATCHDOG_PID" 2>/dev/null
  [ -n "$SLEEP_PID" ] && kill "$SLEEP_PID" 2>/dev/null
  [ -n "$MOCK_PID" ] && kill "$MOCK_PID" 2>/dev/null && wait "$MOCK_PID" 2>/dev/null
  # Every process still inside a namespace (an orphaned rank or daemon after
  # a fault) is ended before the namespace goes.
  for ns in "${MADE_NS[@]}"; do
    local pids
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    [ -n "$pids" ] && kill -9 $pids 2>/dev/null
  done
  for ns in "${MADE_NS[@]}"; do ip netns del "$ns" 2>/dev/null; done
  local left
  left=$(leftovers)
  if [ -n "$left" ]; then
    echo "fleet_netns: FAILED to remove: $left" >&2
    status=1
  fi
  [ -n "${SUBPOW_NETNS_KEEP:-}" ] && echo "kept $WORK" || rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# ------------------------------------------------- sweep and watchdog --
# Namespaces of earlier runs that were killed (SIGKILL runs no trap): named
# sf<PID>..., their PID no longer running. A run still going keeps its own.
sweep() {
  local ns pid pids
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
    [[ "$ns" =~ ^sf([0-9]+)(sw|h[0-9]+)$ ]] || continue
    pid=${BASH_REMATCH[1]}
    [ "$pid" != $$ ] && [ ! -d "/proc/$pid" ] || continue
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    [ -n "$pids" ] && kill -9 $pids 2>/dev/null
    ip netns del "$ns" 2>/dev/null &&
      say "removed namespace $ns, left by a run that was killed (pid $pid)"
  done
}
sweep

# Ends the run by SIGTERM before ctest's SIGKILL would: to the script (its
# trap runs cleanup) and to its children, so that a foreground command (an
# mpirun under timeout(1)) returns and the trap runs at once. It checks
# every second that the script is still its parent, and stops when not.
watchdog() {
  local limit=$1 t=0 p me=$BASHPID
  trap 'exit 0' TERM
  while [ "$t" -lt "$limit" ]; do
    sleep 1 >/dev/null 2>&1 &
    wait $!
    [ "$(ps -o ppid= -p "$me" | tr -d ' ')" = $$ ] || exit 0
    t=$((t + 1))
  done
  echo "fleet_netns: out of time after $limit s (SUBPOW_NETNS_TIMEOUT): stopping" >&2
  kill -TERM $$
  for p in $(ps -o pid= --ppid $$); do
    [ "$p" != "$me" ] && kill -TERM "$p" 2>/dev/null
  done
  exit 0
}
watchdog "${SUBPOW_NETNS_TIMEOUT:-840}" &
WATCHDOG_PID=$!

# ------------------------------------------------------------- set-up --
mkns() {
  ip netns add "$1" || skip "cannot make a network namespace (ip netns add)"
  MADE_NS+=("$1")
  ip -n "$1" link set lo up
}

setup() {
  mkns "$NS_SW"
  ip -n "$NS_SW" link add "${TAG}br" type bridge || skip "cannot make a bridge"
  ip -n "$NS_SW" link set "${TAG}br" up
  for h in "${HOSTS[@]}"; do
    mkns "${NS[$h]}"
    # One veth pair: "<tag><h>" inside the host, "<tag>s<h>" on the switch.
    ip link add "${TAG}$h" netns "${NS[$h]}" type veth peer name "${TAG}s$h" \
      netns "$NS_SW" || skip "cannot make a veth pair"
    ip -n "$NS_SW" link set "${TAG}s$h" master "${TAG}br"
    ip -n "$NS_SW" link set "${TAG}s$h" up
    ip -n "${NS[$h]}" addr add "${ADDR[$h]}/24" dev "${TAG}$h"
    ip -n "${NS[$h]}" link set "${TAG}$h" up
  done
  # Open MPI's rsh agent: called as `agent HOST COMMAND...`, like ssh.
  cat >"$WORK/agent" <<EOF
#!/bin/sh
host=\$1; shift
case "\$host" in
$(for h in "${HOSTS[@]}"; do echo "  ${ADDR[$h]}) ns=${NS[$h]}; name=$h ;;"; done)
  *) echo "netns agent: unknown host \$host" >&2; exit 255 ;;
esac
exec ip netns exec "\$ns" unshare --uts -- /bin/sh -c "hostname \$name; \$*"
EOF
  chmod +x "$WORK/agent"
  # h1 reaches h3 before anything runs (the bridge learns in milliseconds;
  # ping is not always installed, so a TCP round trip through bash).
  "$BENCH" wallet create --wallet-path "$WORK/wallet" --no-password \
    >/dev/null || { say "cannot make a wallet"; exit 1; }
}

# Runs a command on host $1 (its network and UTS namespaces).
on() {
  local h=$1
  shift
  ip netns exec "${NS[$h]}" unshare --uts -- /bin/sh -c \
    'hostname "$0"; exec "$@"' "$h" "$@"
}

# mpirun from h1 over the three hosts, TCP only, bounded by timeout(1).
# Extra mpirun options come first, then "--", then the program and its
# arguments (MPMD ":" parts included).
fleet() {
  local opts=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do
    opts+=("$1")
    shift
  done
  shift
  on h1 timeout "${FLEET_TIMEOUT:-240}" "$MPIRUN" \
    --allow-run-as-root \
    --host "${ADDR[h1]},${ADDR[h2]},${ADDR[h3]}" \
    --mca plm_rsh_agent "$WORK/agent" \
    --mca pml ob1 --mca btl tcp,self \
    --mca btl_tcp_if_include "$NET/24" --mca oob_tcp_if_include "$NET/24" \
    --mca oob_tcp_keepalive_time 5 --mca oob_tcp_keepalive_intvl 2 \
    --mca oob_tcp_keepalive_probes 3 \
    --bind-to none -x ASAN_OPTIONS "${opts[@]}" "$@"
}

# The mock node on h1's loopback (rank 0, on h1, alone talks to the chain).
start_mock() {
  local block_ms=$1 difficulty=$2
  shift 2
  on h1 "$BENCH" mock-node --port 0 --block-time "$block_ms" \
    --difficulty "1=$difficulty" "$@" >"$WORK/mock.out" 2>"$WORK/mock.err" &
  MOCK_PID=$!
  local i
  for i in $(seq 300); do
    URL=$(grep -o 'http://127.0.0.1:[0-9]*' "$WORK/mock.out" 2>/dev/null | head -1)
    [ -n "$URL" ] && return 0
    kill -0 "$MOCK_PID" 2>/dev/null || break
    sleep 0.1 # polling for the node's "listening" line, bounded (30 s)
  done
  say "the mock node did not start: $(cat "$WORK/mock.err")"
  exit 1
}

stop_mock() {
  [ -n "$MOCK_PID" ] && kill "$MOCK_PID" 2>/dev/null && wait "$MOCK_PID" 2>/dev/null
  MOCK_PID=""
}

# Before each scenario: no process left in any host from the one before
# (after a fault, Open MPI leaves the lost host's daemon and ranks behind),
# every link up with its carrier (bounded) and no stale neighbour entry.
reset_hosts() {
  local h pids i
  for h in "${HOSTS[@]}"; do
    pids=$(ip netns pids "${NS[$h]}" 2>/dev/null || true)
    [ -n "$pids" ] && kill -9 $pids 2>/dev/null
    ip -n "$NS_SW" link set "${TAG}s$h" up
    # A neighbour entry left FAILED while a link was down makes the next
    # connection to that host fail at once (EHOSTUNREACH).
    ip -n "${NS[$h]}" neigh flush all 2>/dev/null
  done
  for i in $(seq 100); do
    local down=0
    for h in "${HOSTS[@]}"; do
      [ -n "$(ip netns pids "${NS[$h]}" 2>/dev/null)" ] && down=1
      ip -n "${NS[$h]}" link show "${TAG}$h" | grep -q LOWER_UP || down=1
    done
    [ "$down" -eq 0 ] && return 0
    sleep 0.1 # polling link carriers and process exits, bounded (10 s)
  done
  say "hosts not reset: processes or a link still down"
  return 1
}

FAILED=0
fail() {
  say "FAIL $SCENARIO: $*"
  FAILED=1
}

# ---------------------------------------------------------- checkers --
# check_register OUT ERR JOURNAL TRACE STATUS: one submission, registered,
# the three hosts' chunks disjoint and summed into rank 0's count.
check_register() {
  python3 - "$@" <<'EOF'
import json, re, sys
out, err, journal, trace, status = sys.argv[1:6]
out, err = open(out).read(), open(err).read()
problems = []
if status != "0":
    problems.append(f"exit status {status}")
lines = [l for l in out.splitlines() if l.startswith("{")]
summary = json.loads(lines[-1]) if lines else {}
if summary.get("status") != "registered":
    problems.append(f"status {summary.get('status')!r}")
if summary.get("attempts") != 1:
    problems.append(f"attempts {summary.get('attempts')!r}")
if err.count("submitting") != 1:
    problems.append(f"{err.count('submitting')} submissions")
events = [json.loads(l).get("event") for l in open(journal) if l.strip()]
if events.count("found") < 1 or events.count("included") != 1:
    problems.append(f"journal events {events}")
chunks, hosts = [], {}
for rank in range(3):
    try:
        trace_lines = open(f"{trace}.rank{rank}").readlines()
    except OSError:
        trace_lines = []
        problems.append(f"rank {rank} scanned nothing")
    for l in trace_lines:
        m = dict(kv.split("=", 1) for kv in l.split())
        hosts.setdefault(int(m["rank"]), set()).add(m["host"])
        chunks.append((int(m["start"]), int(m["count"]), int(m["scanned"]), rank))
if hosts != {0: {"h1"}, 1: {"h2"}, 2: {"h3"}}:
    problems.append(f"ranks on hosts {hosts}")
chunks.sort()
for a, b in zip(chunks, chunks[1:]):
    if a[0] + a[1] > b[0]:
        problems.append(f"rank {a[3]} chunk {a[:2]} overlaps rank {b[3]} chunk {b[:2]}")
if summary.get("hashes") != sum(c[2] for c in chunks):
    problems.append(f"hashes {summary.get('hashes')} != sum of chunks "
                    f"{sum(c[2] for c in chunks)}")
print("; ".join(problems) or "OK")
EOF
}

# ---------------------------------------------------------- scenarios --
# One registration across the three hosts: one submission, disjoint nonces.
register_run() {
  local tag=$1
  rm -f "$WORK/trace".* "$WORK/j-$tag"
  start_mock 500 10000
  fleet -np 3 -x SUBPOW_FLEET_TRACE="$WORK/trace" -- \
    "$BENCH" register --network "$URL" --netuid 1 --wallet-path "$WORK/wallet" \
    --backend cpu --threads 1 --no-pin --journal "$WORK/j-$tag" --json \
    --no-output-in-place >"$WORK/out" 2>"$WORK/err"
  local st=$?
  stop_mock
  local problems
  problems=$(check_register "$WORK/out" "$WORK/err" "$WORK/j-$tag" \
    "$WORK/trace" "$st")
  [ "$problems" = OK ] || fail "$problems; stderr: $(tail -5 "$WORK/err")"
}

scenario_register() { register_run plain; }

# Each rank's row in the merged hashrate, named by its host.
scenario_hashrate() {
  fleet -np 3 -- "$BENCH" hashrate --backend cpu --threads 1 --no-pin \
    --seconds 0.5 --json >"$WORK/out" 2>"$WORK/err"
  local st=$?
  local problems
  problems=$(python3 - "$WORK/out" "$st" <<'EOF'
import json, sys
text, status = open(sys.argv[1]).read(), sys.argv[2]
problems = [] if status == "0" else [f"exit status {status}"]
try:
    doc = json.loads(text[text.index("{"):])
except ValueError as e:
    print(f"no JSON ({e}): {text[:300]}")
    sys.exit()
ranks = doc.get("ranks", [])
got = sorted((r.get("rank"), r.get("host")) for r in ranks)
if got != [(0, "h1"), (1, "h2"), (2, "h3")]:
    problems.append(f"rows {got}")
print("; ".join(problems) or "OK")
EOF
  )
  [ "$problems" = OK ] || fail "$problems; stderr: $(tail -5 "$WORK/err")"
}

# The merged sweep: one row per rank and a fleet total.
scenario_sweep() {
  fleet -np 3 -- "$BENCH" sweep --backend cpu --threads 1 --isa portable \
    --no-pin --seconds 0.1 --warmup 0 --out "$WORK/sweep" \
    >"$WORK/out" 2>"$WORK/err"
  local st=$?
  local problems=""
  [ "$st" -eq 0 ] || problems="exit status $st"
  for r in "h1/r0" "h2/r1" "h3/r2"; do
    grep -q "^.*$r/cpu/portable/unpinned," "$WORK/sweep/sweep.csv" 2>/dev/null ||
      problems+=" no row for $r;"
  done
  tail -1 "$WORK/sweep/sweep.csv" 2>/dev/null | grep -q '^fleet,fleet/total,' ||
    problems+=" no fleet total row;"
  [ -z "$problems" ] || fail "$problems stderr: $(tail -5 "$WORK/err")"
}

# One rank's backend fails: the job fails and names that host and rank.
scenario_verify() {
  fleet -- -np 2 "$BENCH" verify --backend cpu --threads 1 --random-cases 1 \
    : -np 1 "$FAKE" verify >"$WORK/out" 2>"$WORK/err"
  local st=$?
  local problems=""
  [ "$st" -eq 1 ] || problems="exit status $st (want 1);"
  grep -q 'FAIL host=h3 rank=2 device="fake device"' "$WORK/out" ||
    problems+=" no failure line naming h3 and rank 2;"
  [ "$(grep -c '^FAIL ' "$WORK/out")" -eq 1 ] || problems+=" not one failure;"
  [ -z "$problems" ] || fail "$problems out: $(tail -5 "$WORK/out")"
}

# 100 ms more on every link (both directions): the same outcome.
scenario_latency() {
  if ! command -v tc >/dev/null 2>&1; then
    say "latency: skipped (tc is not installed)"
    return
  fi
  local h
  for h in "${HOSTS[@]}"; do
    tc -n "$NS_SW" qdisc add dev "${TAG}s$h" root netem delay 50ms ||
      { say "latency: skipped (no netem qdisc here)"; return; }
    tc -n "${NS[$h]}" qdisc add dev "${TAG}$h" root netem delay 50ms
  done
  register_run latency
  for h in "${HOSTS[@]}"; do
    tc -n "$NS_SW" qdisc del dev "${TAG}s$h" root 2>/dev/null
    tc -n "${NS[$h]}" qdisc del dev "${TAG}$h" root 2>/dev/null
  done
}

# Waits (bounded) until rank 2 on h3 has scanned a chunk: the solve is under
# way on every host.
wait_h3_scanning() {
  local i
  for i in $(seq 600); do
    [ -s "$WORK/trace.rank2" ] && return 0
    sleep 0.1 # polling the trace file that rank 2 appends to, bounded (60 s)
  done
  return 1
}

# A fault while the three hosts solve: FAULT is "linkdown" (h3's link on
# the switch goes down) or "daemonkill" (the Open MPI daemon on h3 is
# killed). The documented rule: the job ends with a message naming what
# was lost, and rank 0's journal holds every solution it was told of.
fault_run() {
  local fault=$1
  rm -f "$WORK/trace".* "$WORK/j-$fault"
  # A difficulty no rank solves in the test's time: the job must end by the
  # fault, not by a solution or the time limit.
  start_mock 500 "$((1 << 62))"
  FLEET_TIMEOUT=200 fleet -np 3 -x SUBPOW_FLEET_TRACE="$WORK/trace" -- \
    "$BENCH" register --network "$URL" --netuid 1 --wallet-path "$WORK/wallet" \
    --backend cpu --threads 1 --no-pin --journal "$WORK/j-$fault" \
    --seconds 150 --json --no-output-in-place >"$WORK/out" 2>"$WORK/err" &
  local job=$!
  if ! wait_h3_scanning; then
    fail "rank 2 on h3 never scanned"
    kill "$job" 2>/dev/null
    wait "$job"
    stop_mock
    return
  fi
  case "$fault" in
    linkdown) ip -n "$NS_SW" link set "${TAG}sh3" down ;;
    daemonkill)
      local pid
      for pid in $(ip netns pids "${NS[h3]}"); do
        grep -qa orted "/proc/$pid/cmdline" 2>/dev/null && kill -9 "$pid"
      done
      ;;
  esac
  wait "$job"
  local st=$?
  stop_mock
  [ "$fault" = linkdown ] && ip -n "$NS_SW" link set "${TAG}sh3" up
  say "$fault: exit status $st; stderr ends: $(tail -3 "$WORK/err" | tr '\n' '|')"
  local problems=""
  case "$st" in
    124 | 137) problems+=" the job did not end (timed out);" ;;
    0) problems+=" the job reported success after losing a host;" ;;
  esac
  # The rule: Open MPI ends the job when it loses a host's daemon (within
  # the keepalive bound given above), or rank 0 ends it when a rank sends
  # nothing for 30 s; either way a message says which host or rank.
  grep -qE "lost communication with a remote daemon|rank 2 \(h3\): sent nothing|unable to reliably start one or more daemons" \
    "$WORK/err" || problems+=" no message saying which host was lost;"
  # Nothing is lost and nothing is sent: at an unreachable difficulty no
  # solution exists to journal, and none may be submitted.
  grep -q '"event":"submit' "$WORK/j-$fault" 2>/dev/null &&
    problems+=" a submission at an unreachable difficulty;"
  [ -z "$problems" ] || fail "$problems"
}

scenario_linkdown() { fault_run linkdown; }

# One JSON-RPC call to the mock node from h1 (the node listens on h1's
# loopback); prints the result.
rpc() {
  on h1 python3 -c '
import json, sys, urllib.request
req = urllib.request.Request(sys.argv[1], json.dumps({"jsonrpc": "2.0", "id": 1,
    "method": sys.argv[2], "params": json.loads(sys.argv[3])}).encode(),
    {"Content-Type": "application/json"})
print(json.load(urllib.request.urlopen(req, timeout=30)).get("result"))' "$URL" "$@"
}

# The link to h3 goes down after rank 0 has found and sent a solution, while
# it waits for the block (the node's producer is stalled until the test
# makes one): the job ends by the rule above, and the solution is not lost.
# Once a block is made, a rerun from h1 by one process finds the hotkey
# registered by that solution and sends nothing.
scenario_lostfound() {
  rm -f "$WORK/trace".* "$WORK/j-lostfound"
  start_mock 10000 10000 --stall-blocks
  fleet -np 3 -- \
    "$BENCH" register --network "$URL" --netuid 1 --wallet-path "$WORK/wallet" \
    --backend cpu --threads 1 --no-pin --journal "$WORK/j-lostfound" \
    --json --no-output-in-place >"$WORK/out" 2>"$WORK/err" &
  local job=$! i
  for i in $(seq 600); do
    grep -q '"event":"found"' "$WORK/j-lostfound" 2>/dev/null && break
    kill -0 "$job" 2>/dev/null || break
    sleep 0.1 # polling rank 0's journal for its "found" line, bounded (60 s)
  done
  if ! grep -q '"event":"found"' "$WORK/j-lostfound" 2>/dev/null; then
    kill "$job" 2>/dev/null
    wait "$job"
    stop_mock
    fail "rank 0 journaled no solution before the fault: $(grep -v '^solving' "$WORK/err" | tail -4 | tr '\n' '|')"
    return
  fi
  ip -n "$NS_SW" link set "${TAG}sh3" down
  wait "$job"
  local st=$?
  ip -n "$NS_SW" link set "${TAG}sh3" up
  local problems=""
  grep -q '"event":"found"' "$WORK/j-lostfound" ||
    problems+=" rank 0 journaled no solution;"
  case "$st" in
    124 | 137) problems+=" the job did not end (timed out);" ;;
  esac
  rpc dev_newBlock '[{"count": 1}]' >/dev/null || problems+=" dev_newBlock failed;"
  on h1 "$BENCH" register --network "$URL" --netuid 1 \
    --wallet-path "$WORK/wallet" --backend cpu --threads 1 --no-pin \
    --journal "$WORK/j-lostfound" --seconds 60 --json --no-output-in-place \
    >"$WORK/out2" 2>"$WORK/err2"
  local st2=$?
  stop_mock
  [ "$st2" -eq 0 ] || problems+=" the rerun exited $st2;"
  grep -q submitting "$WORK/err2" && problems+=" the rerun submitted again;"
  python3 - "$WORK/out2" <<'EOF2' || problems+=" the rerun does not report the uid;"
import json, sys
lines = [l for l in open(sys.argv[1]) if l.startswith("{")]
o = json.loads(lines[-1])
sys.exit(0 if o.get("uid") is not None and o.get("status") == "registered" else 1)
EOF2
  [ -z "$problems" ] || fail "$problems; job: $(grep -v '^solving' "$WORK/err" | tail -4 | tr '\n' '|'); rerun: $(tail -3 "$WORK/err2" | tr '\n' '|') $(tail -1 "$WORK/out2")"
}
scenario_daemonkill() { fault_run daemonkill; }

# --------------------------------------------------------------- main --
setup
say "hosts h1 h2 h3 at ${ADDR[h1]} ${ADDR[h2]} ${ADDR[h3]} (namespaces ${TAG}*)"
if [ "${SUBPOW_NETNS_FAIL_AT:-}" = setup ]; then
  say "failing after the set-up, as asked (SUBPOW_NETNS_FAIL_AT)"
  exit 1
fi
if [ -n "${SUBPOW_NETNS_READY:-}" ]; then
  echo ready >"$SUBPOW_NETNS_READY"
  # Waits for the signal the cleanup test sends (bounded: 120 s).
  sleep 120 &
  SLEEP_PID=$!
  wait "$SLEEP_PID"
  exit 1
fi
for SCENARIO in "${SCENARIOS[@]}"; do
  if ! declare -F "scenario_$SCENARIO" >/dev/null; then
    say "unknown scenario $SCENARIO"
    exit 2
  fi
  say "== $SCENARIO"
  reset_hosts || { fail "cannot reset the hosts"; continue; }
  "scenario_$SCENARIO"
done
[ "$FAILED" -eq 0 ] && say "every scenario passed"
exit "$FAILED"
