#!/usr/bin/env bash
# expect.sh EXIT_CODE REGEX [--file PATH] [--need PATH] [--need-display] -- COMMAND...
# Runs COMMAND; passes when it exits with EXIT_CODE, its output matches REGEX (grep -E),
# every --file exists and is non-empty, and the Vulkan validation layer said nothing.
# Exits 77 (skipped) when a --need path or the display is missing.
set -u
want_code=$1 regex=$2
shift 2
files=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  case "$1" in
    --file) files+=("$2"); rm -f "$2"; shift 2 ;;
    --need) [ -e "$2" ] || { echo "skipped: $2 is not here"; exit 77; }; shift 2 ;;
    --need-display) [ -n "${DISPLAY:-}" ] || { echo "skipped: no X display (run under xvfb-run)"; exit 77; }; shift ;;
    *) echo "expect.sh: unknown flag $1"; exit 2 ;;
  esac
done
shift
output=$("$@" 2>&1)
code=$?
printf '%s\n' "$output"
status=0
[ "$code" -eq "$want_code" ] || { echo "FAIL: exit code $code, expected $want_code"; status=1; }
grep -Eq -- "$regex" <<<"$output" || { echo "FAIL: output does not match: $regex"; status=1; }
if grep -q "validation:" <<<"$output"; then echo "FAIL: Vulkan validation messages"; status=1; fi
for f in "${files[@]}"; do
  [ -s "$f" ] || { echo "FAIL: $f was not written"; status=1; }
done
exit $status
