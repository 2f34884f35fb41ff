"""Helpers for the gen_*.py golden scripts."""
import numpy as np
import torch


class Writer:
    """Saves named arrays as .npy into one topic folder and counts them."""

    def __init__(self, out):
        self.out = out
        self.count = 0

    def save(self, name, value):
        if isinstance(value, torch.Tensor):
            value = value.detach().contiguous().numpy()
        # np.ascontiguousarray would turn 0-dim arrays into shape (1,).
        np.save(self.out / f"{name}.npy", np.array(value, order="C"))
        self.count += 1


def rng(seed=0):
    return np.random.default_rng(seed)
