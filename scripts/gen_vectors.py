#!/usr/bin/python3
"""Generate subpow's test vectors with implementations that are not ours.

SHA-256 and SHA3-256 come from Python's hashlib (OpenSSL), Keccak-256 from
pycryptodome (Debian package python3-pycryptodome, module Cryptodome), and the
difficulty rules are Python's arbitrary-precision integers written straight
from docs/protocol.md (the difficulty rules). The output is deterministic (fixed seed).

Regenerate with:  /usr/bin/python3 scripts/gen_vectors.py vectors
The files are committed and never edited by hand.
"""
import hashlib
import json
import os
import platform
import random
import sys

from debian_python import require_debian

require_debian()
import Cryptodome  # noqa: E402 (after the interpreter check)
from Cryptodome.Hash import keccak

SEED = 20261125
MAX = 2**256 - 1
COMMAND = "/usr/bin/python3 scripts/gen_vectors.py vectors"


def keccak256(data: bytes) -> bytes:
    return keccak.new(digest_bits=256, data=data).digest()


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def seal(bahh: bytes, nonce: int) -> bytes:
    return keccak256(sha256(nonce.to_bytes(8, "little") + bahh))


def meets(seal_bytes: bytes, d: int, rule: str) -> bool:
    if rule == "sdk":
        return int.from_bytes(seal_bytes, "big") * d < MAX
    if rule == "chain-be":
        return int.from_bytes(seal_bytes, "big") * d <= MAX
    if rule == "chain-le":
        return int.from_bytes(seal_bytes, "little") * d <= MAX
    raise ValueError(rule)


RULES = ["sdk", "chain-be", "chain-le"]


def header(what: str) -> dict:
    return {
        "what": what,
        "implementation": "Python %s hashlib (%s) for SHA-256 and SHA3-256; "
        "pycryptodome %s Cryptodome.Hash.keccak for Keccak-256; Python "
        "integers for the difficulty rules"
        % (platform.python_version(), hashlib.sha256().name + "/OpenSSL",
           Cryptodome.__version__),
        "generator": "scripts/gen_vectors.py",
        "command": COMMAND,
        "seed": SEED,
        "note": "u64 values (nonce, difficulty, start, count) are decimal "
        "strings: JSON parsers differ on integers above 2^63",
    }


def hashes(rng: random.Random) -> dict:
    cases = []
    fixed = [b"", b"abc", b"The quick brown fox jumps over the lazy dog"]
    lengths = list(range(0, 300, 7)) + [135, 136, 137, 271, 272, 273, 1000]
    inputs = fixed + [rng.randbytes(n) for n in lengths]
    for data in inputs:
        cases.append({
            "input": data.hex(),
            "keccak256": keccak256(data).hex(),
            "sha256": sha256(data).hex(),
            "sha3_256": hashlib.sha3_256(data).hexdigest(),
        })
    return {"header": header("Keccak-256, SHA-256 and SHA3-256 known answers"),
            "cases": cases}


def seals(rng: random.Random) -> dict:
    cases = []
    special = [0, 1, 2**32 - 1, 2**32, 2**63, 2**64 - 2, 2**64 - 1]
    for i in range(240):
        block_hash = rng.randbytes(32)
        hotkey = rng.randbytes(32)
        nonce = special[i] if i < len(special) else rng.getrandbits(64)
        bahh = keccak256(block_hash + hotkey)
        cases.append({
            "block_hash": block_hash.hex(),
            "hotkey": hotkey.hex(),
            "block_and_hotkey_hash": bahh.hex(),
            "nonce": str(nonce),
            "seal": seal(bahh, nonce).hex(),
        })
    return {"header": header("seals: Keccak-256(SHA-256(nonce_le64 || "
                             "Keccak-256(block_hash || hotkey)))"),
            "cases": cases}


def rule_case(value_be: int, d: int, note: str) -> list:
    """Cases for one 256-bit value: as a big-endian seal and, reversed, as
    the little-endian seal of the same value."""
    out = []
    be = value_be.to_bytes(32, "big")
    le = value_be.to_bytes(32, "little")
    for seal_bytes, order in ((be, "value big-endian"), (le, "value little-endian")):
        out.append({
            "seal": seal_bytes.hex(),
            "difficulty": str(d),
            "note": "%s, %s" % (note, order),
            "expect": {r: meets(seal_bytes, d, r) for r in RULES},
        })
    return out


def difficulty(rng: random.Random) -> dict:
    cases = []
    divisors = [1, 3, 5, 15, 17, 51, 85, 255, 257, 641, 65535, 65537,
                6700417, 4294967295, 4294967297, 18446744073709551615]
    for d in divisors:
        assert MAX % d == 0
        x = MAX // d
        cases += rule_case(x, d, "product exactly 2^256 - 1")
        cases += rule_case(x - 1, d, "product 2^256 - 1 - d")
        if x + 1 <= MAX:
            cases += rule_case(x + 1, d, "product 2^256 - 1 + d")
    for k in [1, 2, 8, 32, 63]:
        d = 2**k
        cases += rule_case(2**256 // d, d, "product exactly 2^256")
        cases += rule_case(2**256 // d - 1, d, "product 2^256 - d")
    for d in [0, 1, 2, 2**64 - 1]:
        for x in [0, 1, MAX - 1, MAX, rng.getrandbits(256)]:
            cases += rule_case(x, d, "edge difficulty")
    for _ in range(60):
        d = rng.choice([rng.randrange(1, 10**6), rng.getrandbits(64)]) or 1
        t_chain = MAX // d
        t_sdk = (MAX - 1) // d
        for x in [t_chain, t_chain + 1, t_sdk, t_sdk + 1, rng.getrandbits(256)]:
            if x <= MAX:
                cases += rule_case(x, d, "near the threshold")
    return {"header": header("difficulty rules on seals, with edges"),
            "cases": cases}


def solutions(rng: random.Random) -> dict:
    cases = []
    plans = [
        (1, 0, 64), (2, 2**32 - 100, 200), (3, 2**64 - 128, 128),
        (5, 1000, 300), (17, 2**32 - 150, 300), (100, 2**64 - 2000, 2000),
        (257, 12345, 3000), (1000, 2**32 - 4000, 8000),
        (10**4, 2**64 - 30000, 30000), (65537, 777, 200000),
        (10**6, 2**32 - 600000, 1200000),
    ]
    for d, start, count in plans:
        bahh = rng.randbytes(32)
        found = {r: [] for r in RULES}
        for nonce in range(start, start + count):
            s = seal(bahh, nonce)
            for r in RULES:
                if meets(s, d, r):
                    found[r].append(nonce)
        cases.append({
            "block_and_hotkey_hash": bahh.hex(),
            "difficulty": str(d),
            "start": str(start),
            "count": str(count),
            "solutions": {r: [str(n) for n in v] for r, v in found.items()},
        })
        print("solutions: d=%d count=%d -> %s" % (
            d, count, {r: len(v) for r, v in found.items()}), file=sys.stderr)
    return {"header": header("every solving nonce of [start, start + count) "
                             "under each rule"),
            "cases": cases}


def main() -> None:
    out = sys.argv[1] if len(sys.argv) > 1 else "vectors"
    os.makedirs(out, exist_ok=True)
    rng = random.Random(SEED)
    for name, fn in (("hashes", hashes), ("seals", seals),
                     ("difficulty", difficulty), ("solutions", solutions)):
        doc = fn(rng)
        with open(os.path.join(out, name + ".json"), "w") as f:
            json.dump(doc, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
