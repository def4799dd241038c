"""Random cases of every option: `grpo loss` against the numpy transcription of TRL's and verl's current code (ref.py).
Usage: python3 scripts/crosscheck/run.py PATH/TO/grpo [N=400] [SEED=0]
Exits 1 on the first mismatch beyond 1e-7 relative (values) or 1e-5 (gradients against central differences of the
transcription), printing the case. Needs numpy only."""
import json
import os
import subprocess
import sys
from collections import defaultdict

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ref import (agg_loss, trl_advantages, trl_loss, verl_advantages, verl_loss, verl_token_rewards,  # noqa: E402
                 verl_value_loss)

BIN = sys.argv[1]
N = int(sys.argv[2]) if len(sys.argv) > 2 else 400
rng = np.random.default_rng(int(sys.argv[3]) if len(sys.argv) > 3 else 0)
TRL_TYPES = ["grpo", "bnpo", "dr_grpo", "dapo", "cispo", "sapo", "luspo", "vespo"]
VERL_MODES = ["vanilla", "gspo", "cispo", "kl_cov", "clip_cov"]
ESTIMATORS = ["grpo", "rloo", "reinforce_plus_plus", "reinforce_plus_plus_baseline", "gae"]
AGGS = ["token-mean", "seq-mean-token-mean", "seq-mean-token-sum", "seq-mean-token-sum-norm"]


def pick(xs):
    return xs[int(rng.integers(0, len(xs)))]


def tensors(B, T, min_len):
    lengths = rng.integers(min_len, T + 1, size=B)
    mask = (np.arange(T)[None, :] < lengths[:, None]).astype(float)
    logp = -rng.exponential(1.0, size=(B, T))
    spread = float(pick([0.05, 0.3, 1.0, 15.0]))
    old = None if rng.random() < 0.2 else logp + rng.normal(0, spread, size=(B, T))
    ref = logp + rng.normal(0, spread, size=(B, T))
    logits = rng.normal(0, 2, size=(B, T, int(rng.integers(2, 6)))) if rng.random() < 0.7 else None
    return mask, logp, old, ref, logits, spread


def trl_case():
    G = int(pick([1, 2, 2, 3, 4, 5])); P = int(rng.integers(1, 5)); B = G * P; T = int(rng.integers(1, 9))
    mask, logp, old, ref, logits, spread = tensors(B, T, 0 if rng.random() < 0.3 else 1)
    K = int(pick([1, 1, 2, 3]))
    cols = rng.integers(0, 2, size=(B, K)).astype(float) if rng.random() < 0.5 else np.round(rng.normal(0, 1, (B, K)), 3)
    cols[rng.random((B, K)) < 0.15] = np.nan
    if rng.random() < 0.3:
        cols[int(rng.integers(0, B))] = np.nan
    weights = [float(x) for x in np.round(rng.uniform(0.2, 2.0, K), 2)] if K > 1 and rng.random() < 0.6 else None
    lt = pick(TRL_TYPES)
    c = {"preset": "trl", "loss_type": lt, "epsilon_low": float(pick([0.1, 0.2])),
         "epsilon_high": float(pick([0.2, 0.28, 0.4] if lt != "cispo" else [0.5, 1.2, 5.0])),
         "beta": float(pick([0.0, 0.04, 0.1])), "temperature": float(pick([1.0, 0.7, 1.3])),
         "scale_rewards": pick(["group", "batch", "none"]),
         "max_completion_length": int(rng.integers(T, T + 5)),
         "importance_sampling": "sequence" if (lt == "luspo" and rng.random() < 0.7) or rng.random() < 0.2 else "token",
         "multi_objective_aggregation": pick(["sum_then_normalize", "normalize_then_sum"]),
         "sapo_temperature_pos": float(pick([1.0, 0.5])), "sapo_temperature_neg": float(pick([1.05, 2.0])),
         "vespo_k_pos": float(pick([2.0, 1.0])), "vespo_lambda_pos": float(pick([3.0, 0.5])),
         "vespo_k_neg": float(pick([3.0, 2.0])), "vespo_lambda_neg": float(pick([2.0, 1.0]))}
    if lt in ("grpo", "bnpo", "dr_grpo", "dapo", "luspo") and rng.random() < 0.3:
        c["delta"] = float(pick([1.5, 2.0]))
    if logits is not None and rng.random() < 0.5:
        c["entropy_coef"] = float(pick([0.01, 0.1]))
    if weights is not None:
        c["reward_weights"] = weights
    rewards = [[None if np.isnan(x) else float(x) for x in row] for row in cols]
    if K == 1 and rng.random() < 0.5:
        rewards = [row[0] for row in rewards]
    batch = {"logp": logp.tolist(), "mask": mask.astype(int).tolist(), "ref_logp": ref.tolist(), "rewards": rewards,
             "group_size": G, "config": c}
    if old is not None: batch["old_logp"] = old.tolist()
    if logits is not None: batch["logits"] = logits.tolist()
    adv = trl_advantages(cols, G, c["scale_rewards"], weights or [1.0] * K, c["multi_objective_aggregation"])
    refarg = ref if c["beta"] else None

    def loss_with(a):
        return lambda lp: trl_loss(c, lp, logp, old, refarg, mask, a, logits)

    want = loss_with(adv)(logp)
    want["advantages"] = adv
    return batch, want, loss_with, logp, spread, None


