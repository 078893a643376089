#!/usr/bin/env python3
"""Runs one golden-image case of tests/golden_cases.json: the case's command, then its checks.

    golden_run.py CASE --build DIR --compare ZW_IMAGE_COMPARE [--set NAME=VALUE]... [--bless]
                  [--table JSON] [--source DIR]
    golden_run.py --list [--table JSON]
    golden_run.py --check [--table JSON] [--source DIR] [--set NAME=VALUE]...

CASE is a case's name (the ctest name, e.g. town.oblique). The runner
  1. skips (exit 77) when the case's "need" path is not there;
  2. runs the case's command (placeholders filled in, see below) and prints its output;
  3. fails when the command exits non-zero (exit 77 is a skip where the case says
     "may_skip"), wrote no image at "actual", or printed a Vulkan validation message
     ("validation:"); with "expect_once", when the output does not hold exactly one line
     matching that regular expression;
  4. with "golden_text", fails when the overlay's text ({actual_text}) is not exactly the
     golden text (a unified diff is printed);
  5. compares the image with the golden PNG through zw_image_compare under the case's
     "tolerance" (tests/tools/golden_compare.h, the render tests' criterion); on a
     mismatch the diff image is written next to the actual image (ACTUAL.diff.png) and
     its path printed.
Exit 0 passed, 1 failed, 2 bad usage or a broken table, 77 skipped.

Re-blessing: ZW_BLESS=1 (or --bless) copies the actual image (and text) over the golden
instead of comparing, after the command and the other checks passed. Look at the new
files before committing them.

Placeholders in "command", "need", "serve" and "vars": {source} (the project root),
{build} (the build folder), {actual} (the case's output PNG), {actual_text} (the same
with .txt), {served} (the http:// URL of "serve"), every --set NAME=VALUE (CMake passes
zwilling, zwilling_bake, town) and the table's "vars". An element "@NAME" of a command
is replaced by the list "args"[NAME]. The format is described in tests/render/README.md.

--list prints the case names; --check validates the table (fields, tolerances, that
every golden file exists, that every placeholder is known given the --set names)
without running anything.
"""

import argparse
import difflib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))

REQUIRED = {"name": str, "command": list, "golden": str, "actual": str, "tolerance": dict, "labels": list,
            "timeout": (int, float)}
OPTIONAL = {"about": str, "fixtures": list, "need": str, "may_skip": bool, "serve": str, "expect_once": str,
            "golden_text": str}
TOLERANCE = ("channel", "max_fraction", "max_block_fraction")


class TableError(Exception):
    pass


def load_table(path):
    """The table, checked: every case has the fields and a tolerance in range."""
    try:
        with open(path, encoding="utf-8") as f:
            table = json.load(f)
    except (OSError, ValueError) as e:
        raise TableError(f"cannot read the golden table {path}: {e}")
    for key in ("vars", "args"):
        if not isinstance(table.get(key, {}), dict):
            raise TableError(f"{path}: '{key}' must be an object")
    for name, args in table.get("args", {}).items():
        if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
            raise TableError(f"{path}: args '{name}' must be a list of strings")
    cases = table.get("cases")
    if not isinstance(cases, list) or not cases:
        raise TableError(f"{path}: 'cases' must be a non-empty list")
    seen = set()
    for i, case in enumerate(cases):
        where = f"{path}: case {i + 1} ({case.get('name', 'no name') if isinstance(case, dict) else '?'})"
        if not isinstance(case, dict):
            raise TableError(f"{where}: must be an object")
        for key, kind in REQUIRED.items():
            if key not in case:
                raise TableError(f"{where}: '{key}' is missing")
        for key, value in case.items():
            kind = REQUIRED.get(key) or OPTIONAL.get(key)
            if kind is None:
                known = ", ".join(list(REQUIRED) + list(OPTIONAL))
                raise TableError(f"{where}: unknown field '{key}' (known: {known})")
            if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
                raise TableError(f"{where}: '{key}' has the wrong type")
        if case["name"] in seen:
            raise TableError(f"{where}: the name is used twice")
        seen.add(case["name"])
        if not case["command"] or not all(isinstance(a, str) for a in case["command"]):
            raise TableError(f"{where}: 'command' must be a non-empty list of strings")
        for key in ("labels", "fixtures"):
            if not all(isinstance(x, str) and x for x in case.get(key, [])):
                raise TableError(f"{where}: '{key}' must be a list of names")
        for key in ("golden", "actual"):
            if not case[key].endswith(".png") or os.path.isabs(case[key]):
                raise TableError(f"{where}: '{key}' must be a relative path of a .png")
        tol = case["tolerance"]
        if sorted(tol) != sorted(TOLERANCE):
            raise TableError(f"{where}: 'tolerance' must give exactly {', '.join(TOLERANCE)}")
        if not isinstance(tol["channel"], int) or isinstance(tol["channel"], bool) or not 0 <= tol["channel"] <= 255:
            raise TableError(f"{where}: tolerance.channel must be a whole number 0-255")
        for key in TOLERANCE[1:]:
            if not isinstance(tol[key], (int, float)) or isinstance(tol[key], bool) or not 0 <= tol[key] <= 1:
                raise TableError(f"{where}: tolerance.{key} must be a fraction between 0 and 1")
        if case.get("expect_once") is not None:
            try:
                re.compile(case["expect_once"])
            except re.error as e:
                raise TableError(f"{where}: expect_once is not a regular expression: {e}")
    return table


