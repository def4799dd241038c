#!/usr/bin/env python3
"""Manual cross-check against HuggingFace transformers (needs torch + transformers; not run by `swift test`).

1. transformers saves small random Llama/Qwen2 checkpoints (float32, float16, bfloat16); `grpo logprobs`
   scores a token sequence with each, and the log-probs are compared with transformers' own.
2. Every Arbiter-saved checkpoint folder given with --arbiter is loaded with AutoModelForCausalLM
   (LlamaForCausalLM / Qwen2ForCausalLM) and compared the same way.

usage: hf_crosscheck.py --grpo .build/release/grpo [--arbiter DIR ...]
Prints the max |Δ logprob| per checkpoint; exits 1 if any relative difference exceeds 1e-4.
"""
import argparse
import json
import subprocess
import sys
import tempfile

import torch
from transformers import AutoModelForCausalLM, LlamaConfig, LlamaForCausalLM, Qwen2Config, Qwen2ForCausalLM

IDS = [104, 105, 32, 259, 7, 200, 45, 99, 12, 260]


def reference_logprobs(model):
    with torch.no_grad():
        lp = torch.log_softmax(model.float()(torch.tensor([IDS])).logits[0].double(), -1)
    return [lp[i, IDS[i + 1]].item() for i in range(len(IDS) - 1)]


def compare(name, directory, model, grpo):
    ours = json.loads(
        subprocess.check_output([grpo, "logprobs", "--model", directory, "--token-ids", ",".join(map(str, IDS))])
    )["logprobs"]
    ref = reference_logprobs(model)
    err = max(abs(a - b) for a, b in zip(ref, ours))
    rel = err / max(abs(x) for x in ref)
    print(f"{name}: max |Δ logprob| = {err:.2e} (relative {rel:.2e})")
    return rel


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--grpo", required=True, help="path of the built grpo executable")
    parser.add_argument("--arbiter", nargs="*", default=[], help="checkpoint folders saved by Arbiter")
    args = parser.parse_args()
    worst = 0.0
    torch.manual_seed(0)
    small = dict(vocab_size=263, hidden_size=64, intermediate_size=96, num_hidden_layers=2, num_attention_heads=4,
                 num_key_value_heads=2)
    cases = [
        ("llama f32 untied", LlamaForCausalLM(LlamaConfig(**small, rope_theta=500.0)), torch.float32),
        ("llama f16 tied", LlamaForCausalLM(LlamaConfig(**small, tie_word_embeddings=True)), torch.float16),
        ("qwen2 bf16 tied", Qwen2ForCausalLM(Qwen2Config(**small, tie_word_embeddings=True)), torch.bfloat16),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for i, (name, model, dtype) in enumerate(cases):
            for p in model.parameters():
                torch.nn.init.normal_(p, std=0.3)
            model = model.to(dtype)
            directory = f"{tmp}/{i}"
            model.save_pretrained(directory)
            worst = max(worst, compare(f"transformers → Arbiter, {name}", directory, model, args.grpo))
    for directory in args.arbiter:
        model = AutoModelForCausalLM.from_pretrained(directory, dtype=torch.float32)
        worst = max(worst, compare(f"Arbiter → {type(model).__name__}, {directory}", directory, model, args.grpo))
    sys.exit(0 if worst < 1e-4 else 1)


if __name__ == "__main__":
    main()
