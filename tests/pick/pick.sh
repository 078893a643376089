#!/usr/bin/env bash
# Runs `zwilling --headless --validation --no-ui --pick ...` and checks the one JSON line
# it prints on stdout.
# usage: pick.sh ZWILLING [CHECK...] -- VIEWER_ARGS...
#   CHECK: KEY=VALUE   the JSON has KEY (dots go into objects: attributes.street) with
#                      that value (true/false/numbers compare as JSON text)
#          !KEY        the JSON has no KEY
# A pick with a golden image (pick.highlight_golden) is a case of tests/golden_cases.json:
# it passes --screenshot among VIEWER_ARGS, and tests/tools/golden_run.py compares.
set -uo pipefail
zwilling=$1
shift
checks=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do checks+=("$1"); shift; done
shift
err=$(mktemp)
trap 'rm -f "$err"' EXIT
out=$("$zwilling" --headless --validation --no-ui "$@" 2>"$err")
code=$?
cat "$err"
printf 'stdout: %s\n' "$out"
if [ $code -ne 0 ]; then echo "FAIL: the viewer exited with $code"; exit 1; fi
if grep -q "validation:" "$err"; then echo "FAIL: Vulkan validation messages"; exit 1; fi
python3 - "$out" "${checks[@]}" <<'PY' || exit 1
import json, sys
out, checks = sys.argv[1], sys.argv[2:]
lines = out.split("\n")
if len(lines) != 1:
    sys.exit(f"FAIL: stdout has {len(lines)} lines, expected exactly one JSON line")
try:
    j = json.loads(lines[0])
except ValueError as e:
    sys.exit(f"FAIL: stdout is not JSON: {e}")
def get(key):
    v = j
    for part in key.split("."):
        if not isinstance(v, dict) or part not in v:
            return None, False
        v = v[part]
    return v, True
bad = []
for c in checks:
    if c.startswith("!"):
        v, found = get(c[1:])
        if found:
            bad.append(f"{c[1:]} is there ({json.dumps(v, ensure_ascii=False)}), expected none")
        continue
    key, want = c.split("=", 1)
    v, found = get(key)
    text = v if isinstance(v, str) else json.dumps(v)
    if not found or text != want:
        bad.append(f"{key} is {json.dumps(v, ensure_ascii=False) if found else 'missing'}, expected {want}")
for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
PY
echo "ok"
