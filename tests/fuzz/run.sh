#!/usr/bin/env bash
# Runs one libFuzzer target for a while over a scratch copy of its seed corpus:
#   tests/fuzz/run.sh BINARY CORPUS_DIR SECONDS [extra libFuzzer flags...]
# Fails when the target crashes, leaks, times out or runs out of memory, and prints the
# input that did it (kept under $FUZZ_ARTIFACTS, default <binary's dir>/artifacts/<name>).
# New inputs the run finds stay in the scratch copy (deleted) unless FUZZ_KEEP_CORPUS
# names a folder to merge them into.
set -euo pipefail

if [ $# -lt 3 ]; then
  echo "usage: $0 BINARY CORPUS_DIR SECONDS [libFuzzer flags...]" >&2
  exit 2
fi
binary=$(realpath -m "$1")
corpus=$(realpath -m "$2")
seconds=$3
shift 3
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
name=$(basename "$binary")

[ -x "$binary" ] || { echo "run.sh: $binary is not built (the fuzz.build test builds it)" >&2; exit 2; }
[ -d "$corpus" ] || { echo "run.sh: no corpus folder $corpus" >&2; exit 2; }

artifacts=${FUZZ_ARTIFACTS:-$(dirname "$binary")/artifacts/$name}
mkdir -p "$artifacts"
artifacts=$(realpath "$artifacts")
work=$(mktemp -d "${TMPDIR:-/tmp}/zw-fuzz-$name.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus"
cp -r "$corpus/." "$work/corpus/"

flags=(
  -max_total_time="$seconds"
  -timeout=20          # one input taking longer is a finding (a hang)
  -rss_limit_mb=2048   # so is one needing more memory (and a single malloc > 2 GiB)
  -max_len=131072      # seeds are < 64 KiB; more only slows each run
  -print_final_stats=1
  -artifact_prefix="$artifacts/"
)
[ -f "$here/tiles.dict" ] && flags+=(-dict="$here/tiles.dict")

# Stacks symbolised; UBSan stops at its first report (the targets are built with
# -fno-sanitize-recover, this adds the stack).
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

echo "run.sh: $name for ${seconds}s over a copy of $corpus ($(ls "$corpus" | wc -l) seeds)"
ls -A "$artifacts" >"$work/before"
rc=0
"$binary" "${flags[@]}" "$@" "$work/corpus" >"$work/log" 2>&1 || rc=$?
# The full log is long (one line per new coverage); the start and the end tell the story.
if [ $rc -ne 0 ]; then
  # The report is at the end; the lines before are coverage progress.
  grep -vE '^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse)' "$work/log" | tail -n 150
else
  grep -E "INFO: seed corpus|INITED|DONE|stat::|^#[0-9]+: cov" "$work/log" | tail -n 8 || true
fi

if [ -n "${FUZZ_KEEP_CORPUS:-}" ]; then
  mkdir -p "$FUZZ_KEEP_CORPUS"
  "$binary" -merge=1 "$FUZZ_KEEP_CORPUS" "$work/corpus" >/dev/null 2>&1 || true
  echo "run.sh: merged new inputs into $FUZZ_KEEP_CORPUS"
fi

if [ $rc -ne 0 ]; then
  found=$(ls -A "$artifacts" | comm -13 "$work/before" - || true)
  echo
  echo "run.sh: $name FAILED (exit $rc)."
  for f in $found; do
    echo "run.sh: reproducer: $artifacts/$f ($(stat -c %s "$artifacts/$f") bytes)"
    echo "run.sh:   rerun it:  $binary $artifacts/$f"
    echo "run.sh:   as hex:    $(head -c 256 "$artifacts/$f" | od -An -tx1 -v | tr -d ' \n')$([ "$(stat -c %s "$artifacts/$f")" -gt 256 ] && echo ...)"
  done
  [ -z "$found" ] && echo "run.sh: no reproducer was written; see the log above"
  exit 1
fi
echo "run.sh: $name ran ${seconds}s without a finding"
