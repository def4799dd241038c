#!/usr/bin/env bash
# Sets up (system packages, build) and runs the whole test suite, then the engine's numerical suites again under
# every other OpenBLAS kernel this CPU runs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh debug
# The map, Package.swift and the code agree on who imports whom (docs/ARCHITECTURE.md).
python3 scripts/check-imports.py
swift build --build-tests 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\]' || true
test "${PIPESTATUS[0]}" -eq 0
swift test --skip-build
scripts/test-kernels.sh
