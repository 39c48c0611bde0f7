#!/usr/bin/env python3
# Writes the hostile metadata inputs of regress/corpus/metadata/:
#   python3 regress/fuzz/make_hostile_metadata.py regress/corpus/metadata
# Each file is a fuzz_metadata input: byte 0 is the mode (0: plain
# "meta"-prefixed V14), then the metadata. test_metadata_bomb and
# test_hostile_text read them too. Layout: chain/codec/metadata.h.
import struct, sys
def c(v):
    assert v < 1<<30
    if v < 64: return bytes([v<<2])
    if v < 1<<14: return struct.pack('<H', (v<<2)|1)
    return struct.pack('<I', (v<<2)|2)
def s(x): b = x if isinstance(x, bytes) else x.encode(); return c(len(b))+b
def typ(i, body): return c(i)+c(0)+c(0)+body+c(0)
def tuple_(items): return bytes([4])+c(len(items))+b''.join(c(t) for t in items)
def array(n, item): return bytes([3])+struct.pack('<I', n)+c(item)
def seq(item): return bytes([2])+c(item)
def metadata(types, events_type, consts):
    reg = c(len(types)) + b''.join(typ(i, t) for i, t in enumerate(types))
    # one pallet System: storage Events (plain, default), constants
    entry = s("Events") + bytes([1, 0]) + c(events_type) + c(0) + c(0)
    pallet = s("System") + bytes([1]) + s("System") + c(1) + entry
    pallet += bytes([0, 0])  # calls None, events None
    pallet += c(len(consts)) + b''.join(s(n) + c(t) + c(len(v)) + v + c(0) for n, t, v in consts)
    pallet += bytes([0, 0])  # errors None, index 0
    tail = c(0) + bytes([4]) + c(0) + c(0)  # extrinsic type, version, no extensions, runtime type
    return b'meta' + bytes([14]) + reg + c(1) + pallet + tail
out = sys.argv[1]
# [[(); 2^20]; 2^20] as the type of System.Events (a Vec of it) and of a constant
types = [tuple_([]), array(1<<20, 0), array(1<<20, 1), seq(2)]
open(out + '/bomb-zero-sized-arrays', 'wb').write(b'\x00' + metadata(types, 3, [("Bomb", 2, b''), ("Bombs", 3, b'\x04')]))
# D_k = (D_{k-1}, D_{k-1}) to depth 40: 2^40 paths for a memo-less walk
types = [tuple_([])] + [tuple_([k, k]) for k in range(40)]
open(out + '/bomb-nested-tuples', 'wb').write(b'\x00' + metadata(types, 40, [("Deep", 40, b'')]))
# Names and docs with terminal escapes: an event enum (type 0) whose
# variant name and docs carry them, in a pallet whose name does too.
def variant_(name, docs): return s(name) + c(0) + bytes([0]) + c(len(docs)) + b''.join(s(d) for d in docs)
evt = bytes([1]) + c(1) + variant_("Ev\x1b[31m", [b"doc\x1b]0;title\x07\xc2\x9b"])
reg = c(1) + typ(0, evt)
pallet = s("Sys\x1b[2Jtem") + bytes([0]) + bytes([0]) + bytes([1]) + c(0) + c(0) + bytes([0, 0])
tail = c(0) + bytes([4]) + c(0) + c(0)
open(out + '/hostile-text-names-docs', 'wb').write(b'\x00' + b'meta' + bytes([14]) + reg + c(1) + pallet + tail)
