#!/usr/bin/env python3
"""Checks that the module map, Package.swift and the code agree on who imports whom.

For every Swift target, three sets must be equal:
  - the modules its .swift files import (system modules aside),
  - the dependencies Package.swift declares for it (executables it only builds beside it aside),
  - for a module of Sources/, the "imports" column of its row in docs/ARCHITECTURE.md.
Prints each difference and exits 1 when there is one; prints a one-line summary and exits 0 otherwise.
Usage: scripts/check-imports.py   (from anywhere; needs `swift package dump-package`)
"""
import json
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SYSTEM = {"Foundation", "FoundationEssentials", "FoundationNetworking", "Glibc", "Musl", "Darwin", "Dispatch",
          "Synchronization", "Testing", "XCTest", "_Concurrency", "os"}
IMPORT = re.compile(r"^\s*(?:@\w+\s+)*import\s+(?:(?:struct|class|enum|protocol|func|var|let|typealias)\s+)?(\w+)",
                    re.M)


HEADER = re.compile(r"^\s*($|//|/\*|\*|#if|#else|#elseif|#endif|(?:@\w+\s+)*import\s)")


def imports_of(folder: pathlib.Path) -> set[str]:
    """The modules imported by the files' headers (lines before the first declaration; so `import` inside a
    string literal of embedded Python does not count)."""
    found = set()
    for path in folder.rglob("*.swift"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not HEADER.match(line):
                break
            found.update(IMPORT.findall(line))
    return found - SYSTEM


def map_rows() -> dict[str, set[str]]:
    text = (ROOT / "docs/ARCHITECTURE.md").read_text(encoding="utf-8")
    table = text.split("<!-- imports-table: begin -->")[1].split("<!-- imports-table: end -->")[0]
    rows = {}
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 4 or not cells[0].startswith("`"):
            continue
        imports = set(re.findall(r"`([^`]+)`", cells[-1]))
        for name in re.findall(r"`([^`]+)`", cells[0]):
            rows[name] = imports
    return rows


def main() -> int:
    manifest = json.loads(subprocess.run(["swift", "package", "--scratch-path", "/tmp/arbiter-dump-package", "dump-package"], cwd=ROOT, check=True,
                                         capture_output=True, text=True).stdout)
    executables = {t["name"] for t in manifest["targets"] if t["type"] == "executable"}
    rows = map_rows()
    problems = []
    checked = 0
    for target in manifest["targets"]:
        name, kind = target["name"], target["type"]
        if kind == "system":
            continue
        folder = ROOT / (target.get("path") or ("Tests" if kind == "test" else "Sources")) / (
            "" if target.get("path") else name)
        if not any(folder.rglob("*.swift")):
            continue  # C targets: their includes are the compiler's business
        declared = set()
        for dep in target.get("dependencies", []):
            for key in ("byName", "target", "product"):
                if key in dep:
                    declared.add(dep[key][0])
        used = imports_of(folder)
        declared -= executables - used  # executables depended on only to be built beside this target
        checked += 1
        if declared != used:
            problems.append(f"{name}: Package.swift declares {sorted(declared - used)} that no file imports, "
                            f"and files import {sorted(used - declared)} that it does not declare")
        if kind != "test":
            if name not in rows:
                problems.append(f"{name}: no row in docs/ARCHITECTURE.md's imports table")
            elif rows[name] != used:
                problems.append(f"{name}: docs/ARCHITECTURE.md lists {sorted(rows[name] - used)} that no file "
                                f"imports, and files import {sorted(used - rows[name])} that the map does not list")
    for problem in problems:
        print(f"check-imports: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(f"check-imports: {checked} Swift targets import exactly what Package.swift and docs/ARCHITECTURE.md say")
    return 0


if __name__ == "__main__":
    sys.exit(main())