def substitute(text, values, where):
    def one(match):
        name = match.group(1)
        if name not in values:
            raise TableError(f"{where}: unknown placeholder {{{name}}} (known: {', '.join(sorted(values))})")
        return values[name]

    return re.sub(r"\{([A-Za-z_][A-Za-z0-9_]*)\}", one, text)


def placeholders(table, case, source, build, sets, served=None):
    values = {"source": source, "build": build, **sets}
    values["actual"] = os.path.join(build, case["actual"])
    values["actual_text"] = values["actual"][: -len(".png")] + ".txt"
    if served is not None:
        values["served"] = served
    for name, text in table.get("vars", {}).items():
        values[name] = substitute(text, values, f"vars.{name}")
    return values


def expand_command(table, case, values):
    argv = []
    for element in case["command"]:
        if element.startswith("@"):
            args = table.get("args", {}).get(element[1:])
            if args is None:
                raise TableError(f"{case['name']}: no args '{element[1:]}' in the table")
            argv += [substitute(a, values, case["name"]) for a in args]
        else:
            argv.append(substitute(element, values, case["name"]))
    return argv


def start_server(root, tmp):
    """serve_http.py on loopback for `root`; returns (process, URL)."""
    port_file = os.path.join(tmp, "port")
    server = subprocess.Popen([sys.executable, os.path.join(HERE, "serve_http.py"), "--root", root,
                               "--port-file", port_file])
    for _ in range(100):
        if os.path.exists(port_file) and os.path.getsize(port_file) > 0:
            break
        if server.poll() is not None:
            break
        time.sleep(0.1)
    if not (os.path.exists(port_file) and os.path.getsize(port_file) > 0):
        server.kill()
        raise RuntimeError("the test HTTP server did not start")
    with open(port_file) as f:
        return server, f"http://127.0.0.1:{f.read().strip()}"


def run_command(argv):
    """Runs argv with stdout and stderr together, echoing them; returns (exit code, output)."""
    print("$ " + " ".join(argv), flush=True)
    try:
        process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                   errors="replace")
    except OSError as e:
        return None, f"cannot run {argv[0]}: {e}"
    lines = []
    try:
        for line in process.stdout:
            sys.stdout.write(line)
            lines.append(line)
        return process.wait(), "".join(lines)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def remove(*paths):
    for p in paths:
        if os.path.lexists(p):
            os.remove(p)


