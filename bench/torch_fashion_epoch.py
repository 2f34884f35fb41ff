#!/usr/bin/env python3
"""PyTorch side of bench/fashion_bench: one training epoch of the
ember-fashion MLP or CNN (examples/fashion_models.h) on Fashion-MNIST, batch
64, Adam 1e-3, single-threaded, data from a TensorDataset of normalized
images through a DataLoader (shuffle, no workers) -- the same setup as the
ember side. Prints "epoch_s <seconds>" and "steps <n>".

Usage: torch_fashion_epoch.py mlp|cnn [steps]   (steps: 0 = whole epoch)
Run with OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1: Debian's torch does not
let torch.set_num_threads limit OpenBLAS.
"""
import gzip
import sys
import time

import numpy as np
import torch
from torch import nn

ROOT = "/usr/share/datasets/fashion-mnist"


def read_idx(path, dims):
    with gzip.open(path, "rb") as f:
        data = f.read()
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def make_model(kind):
    if kind == "cnn":
        return nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(),
            nn.Dropout(0.25), nn.Linear(128, 10))
    return nn.Sequential(
        nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128),
        nn.ReLU(), nn.Linear(128, 10))


def main():
    kind = sys.argv[1]
    max_steps = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    torch.manual_seed(0)
    torch.set_num_threads(1)
    x = read_idx(f"{ROOT}/train-images-idx3-ubyte.gz", 3)
    y = read_idx(f"{ROOT}/train-labels-idx1-ubyte.gz", 1)
    x = (torch.from_numpy(x.astype(np.float32)) / 255.0 - 0.2860) / 0.3530
    x = x.unsqueeze(1)
    y = torch.from_numpy(y.astype(np.int64))
    loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(x, y), batch_size=64, shuffle=True)
    model = make_model(kind)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    steps = 0
    t0 = time.perf_counter()
    for xb, yb in loader:
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(xb), yb)
        loss.backward()
        opt.step()
        loss.item()
        steps += 1
        if max_steps and steps == max_steps:
            break
    print(f"torch {torch.__version__} {kind}")
    print(f"steps {steps}")
    print(f"epoch_s {time.perf_counter() - t0:.4f}")


if __name__ == "__main__":
    main()
