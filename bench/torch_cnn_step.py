#!/usr/bin/env python3
"""PyTorch side of bench/train_step_bench: one training step of the
Fashion-MNIST CNN (conv 1->8 3x3 pad 1, relu, maxpool 2, conv 8->16 3x3 pad 1,
relu, maxpool 2, flatten, linear 784->10), batch 128, cross-entropy, SGD
momentum 0.9, single-threaded. Prints the median step time in milliseconds as
the last line ("median_ms <value>")."""
import statistics
import sys
import time

import torch


def main():
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    torch.manual_seed(0)
    torch.set_num_threads(1)
    model = torch.nn.Sequential(
        torch.nn.Conv2d(1, 8, 3, padding=1), torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(8, 16, 3, padding=1), torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(16 * 7 * 7, 10))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x = torch.randn(128, 1, 28, 28)
    y = torch.randint(0, 10, (128,))

    def step():
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss

    for _ in range(5):
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
