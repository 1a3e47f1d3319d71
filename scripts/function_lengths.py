#!/usr/bin/env python3
"""Lists the functions of C++ sources longer than a limit (default 80 lines).

    scripts/function_lengths.py [--max N] [--all] FILE_OR_DIR...

A function is counted from the first line of its declarator to its closing brace, lambdas
inside it included. The scan is lexical: comments, strings and character literals are skipped,
and a brace opens a function when the text before it (since the last ';', '{' or '}') ends in
a parameter list, possibly followed by qualifiers, a trailing return type or a constructor's
initialisers, and is not a control statement. Exit status 1 when a function is over the limit.
"""
import argparse
import os
import re
import sys

CONTROL = re.compile(r"^\s*(?:}\s*)?(?:if|for|while|switch|catch|do|else|try|return|case)\b")


def strip(text):
    """The text with comments, string and character literals blanked (newlines kept)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == 'R' and text.startswith('R"', i) and (i == 0 or not (text[i-1].isalnum() or text[i-1] == '_')):
            m = re.match(r'R"([^(\s]*)\(', text[i:])
            if not m:
                out.append(c); i += 1; continue
            end = ")" + m.group(1) + '"'
            j = text.find(end, i + m.end())
            j = n if j < 0 else j + len(end)
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c in "\"'":
            if c == "'" and i > 0 and text[i-1].isalnum():  # digit separator 1'000
                out.append(" "); i += 1; continue
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            j = min(n, j + 1)
            out.append(c + " " * (j - i - 2) + c if j - i >= 2 else " " * (j - i))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def functions(path):
    """(name, first line, last line) of each function defined in the file."""
    text = strip(open(path, encoding="utf-8", errors="replace").read())
    found = []
    stack = []  # per open brace: (kind, start line, name)
    start = 0   # where the current statement began
    line = 1
    line_at = []
    for ch in text:
        line_at.append(line)
        if ch == "\n":
            line += 1
    in_function = lambda: any(k == "function" for k, _, _ in stack)
    for i, ch in enumerate(text):
        if ch == "{":
            head = text[start:i]
            kind = "block"
            name = ""
            flat = " ".join(head.split())
            if not in_function() and flat and not CONTROL.match(flat):
                if re.search(r"\b(namespace|class|struct|union|enum)\b[^()]*$", flat) or flat.endswith("="):
                    kind = "scope"
                elif re.search(r"\)\s*(?:const|noexcept|override|final|mutable|->[^{]*|:[^{]*|\s)*$", flat) and "(" in flat:
                    kind = "function"
                    m = re.search(r"([~\w:]+(?:operator\s*\S+)?)\s*\(", flat)
                    name = m.group(1) if m else flat[:40]
            first = start
            while first < i and text[first].isspace():
                first += 1
            stack.append((kind, line_at[first], name))
            start = i + 1
        elif ch == "}":
            if stack:
                kind, first, name = stack.pop()
                if kind == "function":
                    found.append((name, first, line_at[i]))
            start = i + 1
        elif ch == ";":
            start = i + 1
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max", type=int, default=80)
    parser.add_argument("--all", action="store_true", help="list every function, longest first")
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()
    files = []
    for p in args.paths:
        if os.path.isdir(p):
            for root, _, names in os.walk(p):
                files += [os.path.join(root, f) for f in names if f.endswith((".cpp", ".hpp"))]
        else:
            files.append(p)
    rows = []
    for f in sorted(files):
        for name, first, last in functions(f):
            rows.append((last - first + 1, f, first, name))
    rows.sort(reverse=True)
    over = [r for r in rows if r[0] > args.max]
    for length, f, first, name in (rows if args.all else over):
        print(f"{f}:{first}: {name}: {length} lines")
    if not args.all:
        print(f"{len(over)} function(s) over {args.max} lines", file=sys.stderr)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
