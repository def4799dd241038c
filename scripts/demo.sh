#!/usr/bin/env bash
# Sets up (system packages, release build) and runs the main job on the embedded defaults:
# `reward check` over the demo samples in Datasets/demo with the built-in math-r1 recipe.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh release
bin="$(swift build -c release --show-bin-path)"
"$bin/reward" check Datasets/demo/math.jsonl --recipe math-r1 || status=$?
# Exit status 1 means some lines could not be scored (the demo holds one such line on purpose).
[ "${status:-0}" -le 1 ]
