#!/usr/bin/env python3
"""Markdown table of scripts/compare-estimators.sh results: per task and estimator, each seed's held-out accuracy
(greedy, T=1), generated tokens, seconds per step (and of it the update) and peak RSS, from <out>/<task>/results.txt and the runs' metrics.
Seconds per step are the mean of time/generate + time/score + time/update over the run's steps.
Usage: scripts/compare-estimators-table.py <out folder>"""
import json
import os
import sys

out = sys.argv[1]
print("| task | estimator | seed | held-out greedy | held-out T=1 | tokens generated | s / step | update s / step "
      "| peak RSS MB |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for task in sorted(os.listdir(out)):
    path = os.path.join(out, task, "results.txt")
    if not os.path.exists(path):
        continue
    seen_sft = False
    for line in open(path):
        f = line.split()
        if f[1] == "sft":
            if seen_sft:  # a rerun for more seeds evaluates the start again (the same numbers)
                continue
            seen_sft = True
            print(f"| {task} | SFT start | | {f[2]} | {f[3]} | | | | |")
            continue
        algo, seed, greedy, t1, rss = f[1], f[2], f[3], f[4], int(f[6])
        cfg = json.load(open(os.path.join(out, task, f"{algo}-{seed}", "config.json")))
        per_step = cfg["prompts_per_step"] * cfg["group_size"]
        metrics = [json.loads(x) for x in open(os.path.join(out, task, f"{algo}-{seed}", "metrics.jsonl"))]
        tokens = sum(m["response_length"] * per_step for m in metrics)
        step_s = sum(m["time/generate"] + m["time/score"] + m["time/update"] for m in metrics) / len(metrics)
        update_s = sum(m["time/update"] for m in metrics) / len(metrics)
        print(f"| {task} | {algo} | {seed[1:]} | {greedy} | {t1} | {tokens:.0f} | {step_s:.2f} | {update_s:.2f} | {rss / 1024:.0f} |")
