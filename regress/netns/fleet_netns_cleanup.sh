#!/usr/bin/env bash
# fleet_netns.sh removes every namespace and link it made, also when it
# fails or is interrupted: it is run (1) made to fail right after its
# set-up, (2) stopped by SIGINT and (3) by SIGTERM once its set-up is done,
# and each time no namespace or link named after its run is left.
#
#   usage: fleet_netns_cleanup.sh BENCH FAKE_VERIFY
# Exit 0 when all three leave nothing behind, 1 otherwise, 77 (skipped)
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
for sig in INT TERM; do
  fifo="$TMP/ready-$sig"
  mkfifo "$fifo"
  SUBPOW_NETNS_READY="$fifo" bash "$HERE/fleet_netns.sh" "$BENCH" "$FAKE" \
    >"$TMP/out" 2>&1 &
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
  if [ "$line" = ready ]; then
    [ -n "$(left_by "$pid")" ] || {
      echo "fleet_netns_cleanup: FAIL $sig: the set-up made nothing to remove"
      status=1
    }
    kill -s "$sig" "$pid"
  fi
  wait "$pid"
  got=$?
  want=130
  [ "$sig" = TERM ] && want=143
  check "SIG$sig after set-up" "$pid" "$got" "$want"
done
exit "$status"
