#!/usr/bin/env python3
"""PyTorch side of bench/jit_bench: the 8-op elementwise chain
y = exp(-gelu(sigmoid(tanh(2x + 1) - 0.5) * x)) on 4M float32 values, eager,
on argv[1] threads (default 1). Prints "median_ms <value>".
Run with OMP_NUM_THREADS and OPENBLAS_NUM_THREADS set to the same count.
"""
import statistics
import sys
import time

import torch


def chain(x):
    return torch.exp(-torch.nn.functional.gelu(
        torch.sigmoid(torch.tanh(x * 2 + 1) - 0.5) * x))


def main():
    torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
    torch.manual_seed(0)
    x = torch.randn(4 * 1024 * 1024)
    for _ in range(3):
        chain(x)
    times = []
    for _ in range(15):
        t0 = time.perf_counter()
        chain(x)
        times.append((time.perf_counter() - t0) * 1e3)
    print(f"median_ms {statistics.median(times):.4f}")


if __name__ == "__main__":
    main()
