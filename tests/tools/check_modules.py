#!/usr/bin/env python3
"""The module graph holds: every include is of a module the including target links.

usage: check_modules.py MODULES_JSON SOURCE_ROOT [--graph]

MODULES_JSON is written by CMake (zw_module in the top-level CMakeLists.txt): per
target its folder, sources and direct PUBLIC/PRIVATE links. A target may include the
headers of its own folder, of the modules it links, and of the modules those export
(their PUBLIC links, transitively). The check fails, naming file and line, when
- a file includes a header of a module its target does not link,
- an engine file includes app/ or tests/,
- a module without Vulkan in its link closure includes <vulkan/...>, or any engine
  file includes GLFW or ImGui,
- a .cpp under engine/ or app/ belongs to no target, or a header to no module folder,
- the declared graph or the include graph between engine folders has a cycle.
--graph prints which module links which.
"""
import json
import pathlib
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
PROJECT_DIRS = ("engine/", "app/", "shaders/", "tests/")
GPU_LIBS = {"Vulkan::Vulkan", "zw_imgui"}
WINDOW_HEADERS = ("GLFW/", "imgui")


def load(path):
    modules = json.loads(pathlib.Path(path).read_text())
    for m in modules.values():
        m["public"] = [d for d in m["public"] if d]
        m["private"] = [d for d in m["private"] if d]
    return modules


def exported(modules, name, seen=None):
    """`name` and the modules it exports: its PUBLIC links, transitively."""
    seen = set() if seen is None else seen
    if name in seen or name not in modules:
        return seen
    seen.add(name)
    for dep in modules[name]["public"]:
        exported(modules, dep, seen)
    return seen


def visible(modules, name):
    out = {name}
    for dep in modules[name]["public"] + modules[name]["private"]:
        out |= exported(modules, dep)
    return out


def link_closure(modules, name, seen=None):
    """Everything `name` links, modules and system libraries, PUBLIC and PRIVATE."""
    seen = set() if seen is None else seen
    for dep in modules.get(name, {}).get("public", []) + modules.get(name, {}).get("private", []):
        if dep not in seen:
            seen.add(dep)
            link_closure(modules, dep, seen)
    return seen


def owners(modules, path):
    """The library modules whose folder holds `path` (the deepest such folder)."""
    best, found = -1, set()
    for name, m in modules.items():
        folder = m["folder"]
        if m["executable"] or not folder:
            continue
        if path.startswith(folder + "/") and len(folder) > best:
            best, found = len(folder), {name}
        elif path.startswith(folder + "/") and len(folder) == best:
            found.add(name)
    return found


def includes(root, rel):
    for number, line in enumerate((root / rel).read_text(errors="replace").splitlines(), 1):
        m = INCLUDE.match(line)
        if m:
            yield number, m.group(1), m.group(2)


def find_cycle(graph):
    state, stack = {}, []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for d in sorted(graph.get(n, ())):
            if state.get(d) == 1:
                return stack[stack.index(d):] + [d]
            if d not in state:
                c = visit(d)
                if c:
                    return c
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state:
            c = visit(n)
            if c:
                return c
    return None


def check(modules, root):
    problems = []
    # Which targets each file is checked for: sources for their target, headers for
    # the module(s) owning their folder.
    files = {}
    for name, m in modules.items():
        for src in m["sources"]:
            files.setdefault(src, set()).add(name)
    for folder in ("engine", "app"):
        for path in sorted((root / folder).rglob("*")):
            rel = path.relative_to(root).as_posix()
            if path.suffix == ".cpp" and rel not in files:
                problems.append(f"{rel}: belongs to no target; add it to a zw_module() in its folder's CMakeLists.txt")
            elif path.suffix == ".h":
                own = owners(modules, rel)
                if not own:
                    problems.append(f"{rel}: lies in no module's folder")
                files.setdefault(rel, set()).update(own)

    folder_edges = {}
    for rel, targets in sorted(files.items()):
        if not (root / rel).exists():
            problems.append(f"{rel}: listed in modules.json but missing")
            continue
        allowed = set()
        for t in targets:
            allowed |= visible(modules, t)
        gpu = any(GPU_LIBS & link_closure(modules, t) for t in targets)
        for number, kind, inc in includes(root, rel):
            where = f"{rel}:{number}"
            if kind == "<":
                if inc.startswith("vulkan/") and not gpu:
                    problems.append(f"{where}: includes <{inc}> but {'/'.join(sorted(targets))} links no Vulkan")
                if rel.startswith("engine/") and inc.startswith(WINDOW_HEADERS):
                    problems.append(f"{where}: the engine includes <{inc}>; window and UI code lives in app/")
                continue
            if not inc.startswith(PROJECT_DIRS):
                continue  # relative to the file's own folder
            if rel.startswith("engine/") and inc.startswith(("app/", "tests/")):
                problems.append(f"{where}: the engine includes {inc}")
                continue
            if inc.startswith("tests/"):
                continue
            if not (root / inc).exists():
                problems.append(f"{where}: includes {inc}, which does not exist")
                continue
            header_owners = owners(modules, inc)
            if not header_owners & allowed:
                need = " or ".join(sorted(header_owners)) or "no module"
                problems.append(f"{where}: includes {inc} of {need}, which {'/'.join(sorted(targets))} does not link")
            if rel.startswith("engine/") and inc.startswith("engine/"):
                a = "/".join(rel.split("/")[:-1])
                b = "/".join(inc.split("/")[:-1])
                if a != b:
                    folder_edges.setdefault(a, set()).add(b)

    declared = {n: {d for d in m["public"] + m["private"] if d in modules} for n, m in modules.items()}
    cycle = find_cycle(declared)
    if cycle:
        problems.append("the declared module graph has a cycle: " + " -> ".join(cycle))
    cycle = find_cycle(folder_edges)
    if cycle:
        problems.append("engine folders include each other in a cycle: " + " -> ".join(cycle))
    return problems


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    modules = load(argv[1])
    root = pathlib.Path(argv[2])
    problems = check(modules, root)
    if "--graph" in argv or not problems:
        for name, m in modules.items():
            deps = [d for d in m["public"] + m["private"] if d in modules or d in GPU_LIBS]
            print(f"{name:18} {m['folder']:22} -> {', '.join(deps) if deps else '-'}")
    for p in problems:
        print("check_modules: " + p, file=sys.stderr)
    if problems:
        print(f"check_modules: {len(problems)} problem(s) in the module graph", file=sys.stderr)
        return 1
    print(f"check_modules: {len(modules)} modules, every include within what its target links")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
