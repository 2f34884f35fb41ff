"""Goldens for elementwise ops, broadcasting, type promotion and views.

Inputs are saved beside the outputs; the C++ test (test/unit/
elementwise_golden_test.cpp) recomputes each output with ember.
"""
import numpy as np
import torch

from golden_util import Writer, rng

UNARY = ["neg", "abs", "exp", "log", "log1p", "sqrt", "rsqrt", "sin", "cos",
         "tanh", "sigmoid", "relu", "sign", "floor", "ceil", "round"]
BINARY = ["add", "sub", "mul", "div", "pow", "maximum", "minimum",
          "eq", "ne", "lt", "le", "gt", "ge",
          "logical_and", "logical_or", "logical_xor"]


def generate(out):
    w = Writer(out)
    g = rng(1)
    a = g.standard_normal((3, 4)).astype(np.float32) * 2
    a[0, 0] = 2.5  # round half to even
    a[0, 1] = -0.5
    pos = (np.abs(a) + 0.1).astype(np.float32)
    b = g.standard_normal((4,)).astype(np.float32)
    c = g.standard_normal((3, 1)).astype(np.float32)
    ai = g.integers(-5, 6, size=(3, 4)).astype(np.int64)
    bi = g.integers(1, 4, size=(4,)).astype(np.int32)
    ab = g.integers(0, 2, size=(3, 4)).astype(np.bool_)
    au8 = g.integers(0, 255, size=(3, 4)).astype(np.uint8)
    ad = g.standard_normal((4, 3)).astype(np.float64)
    for name, v in [("a", a), ("pos", pos), ("b", b), ("c", c), ("ai", ai),
                    ("bi", bi), ("ab", ab), ("au8", au8), ("ad", ad)]:
        w.save("in_" + name, v)
    T = torch.from_numpy

    # Unary on float32, on a transposed (non-contiguous) float64 view, and
    # on int64 (float-only ops promote to float32).
    for op in UNARY:
        f = getattr(torch, op)
        src = pos if op in ("log", "sqrt", "rsqrt") else a
        w.save(f"unary_{op}_f32", f(T(src)))
        srcd = np.abs(ad) + 0.1 if op in ("log", "sqrt", "rsqrt") else ad
        w.save(f"unary_{op}_f64t", f(T(srcd).t()))
        if op not in ("log", "sqrt", "rsqrt", "log1p"):
            w.save(f"unary_{op}_i64", f(T(ai)))
    w.save("gelu_f32", torch.nn.functional.gelu(T(a)))
    w.save("gelu_tanh_f32", torch.nn.functional.gelu(T(a), approximate="tanh"))
    w.save("logical_not_i64", torch.logical_not(T(ai)))

    # Binary: broadcasting (3,4)x(4,), (3,1)x(4,), promotion f32 x i64,
    # i64 x i32, bool x u8, f64-transposed x f32.
    cases = {
        "bcast": (a, b),
        "outer": (c, b),
        "f32_i64": (a, ai),
        "i64_i32": (ai, bi),
        "u8_bool": (au8, ab),
        "f64t_f32": ("ad_t", a),
    }
    for op in BINARY:
        f = getattr(torch, op)
        for cname, (x, y) in cases.items():
            tx = T(ad).t() if isinstance(x, str) else T(x)
            ty = T(y)
            if op == "pow" and cname in ("f32_i64", "bcast", "outer", "f64t_f32"):
                tx = tx.abs() + 0.5 if tx.is_floating_point() else tx
            if op == "pow" and cname == "i64_i32":
                tx = tx.abs()
            if op == "sub" and cname == "u8_bool":
                continue
            w.save(f"binary_{op}_{cname}", f(tx, ty))

    # Scalars (wrapped numbers) and 0-dim tensors in promotion.
    w.save("scalar_i64_plus_float", T(ai) + 2.5)
    w.save("scalar_i64_plus_int", T(ai) + 3)
    w.save("scalar_f32_times_int", T(a) * 3)
    w.save("scalar_u8_plus_int", T(au8) + 7)
    w.save("scalar_bool_plus_int", T(ab) + 1)
    w.save("zerodim_i32_plus_f64", T(bi) + torch.tensor(1.5, dtype=torch.float64))
    w.save("zerodim_f32_plus_f64", T(a) + torch.tensor(1.5, dtype=torch.float64))
    w.save("zerodim_i32_plus_i64", T(bi) + torch.tensor(5, dtype=torch.int64))
    w.save("int_div_int", T(ai) / T(bi))
    w.save("rsub_scalar", 1.0 - T(a))
    w.save("add_alpha", torch.add(T(a), T(b), alpha=2))
    w.save("sub_alpha_int", torch.sub(T(ai), T(bi), alpha=3))

    # where / clamp / masked_fill.
    w.save("where", torch.where(T(ab), T(a), T(b)))
    w.save("where_promote", torch.where(T(ab), T(ai), T(a)))
    w.save("where_scalar", torch.where(T(a) > 0, T(a), 0.0))
    w.save("clamp_both", torch.clamp(T(a), -0.5, 0.5))
    w.save("clamp_min", torch.clamp(T(a), min=0.1))
    w.save("clamp_int_float", torch.clamp(T(ai), min=-1.5, max=2.5))
    w.save("clamp_inverted", torch.clamp(T(a), min=1.0, max=-1.0))
    w.save("masked_fill", T(a).masked_fill(T(ab), -1.0))
    w.save("masked_fill_bcast", T(a).masked_fill(T(b) > 0, 9.0))

    # In place with promotion into the destination type.
    x = T(a).clone()
    x.add_(T(ai))
    w.save("inplace_add_f32_i64", x)
    x = T(ai).clone()
    x.mul_(T(bi))
    w.save("inplace_mul_i64_i32", x)
    x = T(ad).t().clone()
    x.t().div_(2.0)
    w.save("inplace_div_view", x)

    # Views and copies.
    t = torch.arange(24, dtype=torch.float32).reshape(2, 3, 4)
    w.save("view_in", t)
    w.save("view_permute", t.permute(2, 0, 1).contiguous())
    w.save("view_transpose", t.transpose(0, 2).contiguous())
    w.save("view_narrow", t.narrow(2, 1, 2).contiguous())
    w.save("view_slice_step", t[:, ::2, 1::2].contiguous())
    w.save("view_select", t.select(1, -1).contiguous())
    w.save("view_expand", t[:, :1, :].expand(2, 3, 4).contiguous())
    w.save("view_flatten", t.flatten(1).contiguous())
    w.save("reshape_noncontig", t.transpose(0, 1).reshape(6, 4))
    w.save("squeeze_unsqueeze", t[:, :1].squeeze(1).unsqueeze(0).contiguous())

    # Casts (float -> int truncates toward zero; -> bool is != 0).
    w.save("cast_f32_i64", T(a).to(torch.int64))
    w.save("cast_f32_bool", T(a).to(torch.bool))
    w.save("cast_i64_u8", T(ai).to(torch.uint8))
    w.save("cast_f32_f64", T(a).to(torch.float64))

    # Factories.
    w.save("arange_int", torch.arange(5))
    w.save("arange_float", torch.arange(0.5, 3.0, 0.5))
    w.save("arange_neg", torch.arange(10, 0, -3))
    w.save("linspace", torch.linspace(-1, 1, 7))
    w.save("linspace_f64", torch.linspace(0, 1, 5, dtype=torch.float64))
    w.save("eye", torch.eye(3, 4))
    w.save("full_int", torch.full((2, 2), 7))
    w.save("full_float", torch.full((2, 2), 0.25))
    return w.count
