#!/usr/bin/env python3
"""Runs a gtest binary with a filter and fails unless the filter ran tests and none skipped.

    run_gtest.py BINARY FILTER [more gtest flags...]

gtest itself exits 0 when --gtest_filter matches nothing (a renamed test would then pass
silently) and counts GTEST_SKIP() as a pass; a ctest entry that runs a chosen test must
fail in both cases.
"""
import json
import os
import subprocess
import sys
import tempfile


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    binary, pattern, extra = sys.argv[1], sys.argv[2], sys.argv[3:]
    with tempfile.TemporaryDirectory() as tmp:
        report = os.path.join(tmp, "report.json")
        rc = subprocess.call([binary, f"--gtest_filter={pattern}", f"--gtest_output=json:{report}", *extra])
        if rc != 0:
            return rc
        try:
            with open(report, encoding="utf-8") as f:
                data = json.load(f)
        except (OSError, ValueError) as e:
            print(f"run_gtest: no readable report from {binary}: {e}", file=sys.stderr)
            return 1
    ran = [t for suite in data.get("testsuites", []) for t in suite.get("testsuite", [])
           if t.get("status") == "RUN"]
    skipped = [f"{t['classname']}.{t['name']}" for t in ran if t.get("result") == "SKIPPED"]
    if not ran:
        print(f"run_gtest: --gtest_filter={pattern} matched no test in {binary}", file=sys.stderr)
        return 1
    if skipped:
        print(f"run_gtest: skipped, which this entry does not allow: {', '.join(skipped)}", file=sys.stderr)
        return 1
    print(f"run_gtest: {len(ran)} test(s) ran for --gtest_filter={pattern}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
