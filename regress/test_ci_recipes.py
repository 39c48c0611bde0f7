#!/usr/bin/env python3
"""Lints the CI recipes of docs/verify-gate.md (they cannot run here: no CI
service is reachable). Every ```yaml block must parse (python3-yaml); every
`./build/bench CMD ...` line of the recipes (YAML steps and shell blocks)
must name a subcommand whose --help lists each flag it uses, and each such
subcommand and flag must be one the test suite itself runs (a "CMD" and a
"--flag" literal in the same regress/test_*.c file).

usage: test_ci_recipes.py DOC BENCH REGRESS_DIR   (exit 77: skipped)"""
import glob
import re
import shlex
import subprocess
import sys

try:
    import yaml
except ImportError:
    print("python3-yaml is not installed: skipped")
    sys.exit(77)

doc, bench, regress = sys.argv[1:4]
text = open(doc).read()
recipes = text[text.index("## Recipes for CI runners"):]
blocks = re.findall(r"```(yaml|sh)\n(.*?)```", recipes, re.S)
assert sum(1 for kind, _ in blocks if kind == "yaml") >= 2, "no YAML recipes"

commands = []


def walk(node):
    if isinstance(node, dict):
        for v in node.values():
            walk(v)
    elif isinstance(node, list):
        for v in node:
            walk(v)
    elif isinstance(node, str):
        for line in node.splitlines():
            if "./build/bench " in line:
                commands.append(line)


for kind, body in blocks:
    if kind == "yaml":
        walk(yaml.safe_load(body))  # raises on a YAML error
    else:
        walk(body)

assert commands, "no bench commands in the recipes"
tests = {p: open(p).read() for p in glob.glob(f"{regress}/test_*.c")}
helps = {}
seen = set()
for line in commands:
    words = shlex.split(line[line.index("./build/bench "):].split(">")[0])
    cmd = words[1]
    flags = [w for w in words[2:] if w.startswith("--")]
    if cmd not in helps:
        helps[cmd] = subprocess.run([bench, cmd, "--help"], capture_output=True,
                                    text=True, check=True).stdout
    for f in flags:
        assert f in helps[cmd], f"{cmd} {f}: not in bench {cmd} --help"
        assert any(f'"{cmd}"' in t and f'"{f}"' in t for t in tests.values()), \
            f"{cmd} {f}: no test runs it"
        seen.add((cmd, f))

for need in [("verify", "--junit"), ("hashrate", "--baseline")]:
    assert need in seen, f"the recipes lack {need[0]} {need[1]}"
print(f"{len(commands)} commands, {len(seen)} flags checked")
