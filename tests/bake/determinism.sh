#!/usr/bin/env bash
# Same seed and recipe -> byte-identical twin bundles; another seed -> another town.
# usage: determinism.sh BAKE BASELINE_DIR WORK_DIR
set -euo pipefail
bake=$1 baseline=$2 work=$3
rm -rf "$work"
"$bake" --out "$work/same" >/dev/null
# bake-report.json holds timings; the twins must match byte for byte.
for twin in citizen council administration; do
  if ! diff -r "$baseline/$twin" "$work/same/$twin" >/dev/null; then
    echo "FAIL: the same seed and recipe gave different bytes in $twin/:"
    diff -rq "$baseline/$twin" "$work/same/$twin" | head -20
    exit 1
  fi
done
files=$(find "$baseline/citizen" "$baseline/council" "$baseline/administration" -type f | wc -l)
echo "same seed: all $files files of the three twins are byte-identical"
"$bake" --seed 2 --out "$work/other" >/dev/null
changed=$(diff -rq "$baseline/citizen" "$work/other/citizen" | wc -l || true)
if cmp -s "$baseline/citizen/buildings/tileset.json" "$work/other/citizen/buildings/tileset.json"; then
  echo "FAIL: seed 2 gave the same buildings tileset as seed 1"
  exit 1
fi
echo "seed 2: $changed files of citizen/ differ from seed 1"
rm -rf "$work"
