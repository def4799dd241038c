#!/usr/bin/env bash
# PPO (critic + GAE) against GRPO, RLOO and REINFORCE++ on equal sample budgets, from one flawed-teacher SFT start
# per task (as scripts/demo.sh), two seeds each; held-out accuracy greedy and at T=1, seconds per step, peak RSS.
# Usage: scripts/compare-estimators.sh <task: arith5|python> [out folder, default runs/compare]
# Budget knobs (environment): STEPS, PROMPTS, GROUP, SFT_STEPS, HELDOUT, SEEDS.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$(swift build -c release --show-bin-path)"
task="$1"
out="${2:-runs/compare}/$task"
mkdir -p "$out"
case "$task" in
arith5) tasks=(--tasks arith:5 --task-count 2084); tokens=14; recipe=math; sft_default=2000 ;;
python) tasks=(--tasks python --task-count 781); tokens=32; recipe=code; sft_default=1600 ;;
*) echo "task must be arith5 or python, got $task" >&2; exit 2 ;;
esac
steps="${STEPS:-15}" prompts="${PROMPTS:-16}" group="${GROUP:-8}" heldout="${HELDOUT:-200}"
budget=(--steps "$steps" --prompts-per-step "$prompts" --group-size "$group" --max-tokens "$tokens" --lr 1e-3
    --warmup-steps 2 --recipe "$recipe")
evalset=(${tasks[0]} ${tasks[1]} --split heldout --task-count "$heldout" --max-tokens "$tokens")
pass1() { sed -E 's/.*"pass@1":([0-9.e-]+).*/\1/' | cut -c1-5; }
accuracy() {
    echo "$("$bin/grpo" eval --model "$1" "${evalset[@]}" | pass1) $("$bin/grpo" eval --model "$1" "${evalset[@]}" \
        --samples 4 --temperature 1 --k 1 | pass1)"
}
if [ ! -f "$out/sft/model.safetensors" ]; then
    "$bin/grpo" sft --init tiny "${tasks[@]}" --flawed-demos 0.5 --steps "${SFT_STEPS:-$sft_default}" --batch-size 32 \
        --lr 5e-3 --warmup-steps 30 --lr-decay cosine --log-every 500 --out "$out/sft" > "$out/sft.log" 2>&1
fi
echo "$task sft $(accuracy "$out/sft")" >> "$out/results.txt"
for seed in ${SEEDS:-1 2}; do
    for algo in grpo rloo reinforce_plus_plus ppo; do
        run="$out/$algo-s$seed"
        [ -f "$run/checkpoint/trainer_state.json" ] && continue
        rm -rf "$run"
        case "$algo" in
        ppo) extra=(--algorithm ppo --critic-lr 5e-3) ;;
        grpo) extra=() ;;
        *) extra=(--advantage-estimator "$algo") ;;
        esac
        /usr/bin/time -f "%e %M" -o "$out/$algo-s$seed.time" "$bin/grpo" train --model "$out/sft" "${tasks[@]}" \
            "${budget[@]}" --seed "$seed" "${extra[@]}" --out "$run" > "$run.log" 2>&1
        echo "$task $algo s$seed $(accuracy "$run/checkpoint") $(cat "$out/$algo-s$seed.time")" >> "$out/results.txt"
    done
done
