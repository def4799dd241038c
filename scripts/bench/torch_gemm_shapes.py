#!/usr/bin/env python3
"""PyTorch's matrix products on the shapes of `gemm_shapes.c` (one training step of issue 18's model), in GFLOP/s
(best of 15), with the threads given (default 2). Needs torch; not part of the tests."""
import sys
import time

import torch

torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
R = 2048
SHAPES = [("forward q/o", R, 256, 256, "nt"), ("forward k/v", R, 128, 256, "nt"), ("forward gate/up", R, 688, 256, "nt"),
          ("forward down", R, 256, 688, "nt"), ("dX q/o", R, 256, 256, "nn"), ("dX k/v", R, 256, 128, "nn"),
          ("dX gate/up", R, 256, 688, "nn"), ("dX down", R, 688, 256, "nn"), ("dW q/o", 256, 256, R, "tn"),
          ("dW k/v", 128, 256, R, "tn"), ("dW gate/up", 688, 256, R, "tn"), ("dW down", 256, 688, R, "tn")]
for name, m, n, k, form in SHAPES:
    if form == "nt":
        a, b = torch.randn(m, k), torch.randn(n, k)
        product = lambda: a @ b.t()
    elif form == "nn":
        a, b = torch.randn(m, k), torch.randn(k, n)
        product = lambda: a @ b
    else:
        a, b = torch.randn(k, m), torch.randn(k, n)
        product = lambda: a.t() @ b
    for _ in range(3):
        product()
    best = float("inf")
    for _ in range(15):
        t = time.perf_counter()
        product()
        best = min(best, time.perf_counter() - t)
    print(f"{name:16s} {2 * m * n * k / best / 1e9:7.1f}")
