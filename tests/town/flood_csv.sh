#!/usr/bin/env bash
# --flood-export-csv on a baked twin: the viewer writes the impacts CSV of the scenario
# (no GPU, exit 0, the path on stdout), never replacing a file, and its counts equal the
# impacts in summary.json of the same results folder (written by the bake's flood run).
# The export follows --lang: English CSV with --lang en; with German (the default) the
# German spreadsheet CSV (UTF-8 BOM, ';', decimal comma, German headers) whose values equal
# the English file's.
# usage: flood_csv.sh ZWILLING TWIN_DIR SCENARIO_ID OUT_DIR
set -uo pipefail
zwilling=$1 twin=$2 id=$3 out=$4
rm -rf "$out"
mkdir -p "$out"
path=$("$zwilling" --lang en --twin "$twin" --flood "$id" --flood-export-csv "$out/impacts.csv") || {
  echo "FAIL: the viewer exited with $?"; exit 1; }
[ "$path" = "$out/impacts.csv" ] || { echo "FAIL: printed '$path', expected $out/impacts.csv"; exit 1; }
# A second export keeps the first file and writes impacts-2.csv.
second=$("$zwilling" --lang en --twin "$twin" --flood "$id" --flood-export-csv "$out/impacts.csv" 2>/dev/null) || exit 1
[ "$second" = "$out/impacts-2.csv" ] || { echo "FAIL: second export went to '$second'"; exit 1; }
cmp -s "$out/impacts.csv" "$out/impacts-2.csv" || { echo "FAIL: two exports differ"; exit 1; }
german=$("$zwilling" --twin "$twin" --flood "$id" --flood-export-csv "$out/impacts-de.csv" 2>/dev/null) || {
  echo "FAIL: the German export exited with $?"; exit 1; }
exec python3 - "$out/impacts.csv" "$twin" "$id" "$german" <<'PY'
import csv, json, sys
from pathlib import Path
path, twin, sid, german = sys.argv[1:]
manifest = json.loads((Path(twin) / "twin.json").read_text())
entry = next(s for s in manifest["scenarios"] if s["id"] == sid)
summary = json.loads((Path(twin) / entry["results"] / "summary.json").read_text())["impacts"]
rows = list(csv.DictReader(open(path, encoding="utf-8")))
header = open(path, encoding="utf-8").readline().strip()
want = "id,name,kind,residents,max_depth_m,first_wet_s"
fail = []
if header not in (want, "id,name,kind,residents,critical,max_depth_m,first_wet_s"):
    fail.append(f"header '{header}'")
depths = [float(r["max_depth_m"]) for r in rows]
if depths != sorted(depths, reverse=True): fail.append("rows are not deepest first")
if any(d <= 0 for d in depths): fail.append("a row without water")
over10 = [r for r in rows if float(r["max_depth_m"]) > 0.10]
over50 = [r for r in rows if float(r["max_depth_m"]) > 0.50]
residents = sum(int(r["residents"]) for r in over10)
for name, got, exp in [("over 10 cm", len(over10), summary["over_10cm"]),
                       ("over 50 cm", len(over50), summary["over_50cm"]),
                       ("residents", residents, summary["residents_affected"])]:
    print(f"{name}: {got} (summary.json: {exp})")
    if got != exp: fail.append(f"{name}: {got} in the CSV, {exp} in summary.json")
if not all(r["first_wet_s"] for r in over10): fail.append("a building over 10 cm without a first-wet time")
print(f"{len(rows)} rows; header {header}")
# The German file as a German spreadsheet reads it: BOM, ';', decimal comma.
raw = open(german, "rb").read()
if not raw.startswith(b"\xef\xbb\xbf"): fail.append("the German CSV has no UTF-8 BOM")
de = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
want_de = "ID;Name;Art;Einwohner;max. Tiefe (m);nass ab (s)"
if ";".join(de[0]) not in (want_de, want_de.replace("Einwohner;", "Einwohner;kritisch;")):
    fail.append(f"German header {';'.join(de[0])}")
en = list(csv.reader(open(path, encoding="utf-8").read().splitlines()))
words = {"yes": "ja", "no": "nein"}
import re
if len(de) != len(en): fail.append(f"German CSV has {len(de)} lines, English {len(en)}")
for i, (d, e) in enumerate(zip(de[1:], en[1:]), 2):
    # A number: the same digits with a decimal comma (the value German Excel reads); else
    # the same text, yes/no in German.
    want = [b.replace(".", ",") if re.fullmatch(r"-?\d+(\.\d+)?", b) else words.get(b, b) for b in e]
    if d != want:
        fail.append(f"German line {i}: {d} against {e}")
        break
print(f"German CSV: {len(de) - 1} rows, header {';'.join(de[0])}")
if fail:
    print("FAIL: " + "; ".join(fail)); sys.exit(1)
PY
