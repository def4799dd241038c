"""Random cases: `grpo loss` vs the numpy transcription of TRL and verl (ref.py).
Usage: python3 scripts/crosscheck/run.py .build/debug/grpo [N=200] [SEED=0]   (needs numpy; not part of CI)"""
import json, os, subprocess, sys, numpy as np
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ref import *

BIN = sys.argv[1]; N = int(sys.argv[2]) if len(sys.argv) > 2 else 200; rng = np.random.default_rng(int(sys.argv[3]) if len(sys.argv) > 3 else 0)

def case(lib):
    G = int(rng.integers(1, 6)); P = int(rng.integers(1, 5)); B = G * P; T = int(rng.integers(1, 9)); V = int(rng.integers(2, 6))
    lengths = rng.integers(0 if rng.random() < 0.3 else 1, T + 1, size=B)
    mask = (np.arange(T)[None, :] < lengths[:, None]).astype(float)
    logp = -rng.exponential(1.0, size=(B, T))
    spread = rng.choice([0.05, 0.3, 1.0, 15.0])
    old = None if rng.random() < 0.2 else logp + rng.normal(0, spread, size=(B, T))
    ref = logp + rng.normal(0, spread, size=(B, T))
    if rng.random() < 0.5:
        rewards = [float(x) for x in rng.integers(0, 2, size=B)]
    else:
        rewards = [float(x) for x in np.round(rng.normal(0, 1, size=B), 3)]
    logits = rng.normal(0, 2, size=(B, T, V)) if rng.random() < 0.7 else None
    temp = float(rng.choice([1.0, 0.7, 1.3]))
    isl = "sequence" if rng.random() < 0.25 else "token"
    el = float(rng.choice([0.1, 0.2])); eh = float(rng.choice([0.2, 0.28, 0.4]))
    beta = float(rng.choice([0.0, 0.04, 0.1]))
    batch = {"logp": logp.tolist(), "mask": mask.astype(int).tolist(), "ref_logp": ref.tolist()}
    if old is not None: batch["old_logp"] = old.tolist()
    if logits is not None: batch["logits"] = logits.tolist()
    if lib == "trl":
        if rng.random() < 0.15: rewards[int(rng.integers(0, B))] = None
        cfg = {"preset": "trl", "epsilon_low": el, "epsilon_high": eh, "beta": beta, "temperature": temp,
               "delta": float(rng.choice([1.5, 2.0])) if rng.random() < 0.3 else None,
               "scale_rewards": str(rng.choice(["group", "batch", "none"])),
               "loss_type": str(rng.choice(["grpo", "bnpo", "dr_grpo", "dapo"])),
               "max_completion_length": int(rng.integers(T, T + 5)), "importance_sampling": isl}
        batch.update(rewards=rewards, group_size=G)
        adv = trl_advantages(rewards, G, cfg["scale_rewards"])
        want = trl_loss(cfg, logp, old, ref if beta else None, mask, adv, logits)
    else:
        ids = [int(x) for x in rng.integers(0, max(1, P + 1), size=B)]
        cfg = {"preset": "verl", "epsilon_low": el, "epsilon_high": eh, "beta": beta, "temperature": temp,
               "dual_clip": float(rng.choice([3.0, 1.5])) if rng.random() < 0.8 else None,
               "kl_estimator": str(rng.choice(["k1", "k2", "k3"])),
               "scale_rewards": str(rng.choice(["group", "none"])),
               "loss_aggregation": str(rng.choice(["token-mean", "seq-mean-token-mean", "seq-mean-token-sum", "seq-mean-token-sum-norm"])),
               "max_completion_length": int(rng.integers(T, T + 5)) if rng.random() < 0.5 else None,
               "importance_sampling": isl, "entropy_coef": float(rng.choice([0.0, 0.01])) if logits is not None else 0.0}
        if mask.sum() == 0 or (mask.sum(-1) > 0).sum() == 0: mask[0, 0] = 1; batch["mask"] = mask.astype(int).tolist()
        batch.update(rewards=rewards, group_ids=ids)
        adv = verl_advantages(rewards, ids, cfg["scale_rewards"] == "group")
        want = verl_loss(cfg, logp, old, ref, mask, adv, logits)
    if lib == "trl" and mask.sum() == 0: mask[0, 0] = 1; batch["mask"] = mask.astype(int).tolist(); want = trl_loss(cfg, logp, old, ref if beta else None, mask, adv, logits)
    batch["config"] = cfg
    return batch, adv, want, (cfg, logp, old, ref, mask, adv, logits), spread

def rel(a, b):
    return abs(a - b) / max(abs(b), 1e-6)

worst = defaultdict(float); worst_abs = defaultdict(float); worst_grad = 0.0; n_grad = 0
for k in range(N):
    lib = "trl" if k % 2 == 0 else "verl"
    batch, adv, want, args, spread = case(lib)
    p = subprocess.run([BIN, "loss", "--gradients"], input=json.dumps(batch), capture_output=True, text=True)
    if p.returncode != 0:
        print("FAILED", lib, p.stderr, json.dumps(batch)[:300]); sys.exit(1)
    got = json.loads(p.stdout)
    pairs = [("loss", got["loss"], want["loss"])]
    pairs += [("advantages", g, w) for g, w in zip(got["advantages"], adv)]
    for key in ("kl", "entropy"):
        if want.get(key) is not None: pairs.append((key, got[key], want[key]))
    if lib == "verl": pairs.append(("pg_loss", got["pg_loss"], want["pg_loss"]))
    for key, w in want["clip_frac"].items(): pairs.append(("clip_frac." + key, got["clip_frac"][key], w))
    for name, g, w in pairs:
        if g is None: print("null", name, lib); sys.exit(1)
        worst[lib + ":" + name] = max(worst[lib + ":" + name], rel(g, w)); worst_abs[lib] = max(worst_abs[lib], abs(g - w))
    # d loss / d logp by central differences of the reference (old log-probs held fixed)
    if k < 300 and spread <= 1.0:  # central differences drown in rounding when one token's ratio is e^15
        cfg, logp, old, ref, mask, adv_, logits = args
        old_fixed = logp.copy() if old is None else old
        fn = trl_loss if lib == "trl" else verl_loss
        refarg = (ref if cfg["beta"] else None) if lib == "trl" else ref
        gl = np.array(got["grad_logp"]); h = 1e-6
        for i in range(logp.shape[0]):
            for t in range(logp.shape[1]):
                lp = logp.copy(); lp[i, t] += h; up = fn(cfg, lp, old_fixed, refarg, mask, adv_, logits)["loss"]
                lp[i, t] -= 2 * h; dn = fn(cfg, lp, old_fixed, refarg, mask, adv_, logits)["loss"]
                fd = (up - dn) / (2 * h) if mask[i, t] else 0.0
                worst_grad = max(worst_grad, abs(fd - gl[i, t]) / max(1.0, abs(fd))); n_grad += 1
print(f"{N} cases ({N//2} TRL, {N - N//2} verl)")
for name in sorted(worst): print(f"  max rel diff {name:28s} {worst[name]:.3g}")
print(f"  max abs diff trl {worst_abs['trl']:.3g}  verl {worst_abs['verl']:.3g}")
print(f"  max |grad_logp - central difference of reference| / max(1,|fd|) over {n_grad} entries: {worst_grad:.3g}")
print("OVERALL max rel diff:", f"{max(worst.values()):.3g}")
