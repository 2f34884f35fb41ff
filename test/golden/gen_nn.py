"""Goldens for the nn layer library (test/unit/nn_*_test.cpp).

For every case <c>: the input <c>_x, the module's state_dict <c>_sd_<key>
(the keys are PyTorch's, so ember's state_dict names are checked by loading
them), the output <c>_y, an upstream gradient <c>_gy, and the gradients of
sum(y * gy): <c>_gx and <c>_g<param>. Printed reprs are saved as uint8
arrays repr_<name> (str(module) in UTF-8). Weights come from seeded numpy,
never from torch's generator.
"""
from collections import OrderedDict

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from golden_util import Writer, rng

R = rng(7)


def randn(*shape, dtype=np.float32):
    return torch.from_numpy(R.standard_normal(shape).astype(dtype))


def set_state(m, scale=0.5):
    """Overwrites every float parameter/buffer with seeded values."""
    with torch.no_grad():
        for k, v in m.state_dict().items():
            if v.dtype.is_floating_point:
                vals = randn(*v.shape) * scale
                if "running_var" in k:
                    vals = vals.abs() + 0.5
                v.copy_(vals)


def save_state(w, case, m, tag="sd"):
    for k, v in m.state_dict().items():
        w.save(f"{case}_{tag}_{k}", v)


def run_case(w, case, m, x, grad_x=True):
    """Forward with upstream gradient; saves x, state, y, gy and grads."""
    save_state(w, case, m)
    w.save(f"{case}_x", x)
    if grad_x:
        x = x.clone().requires_grad_(True)
    y = m(x)
    gy = randn(*y.shape).to(y.dtype)
    (y * gy).sum().backward()
    w.save(f"{case}_y", y)
    w.save(f"{case}_gy", gy)
    if grad_x:
        w.save(f"{case}_gx", x.grad)
    for k, p in m.named_parameters():
        w.save(f"{case}_g{k}", p.grad)
    return y


def save_repr(w, name, m):
    w.save(f"repr_{name}", np.frombuffer(str(m).encode(), dtype=np.uint8))


def layers(w):
    m = nn.Linear(4, 3)
    set_state(m)
    run_case(w, "linear", m, randn(2, 3, 4))
    m = nn.Linear(5, 2, bias=False)
    set_state(m)
    run_case(w, "linear_nobias", m, randn(3, 5))

    m = nn.Conv1d(4, 6, 3, stride=2, padding=1, groups=2)
    set_state(m)
    run_case(w, "conv1d", m, randn(2, 4, 9))
    m = nn.Conv1d(3, 2, 4, padding="same", dilation=1, bias=False)
    set_state(m)
    run_case(w, "conv1d_same", m, randn(1, 3, 7))
    m = nn.Conv1d(2, 3, 2, dilation=2)
    set_state(m)
    run_case(w, "conv1d_unbatched", m, randn(2, 6))

    m = nn.Conv2d(3, 4, (3, 2), stride=(2, 1), padding=(1, 0), dilation=(1, 2))
    set_state(m)
    run_case(w, "conv2d", m, randn(2, 3, 7, 6))
    m = nn.Conv2d(4, 4, 3, groups=2, padding=1, bias=False)
    set_state(m)
    run_case(w, "conv2d_groups", m, randn(4, 5, 5))
    m = nn.Conv2d(2, 3, (2, 3), padding="same", dilation=(2, 1))
    set_state(m)
    run_case(w, "conv2d_same", m, randn(1, 2, 5, 6))

    run_case(w, "maxpool", nn.MaxPool2d(3, stride=2, padding=1),
             randn(2, 3, 7, 7))
    run_case(w, "maxpool_ceil",
             nn.MaxPool2d((2, 3), stride=(2, 2), dilation=(1, 2),
                          ceil_mode=True), randn(1, 2, 7, 9))
    run_case(w, "avgpool",
             nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False),
             randn(2, 2, 6, 7))
    run_case(w, "avgpool_ceil", nn.AvgPool2d(2, ceil_mode=True),
             randn(1, 2, 5, 5))
    run_case(w, "adaptive", nn.AdaptiveAvgPool2d((3, 4)), randn(2, 3, 7, 9))
    run_case(w, "adaptive_div", nn.AdaptiveAvgPool2d(2), randn(1, 2, 6, 4))
    run_case(w, "adaptive_none", nn.AdaptiveAvgPool2d((None, 2)),
             randn(2, 5, 5))

    m = nn.LayerNorm(5)
    set_state(m)
    run_case(w, "layernorm", m, randn(2, 3, 5))
    run_case(w, "layernorm2",
             nn.LayerNorm([3, 5], elementwise_affine=False, eps=1e-3),
             randn(2, 3, 5))

    m = nn.Embedding(10, 4, padding_idx=2)
    set_state(m)
    idx = torch.tensor([[1, 2, 3, 2, 9], [0, 1, 1, 2, 5]])
    run_case(w, "embedding", m, idx, grad_x=False)
    m = nn.Embedding(6, 3)
    set_state(m)
    run_case(w, "embedding_plain", m, torch.tensor([4, 0, 4, 5]),
             grad_x=False)


