#!/usr/bin/env python3
"""Writes N copies of a corpus under DST/copy-K/, each article's URL made unique by a
"#copy-K" fragment, for memory and scale runs: replicate_corpus.py SRC DST N"""
import sys
from pathlib import Path


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: replicate_corpus.py SRC DST N")
    src, dst, copies = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    files = sorted(src.rglob("*.txt"))
    for k in range(1, copies + 1):
        out = dst / f"copy-{k}"
        out.mkdir(parents=True, exist_ok=True)
        for f in files:
            lines = f.read_bytes().split(b"\n")
            if len(lines) > 2:
                lines[2] = lines[2].rstrip(b"\r") + f"#copy-{k}".encode()
            (out / f.name).write_bytes(b"\n".join(lines))
    print(f"{copies} copies of {len(files)} files in {dst}")


if __name__ == "__main__":
    main()
