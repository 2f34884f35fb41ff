#!/usr/bin/env python3
"""PyTorch side of bench/jit_bench: the 8-op elementwise chain
y = exp(-gelu(sigmoid(tanh(2x + 1) - 0.5) * x)) on 4M float32 values, eager,
single-threaded. Prints "median_ms <value>".
Run with OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1.
"""
import statistics
import time

import torch


def chain(x):
    return torch.exp(-torch.nn.functional.gelu(
        torch.sigmoid(torch.tanh(x * 2 + 1) - 0.5) * x))


def main():
    torch.set_num_threads(1)
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
