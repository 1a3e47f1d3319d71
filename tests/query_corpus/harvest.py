#!/usr/bin/env python3
"""Writes queries.txt: every text the tests could hand the query parser.

    tests/query_corpus/harvest.py > tests/query_corpus/queries.txt

Sources: every string literal of tests/unit, tests/e2e and tests/fuzz (a query, a flag, a path,
a message: each is a query to the parser), the fuzz corpus of query inputs (less the first
byte, which picks options; for a /search input, its q=), and the inline code of
docs/query-syntax.md and the README. One query a line, escaped as tests/query_corpus/README.md
says. The list was made once, before the query language was rewritten (issue #25), and is the
input of QueryEquivalence in tests/unit/query_language_test.cpp.
"""
import os
import re
import sys
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SIMPLE_ESCAPES = {"n": b"\n", "t": b"\t", "r": b"\r", "0": b"\0", "\\": b"\\", '"': b'"',
                  "'": b"'", "a": b"\a", "b": b"\b", "f": b"\f", "v": b"\v", "?": b"?"}


def unescape(body):
    """The bytes of a C++ string literal's body."""
    out = bytearray()
    i = 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out += c.encode("utf-8")
            i += 1
            continue
        n = body[i + 1]
        if n == "x":
            m = re.match(r"[0-9a-fA-F]+", body[i + 2:])
            out.append(int(m.group(0), 16) & 0xFF)
            i += 2 + len(m.group(0))
        elif n in "01234567" and re.match(r"[0-7]{1,3}", body[i + 1:]):
            m = re.match(r"[0-7]{1,3}", body[i + 1:])
            out.append(int(m.group(0), 8) & 0xFF)
            i += 1 + len(m.group(0))
        elif n in "uU":
            width = 4 if n == "u" else 8
            out += chr(int(body[i + 2:i + 2 + width], 16)).encode("utf-8")
            i += 2 + width
        else:
            out += SIMPLE_ESCAPES.get(n, n.encode("utf-8"))
            i += 2
    return bytes(out)


LITERAL = re.compile(r'(?:u8)?R"([^(\s]*)\((.*?)\)\1"|(?:u8)?"((?:[^"\\\n]|\\.)*)"', re.S)


def literals(path):
    text = open(path, encoding="utf-8").read()
    # Comments are no literals (a quote in a comment would pair with the wrong one).
    text = re.sub(r"//[^\n]*", lambda m: "" if m.group(0).count('"') % 2 else m.group(0), text)
    for m in LITERAL.finditer(text):
        if m.group(2) is not None:
            yield m.group(2).encode("utf-8")
        else:
            yield unescape(m.group(3))


def escape(query):
    """One line: backslash, control bytes, DEL and bytes of invalid UTF-8 as \\xHH."""
    out = []
    i = 0
    while i < len(query):
        b = query[i]
        if b >= 0x80:
            for n in (4, 3, 2):
                try:
                    out.append(query[i:i + n].decode("utf-8"))
                    i += n
                    break
                except UnicodeDecodeError:
                    continue
            else:
                out.append("\\x%02x" % b)
                i += 1
            continue
        out.append("\\\\" if b == 0x5C else "\\x%02x" % b if b < 0x20 or b == 0x7F else chr(b))
        i += 1
    return "".join(out)


def main():
    found = set()
    for sub in ("tests/unit", "tests/e2e", "tests/fuzz", "tests/support"):
        for name in sorted(os.listdir(os.path.join(ROOT, sub))):
            if name.endswith((".cpp", ".hpp")):
                found.update(literals(os.path.join(ROOT, sub, name)))
    corpus = os.path.join(ROOT, "tests/fuzz/corpus/query")
    for name in sorted(os.listdir(corpus)):
        data = open(os.path.join(corpus, name), "rb").read()
        if not data:
            continue
        rest = data[1:]
        if data[0] & 64:
            for key, value in urllib.parse.parse_qsl(rest.decode("latin-1"), keep_blank_values=True):
                if key == "q":
                    found.add(value.encode("latin-1"))
        else:
            found.add(rest)
    for doc in ("docs/query-syntax.md", "README.md"):
        text = open(os.path.join(ROOT, doc), encoding="utf-8").read()
        for m in re.finditer(r"`([^`\n]+)`", text):
            found.add(m.group(1).encode("utf-8"))
    found.discard(b"")
    for q in sorted(found):
        sys.stdout.write(escape(q) + "\n")


if __name__ == "__main__":
    main()
