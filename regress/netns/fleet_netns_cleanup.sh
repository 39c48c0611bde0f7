#!/usr/bin/env bash
# fleet_netns.sh removes every namespace and link it made, also when it
# fails or is interrupted: it is run (1) made to fail right after its
# set-up, (2) stopped by SIGINT and (3) by SIGTERM once its set-up is done,
# (4) stopped by its own watchdog (SUBPOW_NETNS_TIMEOUT) before anyone
# signals it, and each time no namespace or link named after its run is
# left. (5) A run killed by SIGKILL (as ctest's TIMEOUT does) cannot clean
# up: its namespaces stay until the next run, which removes them at its
# start.
#
#   usage: fleet_netns_cleanup.sh BENCH FAKE_VERIFY
# Exit 0 when every run leaves nothing behind, 1 otherwise, 77 (skipped)
# when fleet_netns.sh cannot make namespaces here.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BENCH=${1:?usage: fleet_netns_cleanup.sh BENCH FAKE_VERIFY}
FAKE=${2:?usage: fleet_netns_cleanup.sh BENCH FAKE_VERIFY}
TMP=$(mktemp -d /tmp/subpow-netns-cleanup.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
status=0

# Names fleet_netns.sh made for the run with process id $1 (its TAG).
left_by() {
  { ip netns list 2>/dev/null | awk '{print $1}'; ip -o link show 2>/dev/null; } |
    grep -o "sf$1[a-z0-9]*" || true
}

check() {
  local what=$1 pid=$2 got=$3 want=$4
  local left
  left=$(left_by "$pid")
  if [ "$got" -eq 77 ]; then
    echo "fleet_netns_cleanup: skipped: $(cat "$TMP/out")"
    exit 77
  fi
  if [ "$got" -ne "$want" ] || [ -n "$left" ]; then
    echo "fleet_netns_cleanup: FAIL $what: exit $got (want $want), left: ${left:-nothing}"
    sed 's/^/  | /' "$TMP/out"
    status=1
  else
    echo "fleet_netns_cleanup: $what: exit $got, nothing left"
  fi
}

# (1) A failure right after the set-up.
SUBPOW_NETNS_FAIL_AT=setup bash "$HERE/fleet_netns.sh" "$BENCH" "$FAKE" \
  >"$TMP/out" 2>&1 &
pid=$!
wait "$pid"
check "failure after set-up" "$pid" $? 1

# (2), (3) A signal once the set-up is done. Job control (set -m) so that
# the background script does not start with SIGINT ignored, as
# non-interactive shells start their background jobs.
set -m

# Starts fleet_netns.sh in the background with SUBPOW_NETNS_READY (and the
# environment given as arguments), sets pid, and waits until its set-up is
# done: true then, false when it ended or never said so.
start_ready() {
  local fifo
  fifo=$(mktemp -u "$TMP/ready.XXXXXX")
  mkfifo "$fifo"
  env SUBPOW_NETNS_READY="$fifo" "$@" bash "$HERE/fleet_netns.sh" "$BENCH" \
    "$FAKE" >"$TMP/out" 2>&1 &
  pid=$!
  # The script writes "ready" into the FIFO when its namespaces exist. The
  # FIFO is opened read-write so that opening it never blocks (a script
  # that skips or fails writes nothing); each read waits up to a second,
  # for as long as the script runs (at most two minutes).
  exec 3<>"$fifo"
  line=""
  for _ in $(seq 120); do
    read -r -t 1 line <&3 && break
    kill -0 "$pid" 2>/dev/null || break
  done
  exec 3<&-
  [ "$line" = ready ] || return 1
  [ -n "$(left_by "$pid")" ] || {
    echo "fleet_netns_cleanup: FAIL: the set-up made nothing to remove"
    status=1
  }
}

for sig in INT TERM; do
  start_ready && kill -s "$sig" "$pid"
  wait "$pid"
  got=$?
  want=130
  [ "$sig" = TERM ] && want=143
  check "SIG$sig after set-up" "$pid" "$got" "$want"
done

# (4) The watchdog: out of time 3 s after the start, while it waits.
start_ready SUBPOW_NETNS_TIMEOUT=3
wait "$pid"
check "watchdog" "$pid" $? 143
grep -q "out of time" "$TMP/out" || {
  echo "fleet_netns_cleanup: FAIL watchdog: no \"out of time\" line"
  sed 's/^/  | /' "$TMP/out"
  status=1
}

# (5) SIGKILL once the set-up is done leaves its namespaces; the next run
# (made to fail after its set-up) removes them first, then its own.
if start_ready; then
  killed=$pid
  kill -KILL "$killed"
  wait "$killed" 2>/dev/null
  if [ -z "$(left_by "$killed")" ]; then
    echo "fleet_netns_cleanup: FAIL SIGKILL: nothing was left to sweep"
    status=1
  fi
  SUBPOW_NETNS_FAIL_AT=setup bash "$HERE/fleet_netns.sh" "$BENCH" "$FAKE" \
    >"$TMP/out" 2>&1 &
  pid=$!
  wait "$pid"
  check "a run after a SIGKILL'd one" "$pid" $? 1
  left=$(left_by "$killed")
  if [ -n "$left" ] || ! grep -q "left by a run that was killed" "$TMP/out"; then
    echo "fleet_netns_cleanup: FAIL sweep: left of the SIGKILL'd run: ${left:-nothing}"
    sed 's/^/  | /' "$TMP/out"
    status=1
  else
    echo "fleet_netns_cleanup: SIGKILL then a new run: the new run swept the old one's namespaces"
  fi
  # what the killed script left running (its READY wait) goes too: the
  # job's process group, which job control gave it
  kill -KILL -- "-$killed" 2>/dev/null
else
  wait "$pid"
  echo "fleet_netns_cleanup: FAIL SIGKILL: the run never got ready (exit $?)"
  sed 's/^/  | /' "$TMP/out"
  status=1
fi
exit "$status"
