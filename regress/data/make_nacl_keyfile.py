#!/usr/bin/python3
"""Writes nacl_keyfile_pynacl.bin: a btwallet key file of the Substrate dev
phrase, encrypted the way bittensor's Python wallet code did it
(bittensor/keyfile.py `encrypt_keyfile_data`: PyNaCl argon2i.kdf with
OPSLIMIT_SENSITIVE / MEMLIMIT_SENSITIVE and the fixed NACL_SALT, then
SecretBox.encrypt, prefixed with b"$NACL"). An implementation independent of
ours (PyNaCl) makes the file; regress/test_keys_wallet.c decrypts it.

Needs Debian's python3-nacl (not a build dependency: the output is
committed). Run: /usr/bin/python3 regress/data/make_nacl_keyfile.py
The password is "subpow-test"; the secrets are the public dev phrase's.
"""
import json
import os

from nacl import pwhash, secret

NACL_SALT = b"\x13q\x83\xdf\xf1Z\t\xbc\x9c\x90\xb5Q\x879\xe9\xb1"
DEV = {
    "accountId": "0x46ebddef8cd9bb167dc30878d7113b7e168e6f0646beffd77d69d39bad76b47a",
    "publicKey": "0x46ebddef8cd9bb167dc30878d7113b7e168e6f0646beffd77d69d39bad76b47a",
    "secretPhrase": "bottom drive obey lake curtain smoke basket hold race lonely fit walk",
    "secretSeed": "0xfac7959dbfe72f052e5a0c3c8d6530f202b02fd8f9f5ca3580ec8deb7797479e",
    "ss58Address": "5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV",
}

key = pwhash.argon2i.kdf(
    secret.SecretBox.KEY_SIZE,
    b"subpow-test",
    NACL_SALT,
    opslimit=pwhash.argon2i.OPSLIMIT_SENSITIVE,
    memlimit=pwhash.argon2i.MEMLIMIT_SENSITIVE,
)
data = b"$NACL" + secret.SecretBox(key).encrypt(json.dumps(DEV).encode())
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "nacl_keyfile_pynacl.bin")
with open(out, "wb") as f:
    f.write(data)
print(out, len(data), "bytes")
