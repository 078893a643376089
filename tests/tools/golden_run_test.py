#!/usr/bin/env python3
"""Self-test of the golden-image runner (golden_run.py) and comparator (zw_image_compare).

    golden_run_test.py --compare ZW_IMAGE_COMPARE [--table tests/golden_cases.json [--set NAME=VALUE]...]

Makes small PNGs in a temporary folder and a table of cases whose commands copy them
(no viewer, no GPU), and checks that each case passes or fails as it should: a wrong
golden fails and writes the diff image, the tolerance's three parts each decide, the
overlay text, validation messages, expect_once, need/may_skip (77), serve, blessing;
and that zw_image_compare refuses a comparison without a stated tolerance. Then
validates the real table (golden_run.py --check, with the --set placeholders that CMake
gives its cases). Exit 0 passed, 1 failed.
"""

import argparse
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
RUNNER = os.path.join(HERE, "golden_run.py")

# The cases' commands run this (written into the temporary folder): each flag is a step.
TOOL = """import shutil, sys, urllib.request
args = sys.argv[1:]
while args:
    flag = args.pop(0)
    if flag == "--copy":
        shutil.copyfile(args.pop(0), args.pop(0))
    elif flag == "--say":
        print(args.pop(0))
    elif flag == "--write":
        path, text = args.pop(0), args.pop(0)
        open(path, "w").write(text)
    elif flag == "--fetch":
        url, path = args.pop(0), args.pop(0)
        open(path, "wb").write(urllib.request.urlopen(url, timeout=30).read())
    elif flag == "--exit":
        sys.exit(int(args.pop(0)))
"""

failures = []


def check(condition, message):
    print(("ok:   " if condition else "FAIL: ") + message, flush=True)
    if not condition:
        failures.append(message)


def write_png(path, width, height, rgba):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\0" + bytes(rgba[y * width * 4:(y + 1) * width * 4]) for y in range(height))
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def make_images(d):
    w = h = 128
    base = bytearray()
    for y in range(h):
        for x in range(w):
            base += bytes((x * 2 % 256, y * 2 % 256, (x + y) % 256, 255))
    write_png(f"{d}/a.png", w, h, base)
    block = bytearray(base)  # one 8x8 block red: 64 of 16384 pixels (0.39 %), the whole block
    for y in range(40, 48):
        for x in range(80, 88):
            block[(y * w + x) * 4:(y * w + x) * 4 + 4] = bytes((255, 0, 0, 255))
    write_png(f"{d}/block.png", w, h, block)
    shifted = bytearray(base)  # every colour channel 5 brighter (or darker near 255)
    for i in range(len(shifted)):
        if i % 4 != 3:
            shifted[i] = shifted[i] + 5 if shifted[i] <= 250 else shifted[i] - 5
    write_png(f"{d}/shifted.png", w, h, shifted)
    write_png(f"{d}/small.png", 64, 64, base[:64 * 64 * 4])


def case(name, command, golden="a.png", tolerance=(6, 0.005, 0.5), **extra):
    c = {"name": name, "command": command, "golden": golden, "actual": f"out/{name}.png",
         "tolerance": dict(zip(("channel", "max_fraction", "max_block_fraction"), tolerance)),
         "labels": ["unit"], "timeout": 60}
    c.update(extra)
    return c


