#!/usr/bin/env bash
# Runs the engine's numerical suites (TensorTests: gradient checks, BLAS, forward ops, optimiser; TinyLMTests:
# the numpy reference, generation equivalence, checkpoints) under each OpenBLAS kernel this CPU runs that the
# main run did not use: `grpo bench kernel --runnable` lists them (generic Prescott first, the best one last).
# A faster kernel must compute the same numbers within the tests' tolerances. Expects a finished
# `swift build --build-tests`.
set -euo pipefail
cd "$(dirname "$0")/.."
grpo="$(swift build --show-bin-path)/grpo"
# The kernel the main run used (the best one after the engine's restart, or the user's OPENBLAS_CORETYPE).
used="$("$grpo" bench kernel | awk '/^kernel in use/ { print $NF }')"
for kernel in $("$grpo" bench kernel --runnable); do
    [ "$kernel" = "$used" ] && continue
    echo "== TensorTests and TinyLMTests with OPENBLAS_CORETYPE=$kernel"
    OPENBLAS_CORETYPE="$kernel" swift test --skip-build --filter 'TensorTests|TinyLMTests'
done
