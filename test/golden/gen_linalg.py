"""Goldens for mm/bmm/matmul, conv2d, max_pool2d and avg_pool2d (topic linalg).

Each case saves its inputs as <case>_a, <case>_b (, <case>_bias) and the
PyTorch result as <case>_out. Where a case name says "t" or "slice", the C++
test applies the same view (transpose/slice) before calling ember.
"""
import numpy as np
import torch
import torch.nn.functional as F

from golden_util import Writer, rng


def generate(out):
    w = Writer(out)
    r = rng(7)

    def arr(shape, dtype=np.float32):
        if np.issubdtype(dtype, np.integer):
            return r.integers(-5, 6, size=shape).astype(dtype)
        return r.standard_normal(shape).astype(dtype)

    def save(name, out_t, **ins):
        for k, v in ins.items():
            w.save(f"{name}_{k}", v)
        w.save(f"{name}_out", out_t)

    T = torch.from_numpy

    # --- matmul family ------------------------------------------------------
    def mm_case(name, sa, sb, dtype=np.float32, fn=torch.matmul):
        a, b = arr(sa, dtype), arr(sb, dtype)
        save(name, fn(T(a), T(b)), a=a, b=b)

    mm_case("mm_f32", (5, 7), (7, 3), fn=torch.mm)
    mm_case("mm_f64", (5, 7), (7, 3), np.float64, fn=torch.mm)
    mm_case("mm_i64", (5, 7), (7, 3), np.int64, fn=torch.mm)
    mm_case("mm_i32", (4, 6), (6, 2), np.int32, fn=torch.mm)
    mm_case("mm_big", (33, 65), (65, 17), fn=torch.mm)
    mm_case("bmm_f32", (3, 4, 5), (3, 5, 2), fn=torch.bmm)
    mm_case("bmm_i64", (3, 4, 5), (3, 5, 2), np.int64, fn=torch.bmm)
    # Transposed operands: stored as the un-transposed arrays.
    a, b = arr((7, 5)), arr((3, 7))
    save("mm_tt", T(a).t() @ T(b).t(), a=a, b=b)
    a, b = arr((7, 5), np.float64), arr((7, 3), np.float64)
    save("mm_ta", T(a).t() @ T(b), a=a, b=b)
    # Slices with no unit stride in either dimension (a[::2, ::2]).
    a, b = arr((10, 14)), arr((7, 4))
    save("mm_slice", T(a)[::2, ::2] @ T(b), a=a, b=b)
    # bmm over transposed batches: a.transpose(1, 2).
    a, b = arr((3, 5, 4)), arr((3, 5, 2))
    save("bmm_t", torch.bmm(T(a).transpose(1, 2), T(b)), a=a, b=b)

    mm_case("matmul_dot", (6,), (6,))
    mm_case("matmul_mv", (4, 6), (6,))
    mm_case("matmul_vm", (6,), (6, 3))
    mm_case("matmul_3d_2d", (2, 3, 4), (4, 5))
    mm_case("matmul_3d_1d", (2, 3, 4), (4,))
    mm_case("matmul_1d_3d", (4,), (2, 4, 5))
    mm_case("matmul_2d_3d", (3, 4), (2, 4, 5))
    mm_case("matmul_bcast", (2, 1, 3, 4), (5, 4, 2))
    mm_case("matmul_bcast2", (1, 3, 4), (2, 1, 4, 5))
    mm_case("matmul_4d", (2, 3, 2, 4), (2, 3, 4, 3), np.float64)
    mm_case("matmul_i64", (2, 3, 4), (4, 2), np.int64)
    mm_case("matmul_i64_dot", (5,), (5,), np.int64)
    # Transposed inner matrices with broadcasting: a.transpose(-1, -2).
    a, b = arr((2, 4, 3)), arr((4, 5))
    save("matmul_t_3d", torch.matmul(T(a).transpose(-1, -2), T(b)), a=a, b=b)
    a, b = arr((3, 4)), arr((2, 5, 4))
    save("matmul_2d_t3d", torch.matmul(T(a), T(b).transpose(-1, -2)), a=a, b=b)

    # --- conv2d -------------------------------------------------------------
    def conv_case(name, sx, sw, bias=True, dtype=np.float32, **kw):
        x, wt = arr(sx, dtype), arr(sw, dtype)
        bs = arr((sw[0],), dtype) if bias else None
        y = F.conv2d(T(x), T(wt), None if bs is None else T(bs), **kw)
        ins = dict(a=x, b=wt)
        if bs is not None:
            ins["bias"] = bs
        save(name, y, **ins)

    conv_case("conv_basic", (2, 3, 7, 7), (4, 3, 3, 3))
    conv_case("conv_nobias", (2, 3, 7, 7), (4, 3, 3, 3), bias=False)
    conv_case("conv_stride_pad", (2, 3, 8, 7), (4, 3, 3, 3), stride=2, padding=1)
    conv_case("conv_dilation", (1, 2, 9, 9), (3, 2, 3, 3), padding=2, dilation=2)
    conv_case("conv_groups", (2, 4, 6, 6), (6, 2, 3, 3), groups=2, padding=1)
    conv_case("conv_depthwise", (2, 3, 6, 5), (3, 1, 3, 3), groups=3, stride=(1, 2))
    conv_case("conv_rect", (2, 3, 7, 8), (4, 3, 2, 3), stride=(2, 1),
              padding=(1, 0), dilation=(1, 2))
    conv_case("conv_unbatched", (3, 6, 6), (4, 3, 3, 3), padding=1)
    conv_case("conv_1x1", (2, 5, 4, 4), (3, 5, 1, 1))
    conv_case("conv_1x1_stride", (2, 5, 5, 5), (3, 5, 1, 1), bias=False, stride=2)
    conv_case("conv_f64", (2, 3, 6, 6), (4, 3, 3, 3), dtype=np.float64, padding=1)
    conv_case("conv_i64", (2, 3, 5, 5), (4, 3, 2, 2), dtype=np.int64, stride=2,
              padding=1)
    conv_case("conv_big_pad", (1, 2, 3, 3), (2, 2, 3, 3), padding=3, stride=2)

    # --- pooling ------------------------------------------------------------
    def pool_case(name, fn, sx, dtype=np.float32, **kw):
        x = arr(sx, dtype) if dtype != np.int64 else r.integers(
            -50, 50, size=sx).astype(np.int64)
        save(name, fn(T(x), **kw), a=x)

    mp, ap = F.max_pool2d, F.avg_pool2d
    pool_case("max_k2", mp, (2, 3, 6, 6), kernel_size=2)
    pool_case("max_k3s2p1", mp, (2, 2, 7, 6), kernel_size=3, stride=2, padding=1)
    pool_case("max_ceil", mp, (1, 2, 7, 7), kernel_size=2, stride=2, ceil_mode=True)
    pool_case("max_ceil_pad", mp, (1, 2, 6, 5), kernel_size=3, stride=2, padding=1,
              ceil_mode=True)
    pool_case("max_dilation", mp, (1, 2, 9, 8), kernel_size=(3, 2), stride=(2, 1),
              padding=(1, 1), dilation=(2, 3))
    pool_case("max_3d", mp, (3, 5, 5), kernel_size=2, stride=1)
    pool_case("max_f64", mp, (2, 2, 5, 5), np.float64, kernel_size=3, stride=2)
    pool_case("avg_k2", ap, (2, 3, 6, 6), kernel_size=2)
    pool_case("avg_pad_incl", ap, (2, 2, 7, 6), kernel_size=3, stride=2, padding=1)
    pool_case("avg_pad_excl", ap, (2, 2, 7, 6), kernel_size=3, stride=2, padding=1,
              count_include_pad=False)
    pool_case("avg_ceil", ap, (1, 2, 7, 7), kernel_size=3, stride=2, padding=1,
              ceil_mode=True)
    pool_case("avg_ceil_excl", ap, (1, 2, 6, 7), kernel_size=(2, 3), stride=(2, 2),
              padding=(1, 1), ceil_mode=True, count_include_pad=False)
    pool_case("avg_3d", ap, (3, 5, 4), kernel_size=2, stride=1)
    pool_case("avg_i64", ap, (1, 2, 5, 5), np.int64, kernel_size=3, stride=2,
              padding=1)
    return w.count
