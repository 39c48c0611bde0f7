"""Runs a script under the interpreter whose packages scripts/install-deps.sh
installs.

The scripts that hash with pycryptodome import it as `Cryptodome`, the name
Debian's python3-pycryptodome gives it. A python3 found first on PATH (pyenv,
a virtual environment, conda) usually lacks that package. `require_debian`
then runs the script again under /usr/bin/python3 (or $SUBPOW_DEBIAN_PYTHON),
saying so on stderr, and when that cannot work it says what to install and
exits with status 2.
"""
import os
import sys

DEFAULT = "/usr/bin/python3"
_GUARD = "SUBPOW_DEBIAN_PYTHON_REEXEC"


def require_debian(module: str = "Cryptodome", package: str = "python3-pycryptodome") -> None:
    """Returns when `module` imports here; otherwise re-executes the running
    script under Debian's interpreter (once), or exits 2 with the reason."""
    try:
        __import__(module)
        return
    except ImportError:
        pass
    script = os.path.basename(sys.argv[0])
    debian = os.environ.get("SUBPOW_DEBIAN_PYTHON") or DEFAULT
    if os.environ.get(_GUARD) != "1" and os.access(debian, os.X_OK):
        print(f"{script}: {sys.executable} has no module {module}; running "
              f"under {debian} (Debian's {package})", file=sys.stderr)
        os.environ[_GUARD] = "1"
        try:
            os.execv(debian, [debian, os.path.abspath(sys.argv[0])] + sys.argv[1:])
        except OSError as e:
            print(f"{script}: cannot run {debian}: {e}", file=sys.stderr)
            sys.exit(2)
    where = debian if os.environ.get(_GUARD) == "1" else sys.executable
    print(f"{script}: {where} has no module {module}: it needs Debian's "
          f"{package} (bash scripts/install-deps.sh installs it) and "
          f"{DEFAULT} to run it", file=sys.stderr)
    sys.exit(2)
