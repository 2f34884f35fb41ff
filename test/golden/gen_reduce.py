"""Goldens for the reduction and softmax ops (test/unit/reduce_test.cpp).

Inputs are seeded numpy arrays saved as in_<name>.npy; every case is one op
applied by PyTorch to one input, saved as <case>.npy. The C++ test holds the
same table of cases (names must match). `xt` is in_x32 transposed (0, 2),
built on both sides as a non-contiguous view.
"""
import math

import numpy as np
import torch

from golden_util import Writer, rng


def inputs():
    r = rng(7)
    x32 = r.standard_normal((3, 4, 5)).astype(np.float32)
    xn = r.standard_normal((4, 5)).astype(np.float32)
    xn[0, 3] = np.nan
    xn[2, 1] = np.nan
    xn[2, 4] = np.nan
    xinf = np.array([[1.0, np.inf, 2.0], [-np.inf, -np.inf, -np.inf],
                     [np.nan, 0.0, 1.0], [3.0, -np.inf, 700.0]], dtype=np.float32)
    return {
        "x32": x32,
        "x64": r.standard_normal((3, 4, 5)),
        "xi": r.integers(-4, 5, size=(3, 4, 5)).astype(np.int64),
        "xi32": r.integers(-50, 50, size=(4, 5)).astype(np.int32),
        "xb": r.random((3, 4)) > 0.5,
        "xs": np.array(1.5, dtype=np.float32),
        "xe": np.zeros((0, 3), dtype=np.float32),
        "xn": xn,
        "xtie": r.integers(0, 3, size=(4, 6)).astype(np.int64),
        "xinf": xinf,
        "xbig": (r.standard_normal((2, 3, 4)) * 300).astype(np.float32),
    }