def batchnorm(w):
    # Three train-mode forwards, then the running statistics and an eval
    # forward. Gradients are those of the first forward.
    cases = [
        ("bn1d", nn.BatchNorm1d(3), (4, 3)),
        ("bn1d_cum", nn.BatchNorm1d(3, momentum=None), (4, 3, 2)),
        ("bn2d", nn.BatchNorm2d(3, momentum=0.2, eps=1e-3), (2, 3, 4, 5)),
        ("bn2d_plain", nn.BatchNorm2d(2, affine=False,
                                      track_running_stats=False), (3, 2, 2, 2)),
    ]
    for case, m, shape in cases:
        set_state(m)
        m.train()
        run_case(w, case, m, randn(*shape))
        for i in (2, 3):
            x = randn(*shape)
            w.save(f"{case}_x{i}", x)
            m(x)
        save_state(w, case, m, tag="after")
        m.eval()
        x = randn(*shape)
        w.save(f"{case}_xeval", x)
        w.save(f"{case}_yeval", m(x))


def activations(w):
    x = randn(3, 4)
    x[0, 0] = 0.0
    x[1, 2] = 1e-4
    x[2, 1] = -1e-4
    w.save("act_x", x)
    mods = {
        "relu": nn.ReLU(),
        "leaky_relu": nn.LeakyReLU(0.2),
        "elu": nn.ELU(alpha=0.7),
        "gelu": nn.GELU(),
        "gelu_tanh": nn.GELU(approximate="tanh"),
        "tanh": nn.Tanh(),
        "sigmoid": nn.Sigmoid(),
        "softmax": nn.Softmax(dim=1),
        "softmax0": nn.Softmax(dim=0),
        "log_softmax": nn.LogSoftmax(dim=-1),
    }
    for name, m in mods.items():
        xi = x.clone().requires_grad_(True)
        y = m(xi)
        gy = randn(*y.shape)
        (y * gy).sum().backward()
        w.save(f"act_{name}_y", y)
        w.save(f"act_{name}_gy", gy)
        w.save(f"act_{name}_gx", xi.grad)
    x3 = randn(2, 3, 2)
    w.save("act_x3", x3)
    w.save("act_softmax_implicit3_y", F.softmax(x3, dim=0))
    w.save("act_log_softmax_implicit2_y", F.log_softmax(x, dim=1))


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(OrderedDict([
            ("conv", nn.Conv2d(1, 2, 3, padding=1)),
            ("bn", nn.BatchNorm2d(2)),
            ("act", nn.ReLU()),
            ("pool", nn.MaxPool2d(2)),
        ]))
        self.flatten = nn.Flatten()
        self.head = nn.Sequential(nn.Linear(8, 4), nn.Dropout(0.1),
                                  nn.Linear(4, 3), nn.LogSoftmax(dim=1))

    def forward(self, x):
        return self.head(self.flatten(self.features(x)))


def nested(w):
    m = Net()
    set_state(m)
    m.eval()
    run_case(w, "net", m, randn(2, 1, 4, 4))
    save_repr(w, "net", m)


