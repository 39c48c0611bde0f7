#!/usr/bin/env bash
# scripts/sdk_anchor.py under a python3 that cannot import Debian's
# pycryptodome (here /usr/bin/python3 -S: no site-packages) runs itself again
# under /usr/bin/python3 and says so; when that interpreter is missing too it
# exits 2 with one line naming the package. Exit 77 (skip) when
# /usr/bin/python3 itself has no pycryptodome.
# Usage: test_debian_python.sh REPO_ROOT
set -u
root=$1
py=/usr/bin/python3
if ! "$py" -c 'import Cryptodome' 2>/dev/null; then
  echo "SKIP: $py has no pycryptodome (bash scripts/install-deps.sh installs python3-pycryptodome)"
  exit 77
fi
fails=0
out=$("$py" -S "$root/scripts/sdk_anchor.py" --seconds 0.1 2>"${TMPDIR:-/tmp}/dp.$$")
rc=$?
err=$(cat "${TMPDIR:-/tmp}/dp.$$")
rm -f "${TMPDIR:-/tmp}/dp.$$"
if [ "$rc" -eq 0 ] && printf '%s' "$out" | grep -q 'rate [0-9.]* kH/s' &&
  printf '%s' "$err" | grep -q "running under $py (Debian's python3-pycryptodome)"; then
  echo "ok: without pycryptodome it runs under $py"
else
  echo "FAIL: without pycryptodome: status $rc, stdout '$out', stderr '$err'"
  fails=1
fi
err=$(SUBPOW_DEBIAN_PYTHON=/nonexistent/python3 "$py" -S "$root/scripts/sdk_anchor.py" --seconds 0.1 2>&1 >/dev/null)
rc=$?
if [ "$rc" -eq 2 ] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] &&
  printf '%s' "$err" | grep -q "needs Debian's python3-pycryptodome"; then
  echo "ok: no usable interpreter: exit 2, one line"
else
  echo "FAIL: no usable interpreter: status $rc, stderr '$err'"
  fails=1
fi
exit "$fails"
