#!/usr/bin/env python3
"""Independent float64 numpy forward pass of a HuggingFace Llama/Qwen2 checkpoint (config.json +
model.safetensors), following transformers/models/llama/modeling_llama.py: RMSNorm, rotate_half RoPE,
grouped-query causal attention, SwiGLU MLP, optional q/k/v biases and tied embeddings.

usage: llama_reference.py CHECKPOINT_DIR 1,2,3   -> prints {"logits": [[...], ...]} (one row per token)
Needs only numpy.
"""
import json
import struct
import sys

import numpy as np


def load_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    base = 8 + n
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        raw = data[base + begin : base + end]
        if info["dtype"] == "F32":
            arr = np.frombuffer(raw, dtype="<f4")
        elif info["dtype"] == "F16":
            arr = np.frombuffer(raw, dtype="<f2")
        elif info["dtype"] == "BF16":
            arr = (np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16).view(np.float32)
        else:
            raise SystemExit(f"unsupported dtype {info['dtype']}")
        tensors[name] = arr.astype(np.float64).reshape(info["shape"])
    return tensors


def rms_norm(x, w, eps):
    return w * (x / np.sqrt((x * x).mean(-1, keepdims=True) + eps))


def rope(x, positions, theta):
    """x: [T, heads, hd]; HF rotate_half convention."""
    hd = x.shape[-1]
    inv_freq = 1.0 / theta ** (np.arange(0, hd, 2, dtype=np.float64) / hd)
    freqs = positions[:, None] * inv_freq[None, :]
    emb = np.concatenate([freqs, freqs], axis=-1)
    cos, sin = np.cos(emb)[:, None, :], np.sin(emb)[:, None, :]
    rotated = np.concatenate([-x[..., hd // 2 :], x[..., : hd // 2]], axis=-1)
    return x * cos + rotated * sin


def forward(cfg, w, ids):
    t = len(ids)
    heads, kv = cfg["num_attention_heads"], cfg.get("num_key_value_heads", cfg["num_attention_heads"])
    hd = cfg.get("head_dim") or cfg["hidden_size"] // heads
    eps, theta = cfg["rms_norm_eps"], cfg.get("rope_theta", 10000.0)
    positions = np.arange(t, dtype=np.float64)
    x = w["model.embed_tokens.weight"][ids]
    causal = np.triu(np.full((t, t), -np.inf), k=1)
    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}."

        def proj(name, h):
            y = h @ w[p + name + ".weight"].T
            return y + w[p + name + ".bias"] if p + name + ".bias" in w else y

        h = rms_norm(x, w[p + "input_layernorm.weight"], eps)
        q = rope(proj("self_attn.q_proj", h).reshape(t, heads, hd), positions, theta)
        k = rope(proj("self_attn.k_proj", h).reshape(t, kv, hd), positions, theta)
        v = proj("self_attn.v_proj", h).reshape(t, kv, hd)
        out = np.zeros((t, heads, hd))
        for head in range(heads):
            kh = head // (heads // kv)
            s = q[:, head, :] @ k[:, kh, :].T / np.sqrt(hd) + causal
            s = np.exp(s - s.max(-1, keepdims=True))
            out[:, head, :] = (s / s.sum(-1, keepdims=True)) @ v[:, kh, :]
        x = x + out.reshape(t, heads * hd) @ w[p + "self_attn.o_proj.weight"].T
        h = rms_norm(x, w[p + "post_attention_layernorm.weight"], eps)
        gate, up = h @ w[p + "mlp.gate_proj.weight"].T, h @ w[p + "mlp.up_proj.weight"].T
        x = x + (gate / (1 + np.exp(-gate)) * up) @ w[p + "mlp.down_proj.weight"].T
    x = rms_norm(x, w["model.norm.weight"], eps)
    head = w["model.embed_tokens.weight"] if cfg.get("tie_word_embeddings") else w["lm_head.weight"]
    return x @ head.T


def main():
    directory, ids = sys.argv[1], [int(s) for s in sys.argv[2].split(",")]
    with open(f"{directory}/config.json") as f:
        cfg = json.load(f)
    logits = forward(cfg, load_safetensors(f"{directory}/model.safetensors"), ids)
    json.dump({"logits": logits.tolist()}, sys.stdout)


if __name__ == "__main__":
    main()
