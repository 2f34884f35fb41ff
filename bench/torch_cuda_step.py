#!/usr/bin/env python3
"""PyTorch side of bench/cuda_train_bench: one training step (zero_grad,
forward, cross-entropy, backward, SGD momentum 0.9) of the MLP
784-512-256-10 or the Fashion-MNIST CNN, batch 128, on CUDA, eager and with
torch.compile. Usage: torch_cuda_step.py mlp|cnn [steps]. Prints
"eager_ms <median>" and "compiled_ms <median>" (CUDA-synchronized per step);
prints nothing useful without a GPU."""
import statistics
import sys
import time

import torch


def make(model):
    if model == "mlp":
        return torch.nn.Sequential(
            torch.nn.Linear(784, 512), torch.nn.ReLU(),
            torch.nn.Linear(512, 256), torch.nn.ReLU(),
            torch.nn.Linear(256, 10)), torch.randn(128, 784)
    return torch.nn.Sequential(
        torch.nn.Conv2d(1, 8, 3, padding=1), torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(8, 16, 3, padding=1), torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(16 * 7 * 7, 10)), \
        torch.randn(128, 1, 28, 28)


def time_step(step, steps):
    for _ in range(10):
        step()
    torch.cuda.synchronize()
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        step()
        torch.cuda.synchronize()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def main():
    which = sys.argv[1] if len(sys.argv) > 1 else "mlp"
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    if not torch.cuda.is_available():
        print("no CUDA device")
        return
    torch.manual_seed(0)
    torch.backends.cuda.matmul.allow_tf32 = False  # ember's GEMMs are fp32
    torch.backends.cudnn.allow_tf32 = False
    model, x = make(which)
    model = model.cuda()
    x = x.cuda()
    y = torch.randint(0, 10, (128,), device="cuda")
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

    def step():
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss

    eager = time_step(step, steps)
    compiled = time_step(torch.compile(step), steps)
    print(f"torch {torch.__version__} {torch.cuda.get_device_name()}")
    print(f"eager_ms {eager:.4f}")
    print(f"compiled_ms {compiled:.4f}")


if __name__ == "__main__":
    main()
