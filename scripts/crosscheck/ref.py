"""Independent numpy transcription of TRL's and verl's current formulas, for `scripts/crosscheck/run.py`.

Transcribed (torch -> numpy, one process, one micro-batch) from
  huggingface/trl @ f2cd57710ae345ea6428ae95363267fcf38a3dc8 (2026-07-24):
    trl/trainer/grpo_trainer.py  _generate_and_score_completions (rewards, advantages), _compute_loss,
                                 get_gamma_weights;  trl/trainer/utils.py nanstd, entropy_from_logits
  verl-project/verl @ 1dda039b6c6311889a9c9a26040677e1254814f9 (2026-08-22):
    verl/trainer/ppo/core_algos.py  compute_gae_advantage_return, compute_grpo_outcome_advantage,
        compute_rloo_outcome_advantage, compute_reinforce_plus_plus(_baseline)_outcome_advantage, agg_loss,
        compute_policy_loss_{vanilla,gspo,cispo,kl_cov,clip_cov}, compute_value_loss, kl_penalty_forward,
        FixedKLController, AdaptiveKLController, get_kl_controller
    verl/trainer/ppo/ray_trainer.py  apply_kl_penalty;  verl/workers/utils/losses.py ppo_loss (entropy, kl terms)
    verl/experimental/reward_loop/reward_manager/base.py  assemble_rm_scores (reward on the last valid token)
    verl/utils/torch_functional.py  masked_mean, masked_var, masked_whiten, clip_by_value

Every function takes the differentiable log-probs `lp` and, where the library detaches a quantity, a separate
`lpd` (the same numbers), so that central differences in `lp` give the library's autograd gradient.
Two deliberate deviations, both stated in the Swift sources: clip_cov's `torch.randperm` draw is replaced by the
first candidates in row-major order, and kl_cov's `torch.topk` ties go to the earlier token."""
import math
from collections import defaultdict

import numpy as np


def entropy_from_logits(logits):
    m = logits.max(-1, keepdims=True)
    lse = np.log(np.exp(logits - m).sum(-1)) + m[..., 0]
    pd = np.exp(logits - lse[..., None])
    return lse - (pd * logits).sum(-1)


# ---------------------------------------------------------------- TRL
def nanstd(x, axis=None, keepdims=False):
    mean = np.nanmean(x, axis=axis, keepdims=True)
    var = np.nanmean((x - mean) ** 2, axis=axis, keepdims=True)
    count = np.sum(~np.isnan(x), axis=axis, keepdims=True).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        corr = np.where(count > 1, count / (count - 1), np.nan)
    std = np.sqrt(var * corr)
    return std if keepdims else np.squeeze(std, axis=axis) if axis is not None else std.reshape(())


def trl_advantages(rewards_per_func, G, scale_rewards, weights, aggregation):
    """_generate_and_score_completions; rewards_per_func is (B, K) with NaN for None."""
    import warnings

    warnings.simplefilter("ignore", RuntimeWarning)
    w = np.asarray(weights, dtype=float)
    unscorable = np.isnan(rewards_per_func).all(axis=1)
    if aggregation == "sum_then_normalize":
        rewards = np.nansum(rewards_per_func * w[None, :], axis=1)
        rewards[unscorable] = np.nan
        mean_g = np.repeat(np.nanmean(rewards.reshape(-1, G), axis=1), G)
        if scale_rewards in ("group", "none"):
            std = np.repeat(nanstd(rewards.reshape(-1, G), axis=1), G) if G > 1 else np.zeros_like(rewards)
        else:
            std = np.broadcast_to(nanstd(rewards), rewards.shape) if rewards.size > 1 else np.zeros_like(rewards)
        adv = rewards - mean_g
        if scale_rewards != "none":
            adv = adv / (std + 1e-4)
    else:
        K = rewards_per_func.shape[1]
        grouped = rewards_per_func.reshape(-1, G, K)
        mean_k = np.nanmean(grouped, axis=1, keepdims=True)
        std_k = nanstd(grouped, axis=1, keepdims=True) if G > 1 else np.zeros_like(mean_k)
        reward_k = ((grouped - mean_k) / (std_k + 1e-4)).reshape(-1, K)
        rewards = np.nansum(reward_k * w[None, :], axis=1)
        rewards[unscorable] = np.nan
        std = np.broadcast_to(nanstd(rewards), rewards.shape) if rewards.size > 1 else np.zeros_like(rewards)
        adv = (rewards - np.nanmean(rewards)) / (std + 1e-4)
    return np.nan_to_num(adv, nan=0.0)


