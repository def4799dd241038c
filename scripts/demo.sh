#!/usr/bin/env bash
# The main job on the embedded defaults: a tiny byte-level Llama (0.1M parameters, random init) is warm-started
# with SFT on generated two-step arithmetic word problems (arith:5) from a flawed teacher — half of its
# demonstrations stop one operation short (`7-2=5` instead of `7-2=5\n5+9=14`) — then trained with GRPO (rewards
# from the `math` recipe), all in a release build on CPU. Prints held-out accuracy (greedy, and sampled at T=1)
# after SFT and after GRPO, and the path of the curves. SFT batches of 64 at a peak learning rate of 2.5e-3: at 5e-3
# every seed was still near loss 1.0 at step 500, and about one in four left that plateau so late that it ended SFT
# with poor arithmetic and GRPO at 0.52 (README, "The demo over seeds").
# Usage: scripts/demo.sh [run folder, default runs/demo]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh release
bin="$(swift build -c release --show-bin-path)"
run="${1:-runs/demo}"
rm -rf "$run"
mkdir -p "$run"
tasks=(--tasks arith:5 --task-count 2084)
heldout=(--tasks arith:5 --split heldout --task-count 521 --max-tokens 14)
pass1() { sed -E 's/.*"pass@1":([0-9.e-]+).*/\1/' | cut -c1-5; }
accuracy() {  # greedy, then sampled at T=1 (8 samples per problem)
    echo "greedy $("$bin/grpo" eval --model "$1" "${heldout[@]}" | pass1)," \
        "T=1 $("$bin/grpo" eval --model "$1" "${heldout[@]}" --samples 8 --temperature 1 --k 1 | pass1)"
}

"$bin/grpo" sft --init tiny "${tasks[@]}" --flawed-demos 0.5 --steps 2000 --batch-size 64 --lr 2.5e-3 \
    --warmup-steps 30 --lr-decay cosine --log-every 500 --out "$run/sft"
before="$(accuracy "$run/sft")"
"$bin/grpo" train --model "$run/sft" "${tasks[@]}" --steps 40 --prompts-per-step 64 --group-size 8 \
    --max-tokens 14 --lr 1e-3 --warmup-steps 5 --out "$run/grpo"
after="$(accuracy "$run/grpo/checkpoint")"
echo "held-out accuracy (521 problems): after SFT $before; after GRPO $after"
echo "curves: $run/grpo/curves.svg   metrics: $run/grpo/metrics.jsonl"
