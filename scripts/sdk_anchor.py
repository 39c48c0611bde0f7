#!/usr/bin/python3
"""The SDK's CPU inner loop as a rate anchor for results/cpu.md.

Times the loop of bittensor's `_solve_for_nonce_block` (bittensor/utils/
registration.py) as the SDK runs it: per nonce `_create_seal_hash` (hexlify
the little-endian nonce and the block_and_hotkey_hash, decode the hex back
through `_hex_bytes_to_u8_list`, SHA-256 with hashlib, Keccak-256 with
pycryptodome) and `_seal_meets_difficulty` (big-endian integer times the
difficulty against the limit). The functions below are written from that
description (docs/protocol.md section 1), not copied. The difficulty is
2^64 - 1, so no nonce solves and only the loop is timed, as in
`bench hashrate`.

Usage: /usr/bin/python3 scripts/sdk_anchor.py [--seconds S] [--processes P]
Prints one line per run: processes, nonces, seconds, rate in kH/s.
Needs Debian's python3-pycryptodome (module Cryptodome; the SDK imports the
same library as Crypto), which scripts/install-deps.sh installs for
/usr/bin/python3: run under another python3 that lacks it, the script runs
itself again under /usr/bin/python3 and says so (debian_python.py).
"""
import argparse
import binascii
import hashlib
import multiprocessing
import time

from debian_python import require_debian

require_debian()
from Cryptodome.Hash import keccak  # noqa: E402 (after the interpreter check)

LIMIT = 2**256 - 1
DIFFICULTY = 2**64 - 1
BLOCK_AND_HOTKEY_HASH = bytes((i * 37 + 11) % 256 for i in range(32))


def hex_bytes_to_u8_list(hex_bytes: bytes) -> list:
    return [int(hex_bytes[i : i + 2], 16) for i in range(0, len(hex_bytes), 2)]


def create_seal_hash(block_and_hotkey_hash: bytes, nonce: int) -> bytes:
    nonce_hex = binascii.hexlify(nonce.to_bytes(8, "little"))
    pre_seal = nonce_hex + binascii.hexlify(block_and_hotkey_hash)[:64]
    digest = hashlib.sha256(bytearray(hex_bytes_to_u8_list(pre_seal))).digest()
    k = keccak.new(digest_bits=256)
    return k.update(digest).digest()


def seal_meets_difficulty(seal: bytes, difficulty: int, limit: int) -> bool:
    return int.from_bytes(seal, "big") * difficulty < limit


def solve_for_nonce_block(start: int, end: int, bahh: bytes, difficulty: int, limit: int):
    for nonce in range(start, end):
        seal = create_seal_hash(bahh, nonce)
        if seal_meets_difficulty(seal, difficulty, limit):
            return nonce, seal
    return None


def run(args) -> tuple:
    """Scans blocks of 1,000 nonces until `seconds` pass; returns the count
    and the time this process took for them."""
    index, seconds = args
    nonce = index << 40
    done = 0
    t0 = time.monotonic()
    while time.monotonic() - t0 < seconds:
        solve_for_nonce_block(nonce, nonce + 1_000, BLOCK_AND_HOTKEY_HASH, DIFFICULTY, LIMIT)
        nonce += 1_000
        done += 1_000
    return done, time.monotonic() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--processes", type=int, default=1)
    a = ap.parse_args()
    if not 0.1 <= a.seconds <= 3600 or not 1 <= a.processes <= 256:
        ap.error("--seconds 0.1..3600, --processes 1..256")
    # Sanity: the loop's seal is the seal (vectors/seals.json has more).
    assert create_seal_hash(bytes(32), 0) == keccak.new(
        digest_bits=256, data=hashlib.sha256(bytes(40)).digest()
    ).digest()
    with multiprocessing.Pool(a.processes) as pool:
        runs = pool.map(run, [(i, a.seconds) for i in range(a.processes)])
    total = sum(n for n, _ in runs)
    rate = sum(n / t for n, t in runs)  # the processes run side by side
    print(f"processes {a.processes}  nonces {total}  "
          f"seconds {max(t for _, t in runs):.3f}  rate {rate / 1e3:.1f} kH/s")


if __name__ == "__main__":
    main()
