#!/usr/bin/env bash
# The main job on the embedded defaults: a tiny byte-level Llama (0.1M parameters, random init) is warm-started
# with SFT on generated arithmetic word problems, then trained with GRPO (rewards from the `math` recipe), all in a
# release build on CPU. Prints held-out accuracy (greedy) after SFT and after GRPO, and the path of the curves.
# Usage: scripts/demo.sh [run folder, default runs/demo]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh release
bin="$(swift build -c release --show-bin-path)"
run="${1:-runs/demo}"
rm -rf "$run"
mkdir -p "$run"
tasks=(--tasks arith:1 --task-count 80)
heldout=(--tasks arith:1 --split heldout --task-count 16 --max-tokens 4)
accuracy() { sed -E 's/.*"pass@1":([0-9.e-]+).*/\1/'; }

"$bin/grpo" sft "${tasks[@]}" --steps 150 --batch-size 32 --lr 3e-3 --log-every 50 --out "$run/sft"
before="$("$bin/grpo" eval --model "$run/sft" "${heldout[@]}" | accuracy)"
before_train="$("$bin/grpo" eval --model "$run/sft" --tasks arith:1 --task-count 80 --max-tokens 4 | accuracy)"
"$bin/grpo" train --model "$run/sft" "${tasks[@]}" --steps 200 --prompts-per-step 16 --group-size 8 \
    --max-tokens 4 --lr 1e-3 --out "$run/grpo"
after="$("$bin/grpo" eval --model "$run/grpo/checkpoint" "${heldout[@]}" | accuracy)"
after_train="$("$bin/grpo" eval --model "$run/grpo/checkpoint" --tasks arith:1 --task-count 80 --max-tokens 4 | accuracy)"
echo "held-out accuracy (greedy, 16 problems): after SFT $before, after GRPO $after"
echo "train accuracy    (greedy, 80 problems): after SFT $before_train, after GRPO $after_train"
echo "curves: $run/grpo/curves.svg   metrics: $run/grpo/metrics.jsonl"
