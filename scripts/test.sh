#!/usr/bin/env bash
# Sets up (system packages, build), checks the import map and the formatting, and runs the whole test suite, the
# numpy crosscheck of `grpo loss` against the transcription of TRL's and verl's current code (scripts/crosscheck; a
# few seconds), then the engine's numerical suites again under every other OpenBLAS kernel this CPU runs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh debug
# The map, Package.swift and the code agree on who imports whom (docs/ARCHITECTURE.md).
python3 scripts/check-imports.py
# Formatting, with the checked-in .swift-format and the toolchain's `swift format` (fix with scripts/format.sh).
swift format lint --strict --configuration .swift-format -r Sources Tests Package.swift
swift build --build-tests 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\]' || true
test "${PIPESTATUS[0]}" -eq 0
python3 scripts/crosscheck/run.py "$(swift build --show-bin-path)/grpo" 400
swift test --skip-build
scripts/test-kernels.sh