def reprs(w):
    mods = {
        "linear": nn.Linear(4, 3),
        "linear_nobias": nn.Linear(3, 4, bias=False),
        "conv1d": nn.Conv1d(2, 4, 3),
        "conv1d_full": nn.Conv1d(2, 4, 3, stride=2, padding=1, dilation=2,
                                 groups=2, bias=False),
        "conv2d": nn.Conv2d(2, 4, 3),
        "conv2d_same": nn.Conv2d(2, 4, (3, 1), padding="same"),
        "conv2d_valid": nn.Conv2d(2, 4, 3, padding="valid"),
        "conv2d_full": nn.Conv2d(4, 8, (3, 5), stride=(2, 1), padding=(1, 2),
                                 dilation=(2, 1), groups=4),
        "maxpool": nn.MaxPool2d(2),
        "maxpool_full": nn.MaxPool2d((2, 3), stride=1, padding=(1, 1),
                                     dilation=2, ceil_mode=True),
        "avgpool": nn.AvgPool2d(2),
        "avgpool_pair": nn.AvgPool2d((2, 2), stride=(1, 2), padding=1,
                                     ceil_mode=True),
        "adaptive": nn.AdaptiveAvgPool2d(2),
        "adaptive_pair": nn.AdaptiveAvgPool2d((None, 3)),
        "bn1d": nn.BatchNorm1d(3),
        "bn2d": nn.BatchNorm2d(3, eps=1e-3, momentum=None, affine=False,
                               track_running_stats=False),
        "layernorm": nn.LayerNorm(4),
        "layernorm2": nn.LayerNorm([3, 4], eps=1e-6, elementwise_affine=False),
        "dropout": nn.Dropout(),
        "dropout2": nn.Dropout(0.2, inplace=True),
        "embedding": nn.Embedding(10, 3),
        "embedding_pad": nn.Embedding(10, 3, padding_idx=-1),
        "flatten": nn.Flatten(),
        "flatten2": nn.Flatten(0, 2),
        "identity": nn.Identity(),
        "relu": nn.ReLU(),
        "relu_inplace": nn.ReLU(inplace=True),
        "leaky_relu": nn.LeakyReLU(),
        "leaky_relu2": nn.LeakyReLU(0.2, inplace=True),
        "elu": nn.ELU(),
        "elu2": nn.ELU(alpha=0.5),
        "gelu": nn.GELU(),
        "gelu_tanh": nn.GELU(approximate="tanh"),
        "tanh": nn.Tanh(),
        "sigmoid": nn.Sigmoid(),
        "softmax": nn.Softmax(dim=1),
        "softmax_none": nn.Softmax(),
        "log_softmax": nn.LogSoftmax(dim=-1),
        "sequential": nn.Sequential(nn.Linear(4, 3), nn.ReLU(),
                                    nn.Linear(3, 1)),
        "sequential_named": nn.Sequential(OrderedDict([
            ("fc", nn.Linear(4, 3)), ("act", nn.ReLU())])),
        "sequential_empty": nn.Sequential(),
        "module_list": nn.ModuleList([nn.Linear(2, 2), nn.Tanh()]),
        "module_dict": nn.ModuleDict(OrderedDict([
            ("a", nn.ReLU()), ("b", nn.Sequential(nn.Identity()))])),
    }
    for name, m in mods.items():
        save_repr(w, name, m)


def float64(w):
    """A few cases in float64 (compared at 1e-10)."""
    cases = [
        ("linear64", nn.Linear(4, 3), (2, 4)),
        ("conv2d64", nn.Conv2d(2, 3, 3, stride=2, padding=1), (1, 2, 5, 5)),
        ("bn2d64", nn.BatchNorm2d(2), (3, 2, 2, 2)),
        ("layernorm64", nn.LayerNorm(4), (3, 4)),
        ("elu64", nn.ELU(0.7), (3, 4)),
        ("gelu64", nn.GELU(), (3, 4)),
    ]
    for case, m, shape in cases:
        m = m.double()
        set_state(m)
        run_case(w, case, m, randn(*shape, dtype=np.float64))


def generate(out):
    torch.manual_seed(0)
    w = Writer(out)
    layers(w)
    batchnorm(w)
    activations(w)
    nested(w)
    reprs(w)
    float64(w)
    return w.count