def verl_case():
    G = int(rng.integers(1, 5)); P = int(rng.integers(1, 5)); B = G * P; T = int(rng.integers(2, 9))
    mask, logp, old, ref, logits, spread = tensors(B, T, 1)
    if mask.sum() < 2:
        mask[0, :2] = 1  # masked_whiten needs two valid tokens
    est = pick(ESTIMATORS)
    mode = pick(VERL_MODES)
    c = {"preset": "verl", "advantage_estimator": est, "policy_loss": mode, "loss_aggregation": pick(AGGS),
         "epsilon_low": float(pick([0.1, 0.2])), "epsilon_high": float(pick([0.2, 0.28, 0.4])),
         "beta": float(pick([0.0, 0.04, 0.1])), "temperature": float(pick([1.0, 0.7, 1.3])),
         "kl_estimator": pick(["k1", "k2", "k3"]), "scale_rewards": pick(["group", "none"]),
         "gamma": float(pick([1.0, 0.9])), "lam": float(pick([1.0, 0.95, 0.0])),
         "kl_in_reward": float(pick([0.0, 0.0, 0.05, 0.2])), "value_clip": float(pick([0.5, 0.2])),
         "kl_cov_ratio": float(pick([0.0002, 0.1, 0.3])), "ppo_kl_coef": float(pick([0.1, 1.0])),
         "clip_cov_ratio": float(pick([0.0002, 0.2, 0.5])), "clip_cov_lb": float(pick([-1.0, 0.0, 0.5, 1.0])),
         "clip_cov_ub": float(pick([5.0, 2.0])),
         "max_completion_length": int(rng.integers(T, T + 5)) if rng.random() < 0.5 else None,
         "dual_clip": float(pick([3.0, 1.5])) if rng.random() < 0.8 else None,
         "entropy_coef": float(pick([0.0, 0.01])) if logits is not None else 0.0}
    if rng.random() < 0.5:
        c.update({"kl_ctrl": pick(["fixed", "adaptive"]), "kl_target": float(pick([0.1, 0.01, 3.0])),
                  "kl_horizon": int(pick([10000, 8, 50]))})
    ids = [int(x) for x in rng.integers(0, P + 1, size=B)]
    scores = [float(x) for x in (rng.integers(0, 2, size=B) if rng.random() < 0.5 else np.round(rng.normal(0, 1, B), 3))]
    values = rng.normal(0, 1, size=(B, T)) if est == "gae" or rng.random() < 0.5 else None
    old_values = None if values is None or rng.random() < 0.3 else values + rng.normal(0, 0.4, size=(B, T))
    batch = {"logp": logp.tolist(), "mask": mask.astype(int).tolist(), "ref_logp": ref.tolist(), "rewards": scores,
             "group_ids": ids, "config": c}
    if old is not None: batch["old_logp"] = old.tolist()
    if logits is not None: batch["logits"] = logits.tolist()
    if values is not None: batch["values"] = values.tolist()
    if old_values is not None: batch["old_values"] = old_values.tolist()
    old_for_reward = logp if old is None else old
    token_rewards, kl_metrics = verl_token_rewards(np.array(scores), mask, old_for_reward, ref, c)
    rollout_values = old_values if old_values is not None else values
    adv, returns = verl_advantages(token_rewards, mask, ids, rollout_values, c)
    A = adv[:, None] * mask if adv.ndim == 1 else adv

    def loss_fn(lp):
        return verl_loss(c, lp, logp, old, ref, mask, A, logits)

    want = loss_fn(logp)
    want["advantages"] = adv
    if est in ("reinforce_plus_plus", "reinforce_plus_plus_baseline", "gae"):
        want["returns"] = returns
    if kl_metrics is not None:
        want["kl_in_reward"] = kl_metrics
    value_fn = None
    if values is not None:
        old_v = old_values if old_values is not None else values
        want["value_loss"], want["vf_clipfrac"] = verl_value_loss(values, returns, old_v, mask, c)
        value_fn = (lambda v: verl_value_loss(v, returns, old_v, mask, c)[0], values)
    return batch, want, loss_fn, logp, spread, value_fn


def flat(x):
    return np.asarray(x, dtype=float).reshape(-1)


