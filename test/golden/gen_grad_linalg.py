"""Gradient goldens for conv2d, max_pool2d, avg_pool2d, mm, bmm and matmul
(topic grad_linalg), float32.

Each case <c> saves its inputs (<c>_x, <c>_w, <c>_b or <c>_a, <c>_b), the
gradient fed to backward (<c>_gout) and PyTorch's gradients of the inputs
(<c>_gx, <c>_gw, <c>_gb or <c>_ga, <c>_gb). The C++ test
(test/unit/grad_linalg_test.cpp) repeats the forward call with the
parameters written next to each case here.
"""
import numpy as np
import torch
import torch.nn.functional as F

from golden_util import Writer, rng


def generate(out):
    w = Writer(out)
    r = rng(11)
    T = torch.from_numpy

    def arr(shape):
        return r.standard_normal(shape).astype(np.float32)

    def run(name, fn, **ins):
        ts = {k: T(v).requires_grad_() for k, v in ins.items()}
        y = fn(**ts)
        gout = arr(tuple(y.shape))
        y.backward(T(gout))
        for k, v in ins.items():
            w.save(f"{name}_{k}", v)
        w.save(f"{name}_gout", gout)
        for k, t in ts.items():
            w.save(f"{name}_g{k}", t.grad)

    # --- conv2d: conv(x, w, b, stride, padding, dilation, groups) ----------
    def conv(name, xs, ws, bias=True, **kw):
        ins = dict(x=arr(xs), w=arr(ws))
        if bias:
            ins["b"] = arr((ws[0],))
            run(name, lambda x, w, b: F.conv2d(x, w, b, **kw), **ins)
        else:
            run(name, lambda x, w: F.conv2d(x, w, None, **kw), **ins)

    conv("conv_basic", (2, 3, 7, 6), (4, 3, 3, 3))
    conv("conv_stride_pad", (2, 3, 8, 7), (4, 3, 3, 3), stride=2, padding=1)
    conv("conv_dilation", (1, 2, 9, 8), (3, 2, 3, 2), bias=False,
         padding=(2, 1), dilation=(2, 3))
    conv("conv_groups", (2, 4, 6, 6), (6, 2, 3, 3), stride=(1, 2), padding=1,
         groups=2)
    conv("conv_1x1", (2, 5, 4, 3), (3, 5, 1, 1))
    conv("conv_unbatched", (3, 6, 5), (2, 3, 2, 2), stride=2, padding=1)

    # --- max_pool2d(x, k, stride, padding, dilation, ceil_mode) -------------
    def maxpool(name, xs, ties=False, **kw):
        x = arr(xs)
        if ties:  # few distinct values: the first maximum must win
            x = np.round(x).astype(np.float32)
        run(name, lambda x: F.max_pool2d(x, **kw), x=x)

    maxpool("max_k2", (2, 3, 6, 6), kernel_size=2)
    maxpool("max_k3s2p1", (2, 2, 7, 8), kernel_size=3, stride=2, padding=1)
    maxpool("max_ceil", (1, 2, 7, 7), kernel_size=3, stride=2, ceil_mode=True)
    maxpool("max_dilation", (1, 2, 9, 8), kernel_size=(3, 2), stride=1,
            padding=1, dilation=(2, 3))
    maxpool("max_ties", (2, 2, 6, 6), ties=True, kernel_size=3, stride=1,
            padding=1)

    # --- avg_pool2d(x, k, stride, padding, ceil_mode, count_include_pad) ---
    def avgpool(name, xs, **kw):
        run(name, lambda x: F.avg_pool2d(x, **kw), x=arr(xs))

    avgpool("avg_k2", (2, 3, 6, 6), kernel_size=2)
    avgpool("avg_pad", (1, 2, 7, 6), kernel_size=3, stride=2, padding=1)
    avgpool("avg_pad_excl", (1, 2, 7, 6), kernel_size=3, stride=2, padding=1,
            count_include_pad=False)
    avgpool("avg_ceil", (1, 2, 7, 7), kernel_size=3, stride=2, padding=1,
            ceil_mode=True)
    avgpool("avg_ceil_excl", (1, 2, 8, 7), kernel_size=(3, 2), stride=(2, 3),
            padding=(1, 1), ceil_mode=True, count_include_pad=False)

    # --- matrix products ----------------------------------------------------
    def prod(name, sa, sb, fn=torch.matmul):
        run(name, lambda a, b: fn(a, b), a=arr(sa), b=arr(sb))

    prod("mm", (5, 7), (7, 3), torch.mm)
    prod("bmm", (3, 4, 5), (3, 5, 2), torch.bmm)
    prod("matmul_dot", (6,), (6,))
    prod("matmul_mv", (4, 6), (6,))
    prod("matmul_vm", (6,), (6, 3))
    prod("matmul_3d_2d", (2, 3, 4), (4, 5))
    prod("matmul_2d_3d", (3, 4), (2, 4, 5))
    prod("matmul_1d_3d", (4,), (2, 4, 5))
    prod("matmul_3d_1d", (2, 3, 4), (4,))
    prod("matmul_bcast", (2, 1, 3, 4), (3, 4, 5))
    prod("matmul_bcast2", (1, 3, 4), (2, 1, 4, 2))
    return w.count
