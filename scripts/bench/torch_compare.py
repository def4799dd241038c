#!/usr/bin/env python3
"""PyTorch on exactly the configuration `grpo bench engine` is given, for a side-by-side comparison.

Same options and defaults as `grpo bench engine` (a Llama of `--hidden`, `--layers`, `--heads`/`--kv-heads`,
`--intermediate`, vocabulary 263 as the byte tokenizer's; weights N(0, 0.02²), norms 1, no tied embeddings):

* training: one AdamW step (lr 1e-4, weight decay 0.1, gradients clipped to global norm 1) on `--batch`
  random sequences of `--seq-len` tokens, loss the mean negative next-token log-probability, as
  `TrainingProbe` in Sources/grpo/Bench;
* generation: `--gen-batch` random prompts of `--prompt-len` tokens, `--gen-tokens` new tokens each, sampled at
  temperature 1 from the full distribution (no top-k/top-p) with the KV cache, as `GenerationProbe`.

With `--grpo PATH` it alternates its rounds with `PATH bench engine --steps 1` on the same options (one
PyTorch round, one Arbiter round, …), so that a change in machine load hits both sides, and prints the medians
of both and the ratio Arbiter / PyTorch (the median of the per-round ratios), each round's ratio with the load
average (/proc/loadavg, 1 minute) read after it. `--grpo` may be given several times (e.g. a binary before and
after a change): each round then runs PyTorch and every binary in turn. Needs torch and transformers (not part
of the test suite).
"""
import argparse
import math
import os
import re
import statistics
import subprocess
import sys
import time


def parse():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--hidden", type=int, default=512)
    p.add_argument("--layers", type=int, default=4)
    p.add_argument("--heads", type=int, default=8)
    p.add_argument("--kv-heads", type=int, default=2)
    p.add_argument("--intermediate", type=int, default=1536)
    p.add_argument("--seq-len", type=int, default=256)
    p.add_argument("--batch", type=int, default=4)
    p.add_argument("--steps", type=int, default=5, help="rounds (alternating pairs with --grpo); medians reported")
    p.add_argument("--gen-batch", type=int, default=64)
    p.add_argument("--gen-tokens", type=int, default=64)
    p.add_argument("--prompt-len", type=int, default=16)
    p.add_argument("--threads", type=int, default=os.cpu_count(), help="torch threads (default: all cores)")
    p.add_argument("--grpo", action="append", default=[],
                   help="path of a grpo binary to alternate with (repeatable)")
    a = p.parse_args()
    for name in ("hidden", "layers", "heads", "kv_heads", "intermediate", "seq_len", "batch", "steps",
                 "gen_batch", "gen_tokens", "prompt_len", "threads"):
        if getattr(a, name) < 1:
            p.error(f"--{name.replace('_', '-')} must be at least 1, got {getattr(a, name)}")
    if a.hidden % a.heads or a.heads % a.kv_heads:
        p.error(f"--hidden {a.hidden}, --heads {a.heads} and --kv-heads {a.kv_heads} do not divide")
    return a


VOCAB = 263  # ByteTokenizer: 256 bytes + 7 special tokens


def build(a, torch, transformers):
    config = transformers.LlamaConfig(
        vocab_size=VOCAB, hidden_size=a.hidden, intermediate_size=a.intermediate, num_hidden_layers=a.layers,
        num_attention_heads=a.heads, num_key_value_heads=a.kv_heads, rms_norm_eps=1e-6, rope_theta=10000.0,
        max_position_embeddings=max(a.seq_len, a.prompt_len + a.gen_tokens), tie_word_embeddings=False,
        attention_bias=False, initializer_range=0.02, bos_token_id=None, eos_token_id=None, pad_token_id=None)
    torch.manual_seed(1)
    return transformers.LlamaForCausalLM(config).float()


class Torch:
    """The two measurements on the PyTorch side."""

    def __init__(self, a):
        import torch
        import transformers
        self.torch = torch
        self.a = a
        torch.set_num_threads(a.threads)
        self.train_model = build(a, torch, transformers)
        self.gen_model = build(a, torch, transformers).eval()
        self.optimizer = torch.optim.AdamW(self.train_model.parameters(), lr=1e-4, weight_decay=0.1)
        g = torch.Generator().manual_seed(2)
        self.tokens = torch.randint(0, VOCAB, (a.batch, a.seq_len), generator=g)
        g = torch.Generator().manual_seed(4)
        self.prompts = torch.randint(0, 256, (a.gen_batch, a.prompt_len), generator=g)
        self.train_step()  # warm-up, as the Swift side does
        self.generate()

    def train_step(self):
        torch = self.torch
        self.optimizer.zero_grad(set_to_none=True)
        logits = self.train_model(self.tokens).logits[:, :-1]
        logprobs = torch.log_softmax(logits, dim=-1).gather(-1, self.tokens[:, 1:, None]).squeeze(-1)
        loss = -logprobs.mean()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.train_model.parameters(), 1.0)
        self.optimizer.step()

    def generate(self):
        torch = self.torch
        with torch.inference_mode():
            out = self.gen_model.generate(
                self.prompts, attention_mask=torch.ones_like(self.prompts), do_sample=True, temperature=1.0,
                top_k=0, top_p=1.0, max_new_tokens=self.a.gen_tokens, min_new_tokens=self.a.gen_tokens,
                pad_token_id=0, use_cache=True)
        return (out.shape[1] - self.prompts.shape[1]) * out.shape[0]

    def round(self):
        t = time.perf_counter()
        self.train_step()
        train = self.a.batch * self.a.seq_len / (time.perf_counter() - t)
        t = time.perf_counter()
        produced = self.generate()
        return train, produced / (time.perf_counter() - t)