def trl_gamma_weights(adv, lpd, old, mask, c):
    lower = math.log(1e-8)
    seq = np.sum(np.clip(lpd - old, -20.0, 20.0) * mask, axis=-1, keepdims=True)
    log_w = np.clip(seq, lower, 20.0)
    w = np.exp(log_w)
    nonneg = adv >= 0
    k = np.where(nonneg, c["vespo_k_pos"], c["vespo_k_neg"])
    lam = np.maximum(np.where(nonneg, c["vespo_lambda_pos"], c["vespo_lambda_neg"]), 1e-4)
    with np.errstate(over="ignore", invalid="ignore"):
        phi = np.exp(lam + k * log_w - lam * w)
    return np.nan_to_num(phi, nan=0.0, posinf=0.0, neginf=0.0)


def trl_loss(c, lp, lpd, old, ref, mask, adv, logits):
    """_compute_loss on one batch (num_items_in_batch = mask.sum(), one process, no accumulation)."""
    old = lpd if old is None else old
    A = adv[:, None]
    log_ratio = lp - old
    if c["importance_sampling"] == "token":
        liw = log_ratio
        liw_d = lpd - old
    else:
        liw = ((log_ratio * mask).sum(-1) / np.maximum(mask.sum(-1), 1.0))[:, None]
        liw_d = (((lpd - old) * mask).sum(-1) / np.maximum(mask.sum(-1), 1.0))[:, None]
    coef_1 = np.exp(liw)
    if c["beta"] != 0.0:
        per_token_kl = np.exp(ref - lp) - (ref - lp) - 1
    lt = c["loss_type"]
    el, eh = c["epsilon_low"], c["epsilon_high"]
    if lt == "cispo":
        clamped = np.minimum(np.exp(liw_d), eh)
        per_token_loss = -clamped * A * lp
    elif lt in ("grpo", "bnpo", "dr_grpo", "dapo", "luspo"):
        coef_2 = np.clip(coef_1, 1 - el, 1 + eh)
        if c.get("delta") is not None:
            coef_1 = np.minimum(coef_1, c["delta"])
        per_token_loss = -np.minimum(coef_1 * A, coef_2 * A)
    elif lt == "sapo":
        t = np.where(A > 0, c["sapo_temperature_pos"], c["sapo_temperature_neg"])
        soft = 1 / (1 + np.exp(-t * (coef_1 - 1))) * 4 / t
        per_token_loss = -soft * A
    elif lt == "vespo":
        phi = trl_gamma_weights(A, lpd, old, mask, c)
        per_token_loss = -phi * A * lp
    if c["beta"] != 0.0:
        per_token_loss = per_token_loss + c["beta"] * per_token_kl
    if lt in ("grpo", "sapo"):
        loss = ((per_token_loss * mask).sum(-1) / np.maximum(mask.sum(-1), 1.0)).mean()
    elif lt == "bnpo":
        loss = (per_token_loss * mask).sum() / max(mask.sum(), 1.0)
    elif lt == "dr_grpo":
        loss = (per_token_loss * mask).sum() / (per_token_loss.shape[0] * c["max_completion_length"])
    elif lt in ("cispo", "dapo", "vespo"):
        loss = (per_token_loss * mask).sum() / max(mask.sum(), 1.0)
    elif lt == "luspo":
        loss = (per_token_loss * mask.sum(1, keepdims=True)).mean()
    out = {"pg_and_kl": loss}
    cnt = max(mask.sum(), 1.0)

    def gmm(x):  # global_masked_mean
        if x.shape[1] == 1:
            return x.sum() / max(float(x.shape[0]), 1.0)
        return (x * mask).sum() / cnt

    if logits is not None:
        ent = entropy_from_logits(logits / c["temperature"])
        out["entropy"] = gmm(ent)
        if c.get("entropy_coef", 0.0) != 0.0:
            loss = loss - c["entropy_coef"] * (ent * mask).sum() / cnt
    out["loss"] = loss
    out["kl"] = gmm(per_token_kl) if c["beta"] != 0.0 else None
    metrics, clip = {}, {"low": 0.0, "high": 0.0, "region": 0.0}
    if lt in ("grpo", "bnpo", "dr_grpo", "dapo", "luspo"):
        low = ((coef_1 < 1 - el) & (A < 0)).astype(float)
        high = ((coef_1 > 1 + eh) & (A > 0)).astype(float)
        clip = {"low": gmm(low), "high": gmm(high), "region": gmm(np.maximum(low, high))}
    elif lt == "cispo":
        metrics["cispo_clip_ratio"] = gmm(((coef_1 > eh) & (A > 0)).astype(float))
    elif lt == "vespo":
        metrics["vespo/phi_seq_mean"] = gmm(phi)
    out["clip_frac"], out["metrics"] = clip, metrics
    return out


