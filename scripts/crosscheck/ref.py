"""Independent numpy re-implementation of TRL's and verl's GRPO formulas, transcribed from
trl/trainer/grpo_trainer.py (_generate_and_score_completions, _compute_loss) and
verl/trainer/ppo/core_algos.py (compute_grpo_outcome_advantage, compute_policy_loss_vanilla,
compute_policy_loss_gspo, kl_penalty, agg_loss) + verl/utils/torch_functional.py (masked_mean, entropy_from_logits).
Driven by run.py, which compares `grpo loss` with these functions on random cases."""
import json, subprocess, sys, numpy as np
from collections import defaultdict

def entropy_from_logits(logits):  # verl_F / trl utils
    m = logits.max(-1, keepdims=True)
    lse = np.log(np.exp(logits - m).sum(-1)) + m[..., 0]
    pd = np.exp(logits - lse[..., None])
    return lse - (pd * logits).sum(-1)

# ---------------- TRL ----------------
def trl_advantages(rewards, G, scale):
    r = np.array([0.0 if x is None else x for x in rewards])  # nansum over reward funcs: None -> 0
    mean_g = r.reshape(-1, G).mean(1).repeat(G)
    if scale in ("group", "none"):
        std = r.reshape(-1, G).std(1, ddof=1).repeat(G) if G > 1 else np.zeros_like(r)
    else:
        std = np.full_like(r, r.std(ddof=1)) if r.size > 1 else np.zeros_like(r)
    adv = r - mean_g
    if scale != "none":
        adv = adv / (std + 1e-4)
    return adv

def trl_loss(c, logp, old, ref, mask, adv, logits):
    el, eh = c["epsilon_low"], c["epsilon_high"]
    old = logp if old is None else old
    log_ratio = logp - old
    if c["importance_sampling"] == "token":
        liw = log_ratio
    else:
        liw = ((log_ratio * mask).sum(-1) / np.maximum(mask.sum(-1), 1.0))[:, None]
    coef_1 = np.exp(liw)
    A = adv[:, None]
    if c["beta"] != 0.0:
        per_token_kl = np.exp(ref - logp) - (ref - logp) - 1
    coef_2 = np.clip(coef_1, 1 - el, 1 + eh)
    if c.get("delta") is not None:
        coef_1 = np.minimum(coef_1, c["delta"])
    per_token_loss = -np.minimum(coef_1 * A, coef_2 * A)
    if c["beta"] != 0.0:
        per_token_loss = per_token_loss + c["beta"] * per_token_kl
    per_token_loss = np.broadcast_to(per_token_loss, mask.shape)
    lt = c["loss_type"]
    if lt == "grpo":
        loss = ((per_token_loss * mask).sum(-1) / np.maximum(mask.sum(-1), 1.0)).mean()
    elif lt in ("bnpo", "dapo"):  # dapo: num_items_in_batch = mask.sum() on one process
        loss = (per_token_loss * mask).sum() / max(mask.sum(), 1.0)
    elif lt == "dr_grpo":
        loss = (per_token_loss * mask).sum() / (per_token_loss.shape[0] * c["max_completion_length"])
    cnt = max(mask.sum(), 1.0)
    def mbm(x):
        return x.mean() if x.shape[1] == 1 else (x * mask).sum() / cnt
    out = {"loss": loss, "kl": mbm(per_token_kl) if c["beta"] != 0.0 else None}
    out["entropy"] = mbm(entropy_from_logits(logits / c["temperature"])) if logits is not None else None
    low = ((coef_1 < 1 - el) & (A < 0)).astype(float)
    high = ((coef_1 > 1 + eh) & (A > 0)).astype(float)
    out["clip_frac"] = {"low": mbm(low), "high": mbm(high), "region": mbm(np.maximum(low, high))}
    return out

# ---------------- verl ----------------
def verl_advantages(rewards, index, norm):
    scores = np.array(rewards, dtype=float)
    id2score = defaultdict(list); id2mean = {}; id2std = {}
    for i in range(len(scores)):
        id2score[index[i]].append(scores[i])
    for idx in id2score:
        if len(id2score[idx]) == 1:
            id2mean[idx], id2std[idx] = 0.0, 1.0
        else:
            id2mean[idx] = np.mean(id2score[idx]); id2std[idx] = np.std(id2score[idx], ddof=1)
    out = scores.copy()
    for i in range(len(scores)):
        out[i] = (scores[i] - id2mean[index[i]]) / (id2std[index[i]] + 1e-6) if norm else scores[i] - id2mean[index[i]]
    return out

