#!/usr/bin/env python3
"""Reads a `bench verify --junit` file with junitparser (a real JUnit
consumer, Debian's python3-junitparser) and prints one line per suite:
NAME|tests|failures|errors|skipped, then FAIL|suite|case|message for each
failed case. Exit 77 when junitparser is missing (the test skips)."""
import sys

try:
    from junitparser import JUnitXml, Failure, Error, Skipped
except ImportError:
    sys.exit(77)

xml = JUnitXml.fromfile(sys.argv[1])
for suite in xml:
    print(f"{suite.name}|{suite.tests}|{suite.failures}|{suite.errors}|{suite.skipped}")
    for case in suite:
        for r in case.result:
            if isinstance(r, Failure):
                print(f"FAIL|{suite.name}|{case.name}|{r.message}")
            elif isinstance(r, Error):
                print(f"ERROR|{suite.name}|{case.name}|{r.message}")
            elif isinstance(r, Skipped):
                print(f"SKIP|{suite.name}|{case.name}|{r.message}")