def cases():
    inf = math.inf
    c = []

    def add(name, inp, fn):
        c.append((name, inp, fn))

    # sum
    for inp in ["x32", "x64", "xi", "xi32", "xb", "xt", "xs"]:
        add(f"sum_{inp}_all", inp, lambda x: x.sum())
    for inp in ["x32", "x64", "xi", "xt"]:
        add(f"sum_{inp}_d1", inp, lambda x: x.sum([1]))
        add(f"sum_{inp}_d02k", inp, lambda x: x.sum([0, 2], keepdim=True))
        add(f"sum_{inp}_dm1", inp, lambda x: x.sum([-1]))
    add("sum_xb_d0", "xb", lambda x: x.sum([0]))
    add("sum_xi_f64", "xi", lambda x: x.sum([1], dtype=torch.float64))
    add("sum_x32_allk", "x32", lambda x: x.sum([0, 1, 2], keepdim=True))
    add("sum_xe_all", "xe", lambda x: x.sum())
    add("sum_xe_d0", "xe", lambda x: x.sum([0]))
    add("sum_xe_d1", "xe", lambda x: x.sum([1]))
    # mean
    for inp in ["x32", "x64", "xt", "xs", "xe"]:
        add(f"mean_{inp}_all", inp, lambda x: x.mean())
    for inp in ["x32", "x64", "xt"]:
        add(f"mean_{inp}_d12k", inp, lambda x: x.mean([1, 2], keepdim=True))
        add(f"mean_{inp}_d0", inp, lambda x: x.mean([0]))
    add("mean_xe_d0", "xe", lambda x: x.mean([0]))
    # prod
    for inp in ["x32", "xi32", "xb", "xs", "xe"]:
        add(f"prod_{inp}_all", inp, lambda x: x.prod())
    for inp in ["x32", "x64", "xi", "xt"]:
        add(f"prod_{inp}_d1", inp, lambda x: x.prod(1))
        add(f"prod_{inp}_d2k", inp, lambda x: x.prod(2, keepdim=True))
    add("prod_xb_d1", "xb", lambda x: x.prod(1))
    # amax / amin
    for op in ["amax", "amin"]:
        for inp in ["x32", "x64", "xi", "xi32", "xb", "xt", "xn", "xs"]:
            add(f"{op}_{inp}_all", inp, lambda x, op=op: getattr(x, op)())
        for inp in ["x32", "xi", "xt"]:
            add(f"{op}_{inp}_d02", inp, lambda x, op=op: getattr(x, op)([0, 2]))
            add(f"{op}_{inp}_d1k", inp, lambda x, op=op: getattr(x, op)([1], keepdim=True))
        add(f"{op}_xn_d1", "xn", lambda x, op=op: getattr(x, op)([1]))
        add(f"{op}_xe_d1", "xe", lambda x, op=op: getattr(x, op)([1]))
    # max / min with a dim: values and indices
    for op in ["max", "min"]:
        for inp, d, k in [("x32", 1, False), ("x32", 0, True), ("x64", 2, False),
                          ("xi", 0, False), ("xtie", 1, False), ("xtie", 0, True),
                          ("xn", 1, False), ("xn", 0, False), ("xt", 2, False),
                          ("xt", 0, True), ("xb", 1, False), ("xs", 0, False),
                          ("xi32", -1, False)]:
            name = f"{op}_dim_{inp}_d{d}{'k' if k else ''}".replace("-", "m")
            add(name + "_values", inp, lambda x, op=op, d=d, k=k: getattr(x, op)(d, keepdim=k)[0])
            add(name + "_indices", inp, lambda x, op=op, d=d, k=k: getattr(x, op)(d, keepdim=k)[1])
    # argmax / argmin
    for op in ["argmax", "argmin"]:
        for inp in ["x32", "x64", "xi", "xtie", "xn", "xt", "xs"]:
            add(f"{op}_{inp}_all", inp, lambda x, op=op: getattr(x, op)())
        for inp in ["x32", "xtie", "xn", "xt"]:
            add(f"{op}_{inp}_d1", inp, lambda x, op=op: getattr(x, op)(1))
            add(f"{op}_{inp}_d0k", inp, lambda x, op=op: getattr(x, op)(0, keepdim=True))
        add(f"{op}_x32_allk", "x32", lambda x, op=op: getattr(x, op)(keepdim=True))
    # var / std
    for op in ["var", "std"]:
        for inp in ["x32", "x64", "xt", "xs", "xe"]:
            add(f"{op}_{inp}_all", inp, lambda x, op=op: getattr(x, op)())
        for inp in ["x32", "x64", "xt"]:
            add(f"{op}_{inp}_d1", inp, lambda x, op=op: getattr(x, op)([1]))
            add(f"{op}_{inp}_d02k", inp, lambda x, op=op: getattr(x, op)([0, 2], keepdim=True))
        add(f"{op}_x32_d2c0", "x32", lambda x, op=op: getattr(x, op)([2], correction=0))
        add(f"{op}_x32_d0c2", "x32", lambda x, op=op: getattr(x, op)([0], correction=2))
        add(f"{op}_x32_d0c3", "x32", lambda x, op=op: getattr(x, op)([0], correction=3))
        add(f"{op}_x32_d0c5", "x32", lambda x, op=op: getattr(x, op)([0], correction=5))
        add(f"{op}_xe_d0", "xe", lambda x, op=op: getattr(x, op)([0]))
    # logsumexp
    for inp in ["x32", "x64", "xt", "xbig"]:
        add(f"logsumexp_{inp}_d1", inp, lambda x: torch.logsumexp(x, [1]))
        add(f"logsumexp_{inp}_d02k", inp, lambda x: torch.logsumexp(x, [0, 2], keepdim=True))
    add("logsumexp_x32_all", "x32", lambda x: torch.logsumexp(x, [0, 1, 2]))
    add("logsumexp_xi_d2", "xi", lambda x: torch.logsumexp(x, [2]))
    add("logsumexp_xb_d0", "xb", lambda x: torch.logsumexp(x, [0]))
    add("logsumexp_xinf_d1", "xinf", lambda x: torch.logsumexp(x, [1]))
    add("logsumexp_xs_d0", "xs", lambda x: torch.logsumexp(x, [0]))
    add("logsumexp_xe_d0", "xe", lambda x: torch.logsumexp(x, [0]))
    # norm
    ps = [("2", 2), ("1", 1), ("inf", inf), ("ninf", -inf), ("0", 0), ("3", 3),
          ("0p5", 0.5), ("n1", -1), ("1p5", 1.5)]
    for pn, p in ps:
        add(f"norm_x32_p{pn}_all", "x32", lambda x, p=p: x.norm(p))
        add(f"norm_x32_p{pn}_d1", "x32", lambda x, p=p: x.norm(p, dim=[1]))
        add(f"norm_xt_p{pn}_d02k", "xt", lambda x, p=p: x.norm(p, dim=[0, 2], keepdim=True))
        add(f"norm_xe_p{pn}_all", "xe", lambda x, p=p: x.norm(p))
        add(f"norm_xe_p{pn}_d0", "xe", lambda x, p=p: x.norm(p, dim=[0]))
    add("norm_x64_p2_d2", "x64", lambda x: x.norm(2, dim=[2]))
    add("norm_xs_p2_all", "xs", lambda x: x.norm(2))
    # softmax / log_softmax
    for op in ["softmax", "log_softmax"]:
        f = getattr(torch, op)
        for inp in ["x32", "x64", "xt"]:
            for d in [0, 1, 2, -1]:
                add(f"{op}_{inp}_d{d}".replace("-", "m"), inp, lambda x, f=f, d=d: f(x, d))
        add(f"{op}_xbig_d2", "xbig", lambda x, f=f: f(x, 2))
        add(f"{op}_xbig_d0", "xbig", lambda x, f=f: f(x, 0))
        add(f"{op}_xinf_d1", "xinf", lambda x, f=f: f(x, 1))
        add(f"{op}_xs_d0", "xs", lambda x, f=f: f(x, 0))
        add(f"{op}_xe_d1", "xe", lambda x, f=f: f(x, 1))
    return c


def generate(out):
    w = Writer(out)
    ins = inputs()
    tensors = {k: torch.from_numpy(v) for k, v in ins.items()}
    tensors["xt"] = tensors["x32"].transpose(0, 2)
    for k, v in ins.items():
        w.save(f"in_{k}", v)
    for name, inp, fn in cases():
        w.save(name, fn(tensors[inp]))
    return w.count