# ---------------------------------------------------------------- verl
def masked_mean(v, m, axis=None):
    return (np.where(m.astype(bool), v, 0.0) * m).sum(axis=axis) / (m.sum(axis=axis) + 1e-8)


def masked_whiten(v, m):
    mean = masked_mean(v, m)
    var = masked_mean((v - mean) ** 2, m)
    s = m.sum()
    assert s > 1
    var = var * s / (s - 1)
    return (v - mean) / np.sqrt(var + 1e-8)


def kl_penalty(logprob, ref, kind):
    if kind in ("kl", "k1"):
        return logprob - ref
    if kind in ("mse", "k2"):
        return 0.5 * (logprob - ref) ** 2
    kl = np.clip(ref - logprob, -20, 20)
    return np.clip(np.exp(kl) - kl - 1, -10, 10)


def agg_loss(loss_mat, loss_mask, mode, loss_scale_factor=None):
    if mode == "token-mean":
        return (loss_mat * loss_mask).sum() / loss_mask.sum()
    if mode in ("seq-mean-token-sum", "seq-mean-token-sum-norm"):
        seq_losses = (loss_mat * loss_mask).sum(-1)
        seq_mask = (loss_mask.sum(-1) > 0).astype(float)
        loss = (seq_losses * seq_mask).sum() / seq_mask.sum()
        if mode == "seq-mean-token-sum-norm":
            loss /= loss_mask.shape[-1] if loss_scale_factor is None else loss_scale_factor
        return loss
    if mode == "seq-mean-token-mean":
        n = loss_mask.sum(-1)
        seq_losses = (loss_mat * loss_mask).sum(-1) / (n + 1e-8)
        seq_mask = (n > 0).astype(float)
        return (seq_losses * seq_mask).sum() / seq_mask.sum()
    raise ValueError(mode)


class FixedKLController:
    def __init__(self, kl_coef):
        self.value = kl_coef

    def update(self, current_kl, n_steps):
        pass


class AdaptiveKLController:
    def __init__(self, init_kl_coef, target_kl, horizon):
        self.value = init_kl_coef
        self.target = target_kl
        self.horizon = horizon

    def update(self, current_kl, n_steps):
        target = self.target
        proportional_error = np.clip(current_kl / target - 1, -0.2, 0.2)
        mult = 1 + proportional_error * n_steps / self.horizon
        self.value *= mult


def get_kl_controller(c):
    if c.get("kl_ctrl", "fixed") == "fixed":
        return FixedKLController(kl_coef=c["kl_in_reward"])
    assert c.get("kl_horizon", 10000) > 0
    return AdaptiveKLController(c["kl_in_reward"], c.get("kl_target", 0.1), c.get("kl_horizon", 10000))


def verl_token_rewards(scores, mask, old, ref, c):
    """assemble_rm_scores, then apply_kl_penalty (with the kl_ctrl update) when use_kl_in_reward."""
    B, T = mask.shape
    r = np.zeros((B, T))
    r[np.arange(B), mask.sum(1).astype(int) - 1] = scores  # prefix masks: the last valid token
    metrics = None
    if c.get("kl_in_reward", 0.0) > 0:
        kl_ctrl = get_kl_controller(c)
        kld = kl_penalty(old, ref, c["kl_estimator"]) * mask
        beta = kl_ctrl.value
        r = r - beta * kld
        current_kl = masked_mean(kld, mask, axis=-1).mean()
        kl_ctrl.update(current_kl=current_kl, n_steps=B)
        metrics = {"penalty": current_kl, "coef": beta, "coef_next": kl_ctrl.value}
    return r, metrics


