#!/usr/bin/env python3
"""PyTorch side of bench/mlp_bench: one training step of an MLP 784-512-256-10,
batch 128, cross-entropy, SGD momentum 0.9, single-threaded. Prints the
median step time in milliseconds as the last line ("median_ms <value>").

Run by mlp_bench itself (same run), with OMP/OpenBLAS limited to one thread:
Debian's torch does not let torch.set_num_threads limit OpenBLAS.
"""
import statistics
import sys
import time

import torch


def main():
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    torch.manual_seed(0)
    torch.set_num_threads(1)
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 512), torch.nn.ReLU(),
        torch.nn.Linear(512, 256), torch.nn.ReLU(),
        torch.nn.Linear(256, 10))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x = torch.randn(128, 784)
    y = torch.randint(0, 10, (128,))

    def step():
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss

    for _ in range(10):
        step()
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1e3)
    print(f"torch {torch.__version__} steps {steps}")
    print(f"median_ms {statistics.median(times):.4f}")


if __name__ == "__main__":
    main()
