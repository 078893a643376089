#!/usr/bin/env python3
"""Fails when ctest skipped a test that tests/allowed_skips.txt does not allow.

    check_skips.py CTEST_JUNIT.xml ALLOWED_SKIPS.txt

ctest counts a skipped test (exit code 77, GTEST_SKIP, a missing sample) as passed, so a
test that silently stopped testing would never fail CI. scripts/dev test runs this after
ctest. Each line of the allow-list is a test name or an fnmatch pattern, then ' # ' and
why the skip is fine; blank lines and lines starting with '#' are comments.
"""
import fnmatch
import sys
import xml.etree.ElementTree as ET


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    junit, allowed_file = sys.argv[1], sys.argv[2]
    try:
        root = ET.parse(junit).getroot()
    except (OSError, ET.ParseError) as e:
        print(f"check_skips: cannot read ctest's report {junit}: {e}", file=sys.stderr)
        return 1
    allowed = []
    with open(allowed_file, encoding="utf-8") as f:
        for line in f:
            pattern = line.split(" #", 1)[0].strip()
            if pattern and not pattern.startswith("#"):
                allowed.append(pattern)
    skipped = sorted(tc.get("name", "?") for tc in root.iter("testcase")
                     if tc.find("skipped") is not None or tc.get("status") in ("notrun", "disabled"))
    not_allowed = [name for name in skipped if not any(fnmatch.fnmatchcase(name, p) for p in allowed)]
    if not_allowed:
        print(f"check_skips: {len(not_allowed)} test(s) skipped that {allowed_file} does not allow:",
              file=sys.stderr)
        for name in not_allowed:
            print(f"check_skips:   {name}", file=sys.stderr)
        print("check_skips: make them run (install what they need) or, if the skip is right on "
              "every CI machine, add them to the list with the reason", file=sys.stderr)
        return 1
    print(f"check_skips: {len(skipped)} skipped, all allowed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
