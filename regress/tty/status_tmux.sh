#!/usr/bin/env bash
# The status display on a real terminal (a tmux pane): `mine` redraws its
# block in place on stderr, says what the mean time is and the chance found
# by now, shows an unknown block hash as unknown, and after Ctrl-C (the
# terminal echoes "^C" where the cursor is) the last block and the summary
# start at column 0 and the exit status is 130.
# Usage: status_tmux.sh BENCH. Skips (exit 77) with one line without tmux.
set -u
BENCH=$1
if ! command -v tmux >/dev/null 2>&1; then
  echo "SKIP: tmux is not installed (scripts/install-deps.sh installs it)"
  exit 77
fi
SOCK="subpow-status-$$"
WORK=$(mktemp -d /tmp/subpow-tmux-XXXXXX)
cleanup() {
  tmux -L "$SOCK" kill-server >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*"
  echo "--- pane:"
  cat "$WORK/pane" 2>/dev/null
  exit 1
}
capture() { tmux -L "$SOCK" capture-pane -p -t t:0 >"$WORK/pane" 2>/dev/null; }
# wait_for REGEX: polls the pane until it matches; the bound (120 s) is only
# a hang guard, never a timing assumption.
wait_for() {
  for _ in $(seq 1 1200); do
    capture
    grep -qE "$1" "$WORK/pane" && return 0
    sleep 0.1
  done
  fail "the pane never showed /$1/"
}
BAHH=0101010101010101010101010101010101010101010101010101010101010101
tmux -L "$SOCK" -f /dev/null new-session -d -s t -x 132 -y 40 \
  "$BENCH mine --backend reference --block-and-hotkey-hash $BAHH \
   --difficulty 18446744073709551615; echo EXIT=\$?; sleep 600" ||
  fail "tmux could not start"
wait_for '^Solving \(1 worker: reference, 1 thread\)'
# a second redraw: the time spent moves on, and the block is drawn once
first=$(grep '^Time spent' "$WORK/pane")
for _ in $(seq 1 1200); do
  capture
  now=$(grep '^Time spent' "$WORK/pane")
  [ -n "$now" ] && [ "$now" != "$first" ] && break
  sleep 0.1
done
[ "$now" != "$first" ] || fail "the block was never redrawn"
[ "$(grep -c '^Solving' "$WORK/pane")" -eq 1 ] ||
  fail "the block was not redrawn in place"
grep -q '^Mean time to a solution: .*(hashes are independent: it does not count down)' \
  "$WORK/pane" || fail "no mean time line"
grep -qE '^Chance found by now: [0-9.]+% \(50% by .*, 90% by .* of solving\)' \
  "$WORK/pane" || fail "no chance line"
grep -q '^Block hash: unknown$' "$WORK/pane" || fail "the block hash is not 'unknown'"
tmux -L "$SOCK" send-keys -t t:0 C-c
wait_for '^EXIT='
grep -q '^EXIT=130$' "$WORK/pane" || fail "exit status after Ctrl-C is not 130"
grep -qE '^0 solutions, .* stopped by signal' "$WORK/pane" ||
  fail "the summary does not start at column 0"
# every line of the block starts at column 0: nothing shifted by the ^C echo
for label in 'Solving' 'Time spent' 'Registration difficulty' 'Iters' \
  'Mean time' 'Chance found' 'Block number' 'Block hash' 'Solutions'; do
  if grep -q "^.\+$label" "$WORK/pane"; then
    fail "'$label' is shifted"
  fi
done
echo "PASS: status display in place, Ctrl-C, columns"
