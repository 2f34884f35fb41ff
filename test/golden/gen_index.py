"""Goldens for the shape and index families (test/unit/{shape,index}_test.cpp).

cat/stack (mixed dtypes, negative dims, transposed inputs), gather,
scatter_add (duplicate indices), index_select, advanced indexing
(x[idx], masks, separated index tensors, None/Ellipsis combos), index_put_
(with and without accumulate) and one_hot. Inputs are seeded numpy arrays
saved beside the torch results; the C++ tests load both.
"""
import numpy as np
import torch
import torch.nn.functional as F

from golden_util import Writer, rng


def generate(out):
    w = Writer(out)
    r = rng(7)
    T = torch.from_numpy

    def f32(*shape):
        return r.standard_normal(shape).astype(np.float32)

    # --- cat / stack ---------------------------------------------------------
    a = f32(2, 3)
    bt = f32(4, 2)  # used transposed: b = bt.T, shape [2, 4], non-contiguous
    ci = r.integers(-5, 5, (1, 3)).astype(np.int64)
    cd = r.standard_normal((3, 3)).astype(np.float64)
    c32 = r.integers(-5, 5, (2, 2)).astype(np.int32)
    cb = r.integers(0, 2, (2, 1)).astype(np.bool_)
    w.save("cat_a", a)
    w.save("cat_bt", bt)
    w.save("cat_i64", ci)
    w.save("cat_f64", cd)
    w.save("cat_i32", c32)
    w.save("cat_bool", cb)
    ta, tb = T(a), T(bt).t()
    w.save("cat_dim1", torch.cat([ta, tb], 1))
    w.save("cat_negdim", torch.cat([tb, ta, tb], -1))
    w.save("cat_mixed", torch.cat([ta, T(ci), T(cd)], 0))  # -> float64
    w.save("cat_int_bool", torch.cat([T(c32), T(cb)], 1))  # -> int32
    w.save("cat_legacy_empty", torch.cat([ta, torch.empty(0, dtype=torch.float64), ta], 0))
    w.save("stack_dim0", torch.stack([ta, ta * 2], 0))
    w.save("stack_dim1", torch.stack([ta, ta * 2, ta * 3], 1))
    w.save("stack_negdim", torch.stack([tb, tb], -1))
    w.save("stack_int_float", torch.stack([T(c32[:, :1].copy()), T(a[:, :1].copy())], 0))

    # --- gather / scatter_add / index_select -----------------------------------
    x = f32(3, 4)
    w.save("g_x", x)
    g_i1 = r.integers(0, 4, (3, 2)).astype(np.int64)
    g_i0 = r.integers(0, 3, (2, 4)).astype(np.int64)
    g_ibig = r.integers(0, 3, (5, 3)).astype(np.int64)  # dim0 larger than x's
    w.save("g_i1", g_i1)
    w.save("g_i0", g_i0)
    w.save("g_ibig", g_ibig)
    tx = T(x)
    w.save("gather_dim1", torch.gather(tx, 1, T(g_i1)))
    w.save("gather_dim0", torch.gather(tx, -2, T(g_i0)))
    w.save("gather_big", torch.gather(tx, 0, T(g_ibig)))
    w.save("gather_t", torch.gather(tx.t(), 1, T(g_i1[:, :2].copy()) % 3))
    s_idx = np.array([[0, 1, 2, 0], [2, 2, 0, 0]], dtype=np.int64)  # duplicates
    s_src = f32(3, 5)
    w.save("s_idx", s_idx)
    w.save("s_src", s_src)
    w.save("scatter_add_dim0", torch.scatter_add(tx, 0, T(s_idx), T(s_src)))
    s_idx1 = np.array([[3, 3, 0], [1, 1, 1]], dtype=np.int64)
    w.save("s_idx1", s_idx1)
    w.save("scatter_add_dim1", torch.scatter_add(tx, 1, T(s_idx1), T(s_src)))
    si = f32(4, 3, 5)
    w.save("is_x", si)
    ts = T(si)
    w.save("index_select_dim1", torch.index_select(ts, 1, torch.tensor([2, 0, 2])))
    w.save("index_select_neg", torch.index_select(ts, -1, torch.tensor([4, 1], dtype=torch.int32)))
    w.save("index_select_t", torch.index_select(ts.transpose(0, 2), 0, torch.tensor([3, 3, 0, 1])))
    si_int = r.integers(-100, 100, (3, 4)).astype(np.int64)
    w.save("is_int", si_int)
    w.save("index_select_int", torch.index_select(T(si_int), 0, torch.tensor([1, 1, 0])))

    # --- advanced indexing -----------------------------------------------------
    ax = f32(4, 5, 6)
    w.save("ax", ax)
    t = T(ax)
    idx1 = np.array([0, 2, -1], dtype=np.int64)
    idx2 = np.array([[1, 4], [0, -2]], dtype=np.int64)
    idxa = np.array([[0], [3]], dtype=np.int64)  # (2, 1)
    idxb = np.array([5, 0, 2], dtype=np.int64)   # (3,)
    mask45 = r.integers(0, 2, (4, 5)).astype(np.bool_)
    mask56 = r.integers(0, 2, (5, 6)).astype(np.bool_)
    mask6 = np.array([True, False, True, True, False, False])
    for n, v in [("idx1", idx1), ("idx2", idx2), ("idxa", idxa), ("idxb", idxb),
                 ("mask45", mask45), ("mask56", mask56), ("mask6", mask6)]:
        w.save(n, v)
    i1, i2, ia, ib = T(idx1), T(idx2), T(idxa), T(idxb)
    m45, m56, m6 = T(mask45), T(mask56), T(mask6)
    w.save("adv_idx1", t[i1])
    w.save("adv_slice_idx2", t[:, i2])
    w.save("adv_adjacent", t[:, ia, ib])               # (4, 2, 3)
    w.save("adv_separated", t[ia, :, ib])              # (2, 3, 5): index dims first
    w.save("adv_separated_none", t[ia, 1:4, ib])       # (2, 3, 3)
    w.save("adv_mask45", t[m45])                       # (n, 6)
    w.save("adv_slice_mask56", t[1:3, m56])            # (2, n)
    w.save("adv_none_ellipsis", t[None, ..., i1 % 6])  # (1, 4, 5, 3)
    w.save("adv_int_idx", t[0, i2])                    # (2, 2, 6)
    w.save("adv_idx_int", t[i1, 0])                    # (3, 6)
    w.save("adv_idx_slice_int", t[i1, :, 0])           # (3, 5)
    w.save("adv_step_mask6", t[::2, 1, m6])            # (2, 3)
    w.save("adv_transposed", t.transpose(0, 2)[i2, 1:])  # (2, 2, 4, 4)
    w.save("adv_ellipsis_mask", t[..., m6])            # (4, 5, 3)
    w.save("basic_combo", t[1:3, None, -1, ::2])       # view (2, 1, 3)

    # --- index_put_ -------------------------------------------------------------
    base = f32(5, 4)
    w.save("p_base", base)
    pv = f32(3, 4)
    w.save("p_v", pv)
    dup = np.array([0, 2, 0], dtype=np.int64)
    w.save("p_dup", dup)
    y = T(base).clone()
    y.index_put_((T(dup),), T(pv), accumulate=True)
    w.save("put_accumulate", y)
    nodup = np.array([4, 1, -5], dtype=np.int64)
    w.save("p_nodup", nodup)
    y = T(base).clone()
    y[T(nodup)] = T(pv)
    w.save("put_plain", y)
    pmask = base > 0
    w.save("p_mask", pmask)
    y = T(base).clone()
    y[T(pmask)] = 2.5
    w.save("put_mask_scalar", y)
    y = T(base).clone()
    y[1:3, T(np.array([3, 0], dtype=np.int64))] = T(np.array([[7.0, 8.0]], dtype=np.float32))
    w.save("put_slice_idx", y)
    y = T(base).clone()
    y[:, 1] = T(np.arange(5, dtype=np.float32))
    w.save("put_basic_col", y)
    y = T(base).clone()
    y.index_put_((T(idxa[:, 0].copy()), T(np.array([1, 1], dtype=np.int64))),
                 torch.tensor(1.5), accumulate=True)
    w.save("put_two_idx_acc", y)
    yi = torch.zeros(6, dtype=torch.int64)
    yi.index_put_((torch.tensor([1, 1, 1, 5]),), torch.tensor([1, 2, 3, 4]), accumulate=True)
    w.save("put_int_acc", yi)

    # --- one_hot ------------------------------------------------------------------
    oh = np.array([[0, 2], [3, 1], [1, 1]], dtype=np.int64)
    w.save("oh_x", oh)
    w.save("one_hot_infer", F.one_hot(T(oh)))
    w.save("one_hot_5", F.one_hot(T(oh), 5))
    return w.count
