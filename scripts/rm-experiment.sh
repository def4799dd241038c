#!/usr/bin/env bash
# Issue 21's experiment: from a flawed-teacher SFT start on arith:5 (the demo's: `scripts/demo.sh` writes it to
# runs/demo/sft), GRPO rewarded by (a) the verifier, (b) a frozen reward model trained on the generators' pairs
# (correct demonstration ≻ flawed one), (c) the same model updated online from the verifier's labels; held-out
# accuracy at steps 20 and 40, and the curves with `grpo compare`. Release build.
# Usage: scripts/rm-experiment.sh [SFT folder, default runs/demo/sft] [out folder, default runs/rm-experiment]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product grpo 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\]' || true
bin="$(swift build -c release --show-bin-path)/grpo"
sft="${1:-runs/demo/sft}"
R="${2:-runs/rm-experiment}"
rm -rf "$R"
mkdir -p "$R"
log() { echo "[$(date +%T) load $(cut -d' ' -f1 /proc/loadavg)] $*"; }
heldout=(--tasks arith:5 --split heldout --task-count 521 --max-tokens 14)
tasks=(--tasks arith:5 --task-count 2084)
pass1() { sed -E 's/.*"pass@1":([0-9.e-]+).*/\1/' | cut -c1-5; }
acc() {
    echo "greedy $("$bin" eval --model "$1" "${heldout[@]}" | pass1)," \
        "T=1 $("$bin" eval --model "$1" "${heldout[@]}" --samples 8 --temperature 1 --k 1 | pass1)"
}
"$bin" tasks "${tasks[@]}" --pairs > "$R/pairs.jsonl"
"$bin" tasks --tasks arith:5 --split heldout --task-count 521 --pairs > "$R/heldout-pairs.jsonl"
"$bin" rm train --model "$sft" --data "$R/pairs.jsonl" --eval-data "$R/heldout-pairs.jsonl" --steps 150 \
    --batch-size 16 --lr 1e-3 --out "$R/rm" > "$R/rm.log" 2>&1
log "reward model: $("$bin" rm eval --model "$R/rm" --data "$R/heldout-pairs.jsonl" | cut -c1-80)"
# The online run's model is a copy, so (b)'s stays frozen.
cp -r "$R/rm" "$R/rm-online"
for m in rm rm-online; do
    cat > "$R/$m.json" <<J
{"reward": {"sum": [{"term": "reward_model", "name": "rm", "params": {"path": "$R/$m"}},
  {"term": "math", "name": "accuracy", "weight": 0}]}}
J
done
run() {  # name, extra options
    local out="$R/$1"
    shift
    local common=("${tasks[@]}" --steps 40 --prompts-per-step 64 --group-size 8 --max-tokens 14 --lr 1e-3
        --warmup-steps 5 --out "$out")
    "$bin" train --model "$sft" "${common[@]}" --stop-after 20 "$@" > "$out.log" 2>&1
    log "$out step 20: $(acc "$out/checkpoint")"
    "$bin" train --model "$sft" "${common[@]}" --resume "$@" >> "$out.log" 2>&1
    log "$out step 40: $(acc "$out/checkpoint")"
}
run a-verifier --rm "$R/rm"
run b-frozen --recipe "$R/rm.json" --rm "$R/rm"
run c-online --recipe "$R/rm-online.json" --rm "$R/rm-online" --rm-update-every 2 --rm-lr 1e-3 --rm-epochs 2
"$bin" compare "$R/a-verifier" "$R/b-frozen" "$R/c-online" --labels "(a) verifier,(b) frozen RM,(c) online RM" \
    --keys accuracy,rm/score_mean,rm/fresh_accuracy,response_length --window 3 --out "$R/curves.svg"