def copy(image, *more):
    return ["@tool", "--copy", "{source}/" + image, "{actual}", *more]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--compare", required=True)
    parser.add_argument("--table", help="the real table, checked with golden_run.py --check")
    parser.add_argument("--set", dest="sets", action="append", default=[], metavar="NAME=VALUE",
                        help="passed on to golden_run.py --check: the placeholders the cases get")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="zw_golden_test_")
    try:
        return run(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run(args, d):
    make_images(d)
    with open(f"{d}/tool.py", "w") as f:
        f.write(TOOL)
    with open(f"{d}/golden.txt", "w") as f:
        f.write("Layers\n  Buildings 42\n")
    os.makedirs(f"{d}/served")
    shutil.copyfile(f"{d}/a.png", f"{d}/served/a.png")
    os.makedirs(f"{d}/bless")
    shutil.copyfile(f"{d}/a.png", f"{d}/bless/golden.png")
    shutil.copyfile(f"{d}/golden.txt", f"{d}/bless/golden.txt")

    expected = {}  # name -> exit code

    def add(code, c):
        expected[c["name"]] = code
        cases.append(c)

    cases = []
    add(0, case("match", copy("a.png")))
    add(1, case("wrong_golden", copy("block.png")))
    add(0, case("block_allowed", copy("block.png"), tolerance=(6, 0.005, 1.0)))
    add(1, case("fraction_counts", copy("block.png"), tolerance=(6, 0.003, 1.0)))
    add(0, case("within_channel", copy("shifted.png"), tolerance=(5, 0, 0)))
    add(1, case("beyond_channel", copy("shifted.png"), tolerance=(4, 0.5, 1.0)))
    add(1, case("other_size", copy("small.png"), tolerance=(255, 1, 1)))
    add(77, case("need_missing", copy("a.png"), need="{source}/no_such_sample"))
    add(0, case("need_there", copy("a.png"), need="{source}/a.png"))
    add(1, case("command_fails", copy("a.png", "--exit", "3")))
    add(1, case("exit_77_not_a_skip", copy("a.png", "--exit", "77")))
    add(77, case("may_skip", copy("a.png", "--exit", "77"), may_skip=True))
    add(1, case("no_image", ["@tool", "--say", "nothing written"]))
    add(1, case("validation", copy("a.png", "--say", "validation: [VUID-x] error")))
    add(0, case("expect_once", copy("a.png", "--say", "tile 'x.b3dm' could not be loaded"),
                expect_once="x\\.b3dm' could not be loaded"))
    add(1, case("expect_once_twice", copy("a.png", "--say", "tile 'x.b3dm' could not be loaded", "--say",
                                          "tile 'x.b3dm' could not be loaded"),
                expect_once="x\\.b3dm' could not be loaded"))
    add(0, case("text_same", copy("a.png", "--write", "{actual_text}", "Layers\n  Buildings 42\n"),
                golden_text="golden.txt"))
    add(1, case("text_differs", copy("a.png", "--write", "{actual_text}", "Layers\n  Buildings 43\n"),
                golden_text="golden.txt"))
    add(0, case("served", ["@tool", "--fetch", "{served}/a.png", "{actual}"], serve="{source}/served"))
    add(2, case("unknown_placeholder", copy("a.png", "--say", "{nope}")))
    bless = case("bless", copy("block.png", "--write", "{actual_text}", "blessed text\n"),
                 golden="bless/golden.png", golden_text="bless/golden.txt")
    cases.append(bless)
    table = {"vars": {"here": "{source}"}, "args": {"tool": ["{py}", "{here}/tool.py"]}, "cases": cases}
    with open(f"{d}/table.json", "w") as f:
        json.dump(table, f, indent=1)

    def runner(name, *more, env=None):
        cmd = [sys.executable, RUNNER, name, "--table", f"{d}/table.json", "--source", d, "--build", f"{d}/build",
               "--compare", args.compare, "--set", f"py={sys.executable}", *more]
        r = subprocess.run(cmd, capture_output=True, text=True, env=env)
        return r.returncode, r.stdout + r.stderr

    clean_env = {k: v for k, v in os.environ.items() if k != "ZW_BLESS"}
    for name, want in expected.items():
        code, out = runner(name, env=clean_env)
        check(code == want, f"{name}: exit code {code}, expected {want}" + ("" if code == want else "\n" + out))
        diff = f"{d}/build/out/{name}.diff.png"
        if name in ("wrong_golden", "fraction_counts", "beyond_channel", "other_size"):
            check(os.path.isfile(diff) and f"diff image: {diff}" in out,
                  f"{name}: the diff image is written and its path printed")
        if name == "wrong_golden":
            check("worst 8x8 block at 80,40: 100% differ (allowed 50%)" in out, f"{name}: the block is named")
        if name == "match":
            check(not os.path.exists(diff), f"{name}: no diff image when the images match")
        if name == "text_differs":
            check("-  Buildings 42" in out and "+  Buildings 43" in out, f"{name}: the text's diff is printed")

    # Blessing: the golden (image and text) becomes the output, and the case then passes.
    code, out = runner("bless", env=clean_env)
    check(code == 1, "bless: fails before blessing")
    code, out = runner("bless", env={**clean_env, "ZW_BLESS": "1"})
    same = open(f"{d}/bless/golden.png", "rb").read() == open(f"{d}/block.png", "rb").read()
    text = open(f"{d}/bless/golden.txt").read()
    check(code == 0 and same and text == "blessed text\n", "bless: ZW_BLESS=1 copies the image and the text")
    shutil.copyfile(f"{d}/a.png", f"{d}/bless/golden.png")
    code, out = runner("bless", "--bless", env=clean_env)
    check(code == 0 and open(f"{d}/bless/golden.png", "rb").read() == open(f"{d}/block.png", "rb").read(),
          "bless: --bless copies the image")
    code, out = runner("bless", env=clean_env)
    check(code == 0, "bless: passes after blessing")

    # A broken table is refused with exit code 2.
    broken = {"cases": [dict(cases[0], tolerance={"channel": 6, "max_fraction": 0.005})]}
    with open(f"{d}/broken.json", "w") as f:
        json.dump(broken, f)
    r = subprocess.run([sys.executable, RUNNER, "--check", "--table", f"{d}/broken.json", "--source", d],
                       capture_output=True, text=True)
    check(r.returncode == 2 and "tolerance" in r.stderr, "a case without max_block_fraction is refused")

    # zw_image_compare states no tolerance of its own.
    r = subprocess.run([args.compare, f"{d}/a.png", f"{d}/a.png"], capture_output=True, text=True)
    check(r.returncode == 2, "zw_image_compare without a tolerance: exit code 2")
    r = subprocess.run([args.compare, f"{d}/a.png", f"{d}/block.png", "--tolerance", "6", "--max-fraction",
                        "0.005", "--max-block-fraction", "0.5"], capture_output=True, text=True)
    check(r.returncode == 1 and os.path.isfile(f"{d}/block.diff.png"),
          "zw_image_compare: differing images, exit code 1, diff image next to ACTUAL")

    if args.table:
        sets = [a for s in args.sets for a in ("--set", s)]
        r = subprocess.run([sys.executable, RUNNER, "--check", "--table", args.table, *sets], capture_output=True,
                           text=True)
        check(r.returncode == 0, f"{args.table} is valid and its golden files are there\n{r.stdout}{r.stderr}")

    if failures:
        print(f"FAILED: {len(failures)} checks")
        return 1
    print("passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