def verl_advantages(token_rewards, mask, index, values, c):
    est = c["advantage_estimator"]
    if est == "gae":
        gamma, lam = c["gamma"], c["lam"]
        nextvalues, lastgaelam, rev = 0, 0, []
        for t in reversed(range(mask.shape[1])):
            delta = token_rewards[:, t] + gamma * nextvalues - values[:, t]
            lg = delta + gamma * lam * lastgaelam
            nextvalues = values[:, t] * mask[:, t] + (1 - mask[:, t]) * nextvalues
            lastgaelam = lg * mask[:, t] + (1 - mask[:, t]) * lastgaelam
            rev.append(lastgaelam)
        adv = np.stack(rev[::-1], axis=1)
        returns = adv + values
        return masked_whiten(adv, mask), returns
    if est == "reinforce_plus_plus":
        returns = np.zeros_like(token_rewards)
        running = 0
        for t in reversed(range(mask.shape[1])):
            new = token_rewards[:, t] + c["gamma"] * running
            returns[:, t] = new * mask[:, t]
            running = new * mask[:, t] + running * (1 - mask[:, t])
        return masked_whiten(returns, mask) * mask, returns
    scores = token_rewards.sum(-1)
    id2score = defaultdict(list)
    for i in range(len(scores)):
        id2score[index[i]].append(scores[i])
    out = scores.copy()
    if est == "grpo":
        id2mean, id2std = {}, {}
        for k, v in id2score.items():
            id2mean[k], id2std[k] = (0.0, 1.0) if len(v) == 1 else (np.mean(v), np.std(v, ddof=1))
        for i in range(len(scores)):
            if c["scale_rewards"] == "group":
                out[i] = (scores[i] - id2mean[index[i]]) / (id2std[index[i]] + 1e-6)
            else:
                out[i] = scores[i] - id2mean[index[i]]
        return out, out[:, None] * mask
    if est == "rloo":
        for i in range(len(scores)):
            n = len(id2score[index[i]])
            if n > 1:
                out[i] = scores[i] * n / (n - 1) - np.mean(id2score[index[i]]) * n / (n - 1)
        return out, out[:, None] * mask
    if est == "reinforce_plus_plus_baseline":
        for i in range(len(scores)):
            v = id2score[index[i]]
            out[i] = scores[i] - (0.0 if len(v) == 1 else np.mean(v))
        tiled = np.tile(out[:, None], (1, mask.shape[1])) * mask
        a = masked_whiten(tiled, mask) * mask
        return a, a
    raise ValueError(est)