def masked_mean(v, m):
    return (v * m).sum() / (m.sum() + 1e-8)

def agg_loss(loss_mat, loss_mask, mode, loss_scale_factor=None):
    if mode == "token-mean":
        return (loss_mat * loss_mask).sum() / loss_mask.sum()
    if mode == "seq-mean-token-sum":
        seq_losses = (loss_mat * loss_mask).sum(-1)
        seq_mask = (loss_mask.sum(-1) > 0).astype(float)
        return (seq_losses * seq_mask).sum() / seq_mask.sum()
    if mode == "seq-mean-token-mean":
        seq_mask = loss_mask.sum(-1)
        seq_losses = (loss_mat * loss_mask).sum(-1) / (seq_mask + 1e-8)
        seq_mask = (seq_mask > 0).astype(float)
        return (seq_losses * seq_mask).sum() / seq_mask.sum()
    if mode == "seq-mean-token-sum-norm":
        seq_losses = (loss_mat * loss_mask).sum(-1)
        if loss_scale_factor is None:
            loss_scale_factor = loss_mask.shape[-1]
        return seq_losses.sum() / loss_scale_factor

def kl_penalty(logprob, ref_logprob, kind):
    if kind in ("kl", "k1"):
        return logprob - ref_logprob
    if kind in ("mse", "k2"):
        return 0.5 * (logprob - ref_logprob) ** 2
    kl = np.clip(ref_logprob - logprob, -20, 20)
    return np.clip(np.exp(kl) - kl - 1, -10, 10)

def verl_loss(c, logp, old, ref, mask, adv, logits):
    A = np.broadcast_to(adv[:, None], mask.shape) * mask  # scores.unsqueeze(-1) * response_mask
    old = logp if old is None else old
    lo, hi = c["epsilon_low"], c["epsilon_high"]
    mode = c["loss_aggregation"]
    lsf = c.get("max_completion_length")
    if c["importance_sampling"] == "token":
        nak = np.clip(logp - old, -20.0, 20.0)
        ratio = np.exp(nak)
        l1 = -A * ratio
        l2 = -A * np.clip(ratio, 1 - lo, 1 + hi)
        c1 = np.maximum(l1, l2)
        clipfrac = masked_mean((l2 > l1).astype(float), mask)
        if c.get("dual_clip") is not None:
            l3 = -A * c["dual_clip"]
            c2 = np.minimum(l3, c1)
            lower = masked_mean((c1 > l3) * (A < 0).astype(float), mask)
            pg = np.where(A < 0, c2, c1)
        else:
            lower, pg = 0.0, c1
        pg_loss = agg_loss(pg, mask, mode, lsf)
    else:
        nak = logp - old
        seq_len = np.maximum(mask.sum(-1), 1)
        s = (nak * mask).sum(-1) / seq_len
        lsr = np.minimum(np.broadcast_to(s[:, None], mask.shape), 10.0)
        ratio = np.exp(lsr)
        l1 = -A * ratio
        l2 = -A * np.clip(ratio, 1 - lo, 1 + hi)
        pg = np.maximum(l1, l2)
        pg_loss = agg_loss(pg, mask, "seq-mean-token-mean")
        clipfrac = masked_mean((l2 > l1).astype(float), mask)
        lower = 0.0
    loss = pg_loss
    out = {"pg_loss": pg_loss, "clip_frac": {"region": clipfrac, "dual": lower}}
    if logits is not None:
        ent = agg_loss(entropy_from_logits(logits / c["temperature"]), mask, mode, lsf)
        loss = loss - c["entropy_coef"] * ent
        out["entropy"] = ent
    if ref is not None:
        kl = agg_loss(kl_penalty(logp, ref, c["kl_estimator"]), mask, mode, lsf)
        loss = loss + c["beta"] * kl
        out["kl"] = kl
    out["loss"] = loss
    return out