def run_case(table, case, args, bless):
    source, build = os.path.abspath(args.source), os.path.abspath(args.build)
    values = placeholders(table, case, source, build, args.sets)
    tol = case["tolerance"]
    print(f"case {case['name']}: {case.get('about', '')}".rstrip(), flush=True)
    need = substitute(case.get("need", ""), values, case["name"])
    if need and not os.path.exists(need):
        print(f"skipped: {need} is not here")
        return 77
    golden = os.path.join(source, case["golden"])
    actual = values["actual"]
    diff = actual[: -len(".png")] + ".diff.png"
    os.makedirs(os.path.dirname(actual), exist_ok=True)
    remove(actual, diff, values["actual_text"])

    server, tmp = None, None
    try:
        if "serve" in case:
            root = substitute(case["serve"], values, case["name"])
            tmp = tempfile.mkdtemp(prefix="zw_golden_")
            try:
                server, url = start_server(root, tmp)
            except RuntimeError as e:
                print(f"FAIL: {e}")
                return 1
            print(f"serving {root} at {url}")
            values = placeholders(table, case, source, build, args.sets, served=url)
        code, output = run_command(expand_command(table, case, values))
    finally:
        if server is not None:
            server.kill()
            server.wait()
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)

    if code is None:
        print(f"FAIL: {output}")
        return 1
    if code == 77 and case.get("may_skip"):
        print("skipped: the command exited with 77 (something it needs is not installed)")
        return 77
    if code != 0:
        print(f"FAIL: the command exited with {code}")
        return 1
    if not os.path.exists(actual) or os.path.getsize(actual) == 0:
        print(f"FAIL: the command wrote no image {actual}")
        return 1
    failures = []
    if "validation:" in output:
        failures.append("Vulkan validation messages")
    if "expect_once" in case:
        n = sum(1 for line in output.splitlines() if re.search(case["expect_once"], line))
        if n != 1:
            failures.append(f"{n} lines match '{case['expect_once']}', expected exactly 1")
    if failures:
        for f in failures:
            print(f"FAIL: {f}")
        return 1

    if "golden_text" in case:
        golden_text, actual_text = os.path.join(source, case["golden_text"]), values["actual_text"]
        if not os.path.exists(actual_text):
            failures.append(f"the command wrote no text {actual_text} (does it pass --ui-text {{actual_text}}?)")
        elif bless:
            shutil.copyfile(actual_text, golden_text)
            print(f"blessed {golden_text}; read it before committing it")
        else:
            with open(actual_text, encoding="utf-8", errors="replace") as f:
                got = f.read().splitlines(keepends=True)
            try:
                with open(golden_text, encoding="utf-8", errors="replace") as f:
                    want = f.read().splitlines(keepends=True)
            except OSError:
                want = None
            if want is None:
                failures.append(f"no golden text {golden_text}; run with ZW_BLESS=1 to create it")
            elif got != want:
                sys.stdout.writelines(difflib.unified_diff(want, got, golden_text, actual_text))
                failures.append(f"the overlay's text differs from {golden_text} (above; ZW_BLESS=1 re-blesses)")
            else:
                print(f"text: the same as {golden_text}")

    compare = [args.compare, golden, actual, "--tolerance", str(tol["channel"]), "--max-fraction",
               repr(float(tol["max_fraction"])), "--max-block-fraction", repr(float(tol["max_block_fraction"])),
               "--diff", diff]
    if bless:
        compare.append("--bless")
    code, _ = run_command(compare)
    if code != 0:
        failures.append(f"the image differs from {golden}" + (f"; diff image: {diff}" if os.path.exists(diff) else ""))
    for f in failures:
        print(f"FAIL: {f}")
    return 1 if failures else 0


def check_table(table, source, sets):
    """Every golden file is there and every command expands (with the --set names given)."""
    problems = []
    for case in table["cases"]:
        for key in ("golden", "golden_text"):
            if key in case and not os.path.isfile(os.path.join(source, case[key])):
                problems.append(f"{case['name']}: {key} {case[key]} is not in the source tree")
        try:
            values = placeholders(table, case, source, "<build>", sets, served="<served>")
            substitute(case.get("need", ""), values, case["name"])
            substitute(case.get("serve", ""), values, case["name"])
            expand_command(table, case, values)
        except TableError as e:
            problems.append(str(e))
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("case", nargs="?", help="the case to run (its ctest name)")
    parser.add_argument("--table", help="the table (default: tests/golden_cases.json of --source)")
    parser.add_argument("--source", default=SOURCE, help="the project root (default: this checkout)")
    parser.add_argument("--build", help="the build folder: outputs go below it ('actual' of the case)")
    parser.add_argument("--compare", help="the zw_image_compare executable")
    parser.add_argument("--set", dest="sets", action="append", default=[], metavar="NAME=VALUE",
                        help="a placeholder's value, e.g. zwilling=build/debug/app/viewer/zwilling")
    parser.add_argument("--bless", action="store_true", help="copy the outputs over the goldens (as ZW_BLESS=1)")
    parser.add_argument("--list", action="store_true", help="print the case names")
    parser.add_argument("--check", action="store_true", help="validate the table and the golden files")
    args = parser.parse_args()
    table_path = args.table or os.path.join(args.source, "tests", "golden_cases.json")
    try:
        table = load_table(table_path)
    except TableError as e:
        print(f"golden_run: {e}", file=sys.stderr)
        return 2
    if args.list:
        for case in table["cases"]:
            print(case["name"])
        return 0
    sets = {}
    for s in args.sets:
        name, eq, value = s.partition("=")
        if not eq or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            parser.error(f"--set expects NAME=VALUE, got '{s}'")
        sets[name] = value
    args.sets = sets
    if args.check:
        problems = check_table(table, os.path.abspath(args.source), sets)
        for p in problems:
            print(f"golden_run: {p}", file=sys.stderr)
        if not problems:
            print(f"{table_path}: {len(table['cases'])} cases, every golden file is there")
        return 1 if problems else 0
    if not args.case or not args.build or not args.compare:
        parser.error("give CASE, --build and --compare (or --list / --check)")
    case = next((c for c in table["cases"] if c["name"] == args.case), None)
    if case is None:
        print(f"golden_run: no case '{args.case}' in {table_path} (--list names them)", file=sys.stderr)
        return 2
    # ctest's timeout sends SIGTERM: stop the command and the HTTP server on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    bless = args.bless or os.environ.get("ZW_BLESS") == "1"
    try:
        return run_case(table, case, args, bless)
    except TableError as e:
        print(f"golden_run: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