def verl_policy_loss(c, lp, lpd, old, A, mask):
    mode, lo, hi = c["policy_loss"], c["epsilon_low"], c["epsilon_high"]
    agg = c["loss_aggregation"]
    lsf = c.get("max_completion_length")
    metrics = {}
    if mode == "vanilla":
        nak = np.clip(lp - old, -20.0, 20.0)
        ratio = np.exp(nak)
        l1 = -A * ratio
        l2 = -A * np.clip(ratio, 1 - lo, 1 + hi)
        c1 = np.maximum(l1, l2)
        clipfrac = masked_mean((l2 > l1).astype(float), mask)
        cc = c.get("dual_clip") or 3.0
        l3 = -A * cc
        c2 = np.minimum(l3, c1)
        lower = masked_mean((c1 > l3) * (A < 0).astype(float), mask)
        pg = np.where(A < 0, c2, c1) if c.get("dual_clip") is not None else c1
        if c.get("dual_clip") is None:
            lower = 0.0
        return agg_loss(pg, mask, agg, lsf), {"region": clipfrac, "dual": lower}, metrics
    if mode == "gspo":
        seq_len = np.maximum(mask.sum(-1), 1)
        s = ((lpd - old) * mask).sum(-1) / seq_len
        log_r = np.minimum(lp - lpd + s[:, None], 10.0)
        ratio = np.exp(log_r)
        l1 = -A * ratio
        l2 = -A * np.clip(ratio, 1 - lo, 1 + hi)
        pg = np.maximum(l1, l2)
        clipfrac = masked_mean((l2 > l1).astype(float), mask)
        return agg_loss(pg, mask, "seq-mean-token-mean"), {"region": clipfrac, "dual": 0.0}, metrics
    if mode == "cispo":
        ratio_d = np.exp(np.clip(lpd - old, -20.0, 20.0))
        clipped = np.clip(ratio_d, 1 - lo, 1 + hi)
        pg = -clipped * A * lp
        clipfrac = masked_mean((ratio_d != clipped).astype(float), mask)
        return agg_loss(pg, mask, agg, lsf), {"region": clipfrac, "dual": 0.0}, metrics
    if mode == "kl_cov":
        nak = lp - old
        ratio = np.exp(nak)
        pg = -A * ratio
        pg_kl = -A * ratio + c["ppo_kl_coef"] * np.abs(nak)
        valid = np.flatnonzero(mask.reshape(-1) > 0)
        a_v, l_v = A.reshape(-1)[valid], lpd.reshape(-1)[valid]
        cov = (a_v - a_v.mean()) * (l_v - l_v.mean())
        k = max(1, int(len(cov) * c["kl_cov_ratio"]))
        top = valid[np.argsort(-cov, kind="stable")[:k]]
        pg = pg.copy()
        pg.reshape(-1)[top] = pg_kl.reshape(-1)[top]
        metrics["ppo_kl"] = masked_mean(np.abs(lpd - old), mask)
        return agg_loss(pg, mask, agg, lsf), {"region": 0.0, "dual": 0.0}, metrics
    if mode == "clip_cov":
        ratio = np.exp(lp - old)
        ratio_d = np.exp(lpd - old)
        l1 = -A * ratio
        l2 = -A * np.clip(ratio, 1 - lo, 1 + hi)
        l1d, l2d = -A * ratio_d, -A * np.clip(ratio_d, 1 - lo, 1 + hi)
        clip_by_origin = (l2d > l1d) & (mask > 0)
        cov = (A - masked_mean(A, mask)) * (lpd - masked_mean(lpd, mask))
        cov[mask == 0] = -np.inf
        cov[clip_by_origin] = -np.inf
        clip_num = max(int(c["clip_cov_ratio"] * mask.sum()), 1)
        idx = np.argwhere((cov < c["clip_cov_ub"]) & (cov > c["clip_cov_lb"]) & (mask > 0))
        idx = idx[: min(clip_num, len(idx))]  # verl: a torch.randperm draw; here the first (row-major)
        corr = np.ones_like(A)
        corr[idx[:, 0], idx[:, 1]] = 0
        clipfrac = masked_mean((corr == 0).astype(float), mask)
        pg = np.maximum(l1, l2) * corr
        return agg_loss(pg, mask, agg, lsf), {"region": clipfrac, "dual": 0.0}, metrics
    raise ValueError(mode)


def verl_loss(c, lp, lpd, old, ref, mask, A, logits):
    """losses.ppo_loss: policy loss, − entropy_coeff·agg(entropy), + kl_loss_coef·agg(kl_penalty)."""
    old = lpd if old is None else old
    pg_loss, clip, metrics = verl_policy_loss(c, lp, lpd, old, A, mask)
    agg, lsf = c["loss_aggregation"], c.get("max_completion_length")
    loss = pg_loss
    out = {"pg_loss": pg_loss, "clip_frac": clip, "metrics": metrics}
    if logits is not None:
        ent = agg_loss(entropy_from_logits(logits / c["temperature"]), mask, agg, lsf)
        loss = loss - c["entropy_coef"] * ent
        out["entropy"] = ent
    if ref is not None:
        kl = agg_loss(kl_penalty(lp, ref, c["kl_estimator"]), mask, agg, lsf)
        loss = loss + c["beta"] * kl
        out["kl"] = kl
    out["loss"] = loss
    return out


def verl_value_loss(vpreds, returns, values, mask, c):
    clipped = np.maximum(np.minimum(vpreds, values + c["value_clip"]), values - c["value_clip"])
    l1 = (vpreds - returns) ** 2
    l2 = (clipped - returns) ** 2
    loss = 0.5 * agg_loss(np.maximum(l1, l2), mask, c["loss_aggregation"], c.get("max_completion_length"))
    return loss, masked_mean((l2 > l1).astype(float), mask)