def compare(name, got, want, fails):
    g, w = flat(got), flat(want)
    if g.shape != w.shape:
        fails.append(f"{name}: shape {g.shape} vs {w.shape}")
        return 0.0
    err = np.abs(g - w) / np.maximum(np.abs(w), 1e-2)
    worst = float(err.max()) if err.size else 0.0
    if not (np.abs(g - w) <= 1e-9 + 1e-7 * np.abs(w)).all():
        fails.append(f"{name}: got {g.tolist()} want {w.tolist()}")
    return worst


cases = [(("trl",) + trl_case()) if k % 2 == 0 else (("verl",) + verl_case()) for k in range(N)]
lines = "\n".join(json.dumps(c[1]) for c in cases) + "\n"
p = subprocess.run([BIN, "loss", "--gradients", "--jsonl"], input=lines, capture_output=True, text=True)
outs = p.stdout.splitlines()
if len(outs) != N:
    print(f"grpo loss --jsonl: exit {p.returncode}, {len(outs)} lines for {N} cases\n{p.stderr[-2000:]}")
    sys.exit(1)
worst, grad_worst, n_grad, covered = defaultdict(float), 0.0, 0, defaultdict(int)
for k, ((lib, batch, want, loss_fn, logp, spread, value_fn), line) in enumerate(zip(cases, outs)):
    got = json.loads(line)
    cfg = batch["config"]
    tag = f"{lib}:{cfg.get('loss_type') or cfg.get('policy_loss')}" + (f"/{cfg['advantage_estimator']}" if lib == "verl" else "")
    covered[tag] += 1
    if "error" in got:
        print(f"case {k} ({tag}) failed: {got['error']}\n{json.dumps(batch)}")
        sys.exit(1)
    fails = []
    if lib == "trl":
        # An advantage that is 0 up to rounding (a batch mean of sums that cancel) has an arbitrary sign in every
        # implementation, and clip indicators read that sign: once the advantages agree, the loss is transcribed
        # on grpo's own advantages.
        compare("advantages", got["advantages"], want["advantages"], fails)
        loss_fn = loss_fn(np.array(got["advantages"], dtype=float))
        want.update({k: v for k, v in loss_fn(logp).items()})
    keys = ["loss", "advantages", "kl", "entropy", "pg_loss", "returns", "value_loss", "vf_clipfrac"]
    for key in keys:
        if want.get(key) is not None:
            worst[lib + ":" + key] = max(worst[lib + ":" + key], compare(key, got[key], want[key], fails))
    for key, w in want["clip_frac"].items():
        compare("clip_frac." + key, got["clip_frac"][key], w, fails)
    for key, w in want["metrics"].items():
        compare("metrics." + key, got["metrics"].get(key, np.nan), w, fails)
    if "kl_in_reward" in want:
        for key, w in want["kl_in_reward"].items():
            compare("kl_in_reward." + key, got["kl_in_reward"][key], w, fails)
    # Gradients: central differences of the transcription (detached quantities held fixed).
    if spread <= 1.0:
        gl, h = np.array(got["grad_logp"]), 1e-6
        mask = np.array(batch["mask"], dtype=float)
        for i in range(logp.shape[0]):
            for t in range(logp.shape[1]):
                lp = logp.copy(); lp[i, t] += h; up = loss_fn(lp)["loss"]
                lp[i, t] -= 2 * h; dn = loss_fn(lp)["loss"]
                fd = (up - dn) / (2 * h)
                e = abs(fd - gl[i, t]) / max(1.0, abs(fd)); grad_worst = max(grad_worst, e); n_grad += 1
                if e > 1e-5:
                    fails.append(f"grad_logp[{i}][{t}]: {gl[i, t]} vs central difference {fd}")
    if value_fn is not None:
        f, v0 = value_fn
        gv = np.array(got["grad_values"])
        for i in range(v0.shape[0]):
            for t in range(v0.shape[1]):
                v = v0.copy(); v[i, t] += 1e-6; up = f(v); v[i, t] -= 2e-6; dn = f(v)
                fd = (up - dn) / 2e-6
                if abs(fd - gv[i, t]) > 1e-5 * max(1.0, abs(fd)):
                    fails.append(f"grad_values[{i}][{t}]: {gv[i, t]} vs central difference {fd}")
    if fails:
        print(f"case {k} ({tag}) differs from the transcription:\n  " + "\n  ".join(fails[:10]))
        print(json.dumps(batch))
        sys.exit(1)
print(f"{N} cases agree with the transcription of TRL f2cd5771 and verl 1dda039b "
      f"({len(covered)} option combinations, each loss type / policy loss / estimator at least "
      f"{min(covered.values())} times)")
for name in sorted(worst): print(f"  max rel diff {name:24s} {worst[name]:.2g}")
print(f"  max |grad - central difference| / max(1, |fd|) over {n_grad} entries: {grad_worst:.2g}")
