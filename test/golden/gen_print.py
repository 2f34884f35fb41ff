"""Goldens for tensor printing: torch 1.13's repr() of small tensors.

For each case writes print/<name>.npy (the input, before the view transform)
and print/<name>.txt (repr of torch.from_numpy(input) after the transform,
under the case's print options), plus print/cases.txt, one case a line:
    name transform precision threshold edgeitems linewidth sci_mode default_dtype
test/unit/print_test.cpp reads cases.txt, rebuilds each tensor the same way
and compares ember::to_string with the .txt ("torch." read as "ember.").
"""
import numpy as np
import torch

from golden_util import Writer, rng

# name -> (array, transform, options); options override DEFAULT.
DEFAULT = dict(precision=4, threshold=1000, edgeitems=3, linewidth=80,
               sci_mode=None, default_dtype="float32")


def transform(x, how):
    if how == "none":
        return x
    if how == "t":
        return x.t()
    if how == "step":
        return x[..., ::2]
    if how == "permute":
        return x.permute(2, 0, 1)
    if how == "select":
        return x.select(1, 1)
    if how == "expand3":
        return x.expand(3, x.shape[1])
    if how == "flip_slice":  # a strided slice with an offset
        return x[1:, 1::3]
    raise ValueError(how)


def cases():
    r = rng(0)
    f32, f64 = np.float32, np.float64
    nan, inf = float("nan"), float("inf")
    c = {}

    def add(name, arr, how="none", **opts):
        c[name] = (np.asarray(arr), how, {**DEFAULT, **opts})

    # Float formatting modes.
    add("fixed", np.array([1.5, 2.25, -3.125], f32))
    add("fixed_rounding", np.array([0.1, 0.123456, 2.00005, 1 / 3], f32))
    add("int_mode", np.array([1.0, 2.0, -3.0], f32))
    add("int_mode_widths", np.array([1.0, 10.0, -100.0], f32))
    add("sci_ratio", np.array([1e-5, 1e3], f32))
    add("sci_small", np.array([1e-5, 2e-5, 3.5e-5], f32))
    add("sci_big", np.array([1.5e9, 2.0], f32))
    add("sci_int_mode_ratio", np.array([1e8, 1.0], f32))
    add("int_mode_1e8", np.array([1e8, 1e6], f64))
    add("sci_int_mode_big", np.array([2e8, 3e8], f32))
    add("fixed_large", np.array([12345.678, 100.5], f32))
    add("nan_inf", np.array([nan, inf, -inf, 1.5], f32))
    add("nan_inf_int_mode", np.array([nan, inf, -inf, 2.0], f32))
    add("nan_inf_sci", np.array([nan, -inf, 1e-7, 1.0], f32))
    add("all_nan", np.array([nan, nan], f32))
    add("only_inf", np.array([inf, -inf, 0.0], f32))
    add("zeros", np.zeros(4, f32))
    add("neg_zero_fixed", np.array([-0.0, 1.5], f32))
    add("neg_zero_int", np.array([-0.0, 2.0], f32))
    add("neg_zero_only", np.array([-0.0, 0.0], f32))
    add("neg_zero_sci", np.array([-0.0, 1e-6], f32))
    add("randn_f32", r.standard_normal(7).astype(f32))
    add("randn_f64", r.standard_normal(7).astype(f64))

    # Integer and bool tensors; dtype suffixes.
    add("float64", np.array([1.5, 2.0], f64))
    add("int64", np.array([-100, 5, 20], np.int64))
    add("int64_extremes", np.array([np.iinfo(np.int64).min, np.iinfo(np.int64).max], np.int64))
    add("int32", np.array([1, -2, 30], np.int32))
    add("uint8", np.array([0, 7, 255], np.uint8))
    add("bool", np.array([True, False, True], np.bool_))
    add("bool_2d", np.array([[True, False], [False, False]], np.bool_))
    add("uint8_2d", r.integers(0, 256, (3, 4)).astype(np.uint8))

    # 0-dim.
    add("scalar_f32", np.array(3.5, f32))
    add("scalar_int_mode", np.array(3.0, f32))
    add("scalar_f64", np.array(-2.25, f64))
    add("scalar_int64", np.array(7, np.int64))
    add("scalar_int32", np.array(-7, np.int32))
    add("scalar_bool", np.array(True, np.bool_))
    add("scalar_nan", np.array(nan, f32))
    add("scalar_sci", np.array(1e-7, f32))

    # Empty tensors.
    add("empty_f32", np.zeros(0, f32))
    add("empty_2d", np.zeros((0, 3), f32))
    add("empty_int64", np.zeros(0, np.int64))
    add("empty_bool", np.zeros(0, np.bool_))
    add("empty_f64_2d", np.zeros((2, 0), f64))
    add("empty_3d_int32", np.zeros((2, 0, 1), np.int32))

    # Nesting and wrapping.
    add("mat_f32", r.standard_normal((3, 4)).astype(f32))
    add("mat_int64", r.integers(-50, 50, (3, 5)))
    add("cube_f32", r.standard_normal((2, 3, 4)).astype(f32))
    add("four_d", r.standard_normal((2, 2, 2, 3)).astype(f32))
    add("wrap_f32", r.standard_normal(30).astype(f32))
    add("wrap_int64", np.arange(100, dtype=np.int64))
    add("wrap_f64_suffix", r.standard_normal(20).astype(f64))
    add("wrap_mat", (r.standard_normal((2, 25)) * 100).astype(f32))
    add("suffix_newline", (r.standard_normal((2, 7)) * 10).astype(f64))
    add("suffix_fits", np.array([[1.5, 2.5], [3.5, 4.5]], f64))
    add("wrap_bool", np.resize(np.array([True, False, False]), 40))
    add("sci_mat", (r.standard_normal((3, 3)) * 1e5).astype(f32))

    # Summarisation (> 1000 elements).
    add("summ_1d_int", np.arange(1001, dtype=np.int64) * 3 - 1000)
    add("summ_1d_f32", r.standard_normal(1001).astype(f32))
    add("summ_2d", r.standard_normal((40, 30)).astype(f32))
    add("summ_3d", r.standard_normal((11, 11, 11)).astype(f32))
    add("summ_2d_short_rows", r.standard_normal((260, 4)).astype(f32))
    big = r.standard_normal(1100).astype(f32)
    big[500] = 1e10  # hidden by the summary: does not change the format
    big[1] = nan
    add("summ_hidden_value", big)
    add("summ_exactly_1000", np.arange(1000, dtype=np.int32))
    add("summ_int32_mat", r.integers(-9, 9, (30, 40)).astype(np.int32))

    # Non-contiguous inputs (transform applied after loading).
    add("nc_transpose", r.standard_normal((3, 4)).astype(f32), "t")
    add("nc_step", r.standard_normal((3, 6)).astype(f32), "step")
    add("nc_permute", r.standard_normal((2, 3, 4)).astype(f32), "permute")
    add("nc_select", r.standard_normal((4, 3)).astype(f64), "select")
    add("nc_expand", np.array([[1.0, 2.5, -3.0, 4.0]], f32), "expand3")
    add("nc_int_transpose", r.integers(-1000, 1000, (4, 5)), "t")
    add("nc_offset_slice", r.standard_normal((4, 9)).astype(f32), "flip_slice")
    add("nc_summ_transpose", r.standard_normal((30, 50)).astype(f32), "t")

    # Print options.
    add("opt_precision2", np.array([1.12345, -2.5], f32), precision=2)
    add("opt_precision6", np.array([1.12345, 1e-3], f64), precision=6)
    add("opt_precision0", np.array([1.6, 2.4], f32), precision=0)
    add("opt_threshold5", np.arange(10, dtype=np.int64), threshold=5)
    add("opt_edge2", r.standard_normal((6, 7)).astype(f32), threshold=10, edgeitems=2)
    add("opt_edge1_3d", np.arange(64, dtype=np.int64).reshape(4, 4, 4), threshold=8, edgeitems=1)
    add("opt_linewidth40", r.standard_normal(12).astype(f32), linewidth=40)
    add("opt_linewidth10", np.array([123456.5, 2.0, 3.0], f32), linewidth=10)
    add("opt_linewidth_suffix", np.array([1.5, 2.5, 3.5, 4.5], f64), linewidth=30)
    add("opt_sci_on", np.array([1.5, 20.25], f32), sci_mode=True)
    add("opt_sci_off", np.array([1e-6, 1e3], f32), sci_mode=False)
    add("opt_sci_on_int", np.array([1.0, 2.0], f32), sci_mode=True)
    add("opt_default_f64_f32", np.array([1.5, 2.5], f32), default_dtype="float64")
    add("opt_default_f64_f64", np.array([1.5, 2.5], f64), default_dtype="float64")
    add("opt_default_f64_empty", np.zeros(0, f32), default_dtype="float64")
    add("opt_default_f64_empty64", np.zeros(0, f64), default_dtype="float64")
    return c


def generate(out):
    w = Writer(out)
    lines = []
    for name, (arr, how, o) in cases().items():
        if arr.ndim == 0:
            # Writer.save's np.ascontiguousarray turns 0-d arrays into 1-d.
            np.save(out / f"{name}.npy", arr)
            w.count += 1
        else:
            w.save(name, arr)
        torch.set_printoptions(precision=o["precision"], threshold=o["threshold"],
                               edgeitems=o["edgeitems"], linewidth=o["linewidth"],
                               sci_mode=o["sci_mode"])
        torch.set_default_dtype(getattr(torch, o["default_dtype"]))
        try:
            text = repr(transform(torch.from_numpy(arr), how))
        finally:
            torch.set_printoptions(profile="default")
            torch.set_default_dtype(torch.float32)
        (out / f"{name}.txt").write_text(text)
        sci = {None: "none", True: "true", False: "false"}[o["sci_mode"]]
        lines.append(f"{name} {how} {o['precision']} {o['threshold']} {o['edgeitems']} "
                     f"{o['linewidth']} {sci} {o['default_dtype']}")
    (out / "cases.txt").write_text("\n".join(lines) + "\n")
    return w.count