def arbiter_round(a, binary):
    """One `grpo bench engine --steps 1` run: (training tokens/s, generation batch tokens/s, kernel line)."""
    cmd = [binary, "bench", "engine", "--steps", "1", "--hidden", str(a.hidden), "--layers", str(a.layers),
           "--heads", str(a.heads), "--kv-heads", str(a.kv_heads), "--intermediate", str(a.intermediate),
           "--seq-len", str(a.seq_len), "--batch", str(a.batch), "--gen-batch", str(a.gen_batch),
           "--gen-tokens", str(a.gen_tokens), "--prompt-len", str(a.prompt_len)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout

    def value(label):
        m = re.search(r"^" + re.escape(label) + r".*?\s([\d.]+)\s+tokens/s", out, re.M)
        if m is None:
            sys.exit(f"no '{label}' line in the output of {' '.join(cmd)}:\n{out}")
        return float(m.group(1))

    kernel = re.search(r"^BLAS kernel: (.*)$", out, re.M)
    return value("training throughput"), value(f"generation batch {a.gen_batch} "), kernel.group(1) if kernel else "?"


def load_average():
    """The 1-minute load average, or nan where /proc/loadavg is missing."""
    try:
        with open("/proc/loadavg") as f:
            return float(f.read().split()[0])
    except OSError:
        return float("nan")


def main():
    a = parse()
    try:
        side = Torch(a)
    except ImportError as e:
        sys.exit(f"torch_compare.py needs torch and transformers: {e}")
    import torch
    print(f"torch {torch.__version__}, {a.threads} threads; model d={a.hidden} layers={a.layers} "
          f"heads={a.heads}/{a.kv_heads} ff={a.intermediate}; training {a.batch}x{a.seq_len}, "
          f"generation {a.gen_batch}x({a.prompt_len}+{a.gen_tokens})")
    rows = {"torch train": [], "torch gen": []}
    loads = []
    kernel = None
    for _ in range(a.steps):
        tr, ge = side.round()
        rows["torch train"].append(tr)
        rows["torch gen"].append(ge)
        for i, binary in enumerate(a.grpo):
            tr, ge, kernel = arbiter_round(a, binary)
            rows.setdefault(f"arbiter{i} train", []).append(tr)
            rows.setdefault(f"arbiter{i} gen", []).append(ge)
        loads.append(load_average())
        print(f"round {len(loads)}: training tokens/s PyTorch {rows['torch train'][-1]:.0f}"
              + "".join(f", {b} {rows[f'arbiter{i} train'][-1]:.0f}" for i, b in enumerate(a.grpo))
              + f"; generation PyTorch {rows['torch gen'][-1]:.0f}"
              + "".join(f", {b} {rows[f'arbiter{i} gen'][-1]:.0f}" for i, b in enumerate(a.grpo))
              + f"; load {loads[-1]:.1f}", flush=True)
    med = {k: statistics.median(v) for k, v in rows.items() if v}
    print(f"{'tokens/s (median of ' + str(a.steps) + ')':<34}{'PyTorch':>10}"
          + "".join(f"{'Arbiter' + (str(i) if len(a.grpo) > 1 else ''):>10}{'ratio':>8}" for i in range(len(a.grpo))))
    for label, key in (("training", "train"), (f"generation batch {a.gen_batch}", "gen")):
        line = f"{label:<34}{med['torch ' + key]:>10.0f}"
        for i in range(len(a.grpo)):
            pairs = [x / y for x, y in zip(rows[f"arbiter{i} " + key], rows["torch " + key])]
            line += f"{med[f'arbiter{i} ' + key]:>10.0f}{statistics.median(pairs):>7.2f}x"
        print(line)
        for i, binary in enumerate(a.grpo):
            pairs = [x / y for x, y in zip(rows[f"arbiter{i} " + key], rows["torch " + key])]
            print(f"  {binary} / PyTorch per round (load): "
                  + ", ".join(f"{p:.2f} ({l:.1f})" for p, l in zip(pairs, loads)))
    print("load average after each round: " + ", ".join(f"{l:.1f}" for l in loads))
    if kernel:
        print(f"Arbiter's BLAS kernel: {kernel}")
    if not math.isfinite(sum(med.values())):
        sys.exit("a measurement was not finite")


if __name__ == "__main__":
    main()
