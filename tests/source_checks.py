#!/usr/bin/env python3
"""Checks of the engine's shape that the compiler cannot make (issue #25), run by ctest.

    tests/source_checks.py layers ROOT     no include points up a layer; front ends use public
                                           headers only
    tests/source_checks.py messages ROOT   no string literal of the engine spells an option as a
                                           flag ("--since"): opt() names it (newsidx/error.hpp)
    tests/source_checks.py functions ROOT  no function of the engine or the front ends is over
                                           80 lines (scripts/function_lengths.py)

Each prints one line per finding, FILE:LINE: what, and exits 1 when there is one.
"""
import os
import re
import subprocess
import sys

LAYERS = ["text", "index", "search", "present", "alerts", "cli"]  # each may use those before it
FRONT_ENDS = ["indexer", "searcher"]


def sources(folder):
    for root, _, names in os.walk(folder):
        for name in sorted(names):
            if name.endswith((".cpp", ".hpp")):
                yield os.path.join(root, name)


def owner(root, header):
    """(layer, public) of the header included as `header`; (None, False) when no layer has it."""
    for layer in LAYERS:
        if os.path.exists(os.path.join(root, "common", layer, "include", header)):
            return layer, True
        if os.path.exists(os.path.join(root, "common", layer, header)):
            return layer, False
    return None, False


def includes(path):
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            m = re.match(r'\s*#\s*include\s*"([^"]+)"', line)
            if m:
                yield n, m.group(1)


def check_layers(root):
    found = []
    for rank, layer in enumerate(LAYERS):
        for path in sources(os.path.join(root, "common", layer)):
            for n, header in includes(path):
                other, _ = owner(root, header)
                if other and LAYERS.index(other) > rank:
                    found.append(f"{os.path.relpath(path, root)}:{n}: the {layer} layer includes "
                                 f'"{header}" of the {other} layer above it')
    for front in FRONT_ENDS:
        for path in sources(os.path.join(root, front)):
            for n, header in includes(path):
                other, public = owner(root, header)
                if other and not public:
                    found.append(f"{os.path.relpath(path, root)}:{n}: a front end includes "
                                 f'"{header}", a header of the {other} layer\'s own, not a '
                                 "public one (include/newsidx/)")
    return found


LITERAL = re.compile(r'"((?:[^"\\\n]|\\.)*)"')


def check_messages(root):
    found = []
    for layer in LAYERS[:-1]:  # the command-line layer is the one that spells flags
        for path in sources(os.path.join(root, "common", layer)):
            with open(path, encoding="utf-8") as f:
                for n, line in enumerate(f, 1):
                    code = line.split("//")[0] if not line.lstrip().startswith("#") else ""
                    if line.lstrip().startswith("//"):
                        continue
                    for m in LITERAL.finditer(line):
                        if re.search(r"--[a-z]", m.group(1)) and m.start() < len(code):
                            found.append(f"{os.path.relpath(path, root)}:{n}: a flag spelled in "
                                         f"the engine: {m.group(0)}; name it with opt()")
    return found


def check_functions(root):
    tool = os.path.join(root, "scripts", "function_lengths.py")
    run = subprocess.run([sys.executable, tool, "--max", "80"] +
                         [os.path.join(root, d) for d in ("common", "indexer", "searcher")],
                         capture_output=True, text=True)
    return run.stdout.splitlines()


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("layers", "messages", "functions"):
        print(__doc__, file=sys.stderr)
        return 2
    check = {"layers": check_layers, "messages": check_messages,
             "functions": check_functions}[sys.argv[1]]
    found = check(os.path.abspath(sys.argv[2]))
    for line in found:
        print(line)
    print(f"{sys.argv[1]}: {len(found)} finding(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
