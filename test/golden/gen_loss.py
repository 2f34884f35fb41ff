"""Goldens for the loss functions (test/unit/loss_test.cpp).

Inputs are named sets of seeded numpy arrays, saved once each as
<set>_input, <set>_target (and <set>_weight, <set>_pos_weight when the set
has them). Every case applies one torch.nn.functional loss to one set and
saves the loss <case>_out and, after backward with the upstream gradient
<case>_gout (saved for reduction "none"; 1 for scalar losses), the input's
gradient <case>_grad (and a floating target's, <case>_tgrad, where the case
says so), and the same in float64 as <case>_out64, <case>_grad64 (inputs
widened exactly). The C++ test holds the same table of cases (names and sets must
match) and calls ember's loss with the same options.
"""
import numpy as np
import torch
import torch.nn.functional as F

from golden_util import Writer, rng


def f32(a):
    return torch.tensor(np.asarray(a, dtype=np.float32))


def i64(a):
    return torch.tensor(np.asarray(a, dtype=np.int64))


def generate(out):
    w = Writer(out)
    r = rng(11)
    sets = {}
    cases = []

    def named(name, **tensors):
        sets[name] = tensors
        return tensors

    def add(name, set_name, fn, tgrad=False, grad=True):
        cases.append((name, set_name, fn, tgrad, grad))

    # --- regression losses ---------------------------------------------------
    reg = named("reg", input=f32(r.standard_normal((3, 4)) * 1.5),
                target=f32(r.standard_normal((3, 4)) * 1.5))
    named("bcast", input=reg["input"], target=f32(r.standard_normal(4)))
    for red in ["none", "mean", "sum"]:
        add(f"mse_{red}", "reg", lambda x, t, d, red=red: F.mse_loss(
            x, t, reduction=red), tgrad=True)
        add(f"l1_{red}", "reg", lambda x, t, d, red=red: F.l1_loss(
            x, t, reduction=red), tgrad=True)
        add(f"smooth_l1_{red}", "reg", lambda x, t, d, red=red:
            F.smooth_l1_loss(x, t, reduction=red), tgrad=True)
    add("mse_bcast_mean", "bcast", lambda x, t, d: F.mse_loss(x, t),
        tgrad=True)
    add("smooth_l1_beta05_mean", "reg",
        lambda x, t, d: F.smooth_l1_loss(x, t, beta=0.5), tgrad=True)
    add("smooth_l1_beta0_sum", "reg",
        lambda x, t, d: F.smooth_l1_loss(x, t, beta=0.0, reduction="sum"))

    # --- nll_loss -----------------------------------------------------------
    weight5 = f32(r.uniform(0.2, 1.5, 5))
    weight3 = f32(r.uniform(0.2, 1.5, 3))
    logp = torch.log_softmax(f32(r.standard_normal((4, 5))), 1)
    named("nll", input=logp, target=i64([0, 3, 4, 1]))
    named("nll_w", input=logp, target=i64([0, 3, 4, 1]), weight=weight5)
    named("nll_ig", input=logp, target=i64([0, -100, 4, -100]))
    named("nll_ig_w", input=logp, target=i64([0, -100, 4, -100]),
          weight=weight5)
    named("nll_igc", input=logp, target=i64([0, 1, 4, 1]), weight=weight5)
    named("nll_all", input=logp, target=i64([-100] * 4))
    named("nll_all_w", input=logp, target=i64([-100] * 4), weight=weight5)
    spatial_t = i64(r.integers(0, 3, (2, 2, 3)))
    spatial_t[0, 1, 2] = -100
    spatial_t[1, 0, 0] = -100
    named("nll_sp", input=torch.log_softmax(
        f32(r.standard_normal((2, 3, 2, 3))), 1), target=spatial_t,
        weight=weight3)
    named("nll_3d", input=f32(r.standard_normal((2, 3, 4))),
          target=i64(r.integers(0, 3, (2, 4))))
    named("nll_ub", input=f32(r.standard_normal(5)), target=i64(3))
    for red in ["none", "mean", "sum"]:
        add(f"nll_{red}", "nll", lambda x, t, d, red=red: F.nll_loss(
            x, t, reduction=red))
        add(f"nll_weight_{red}", "nll_w", lambda x, t, d, red=red:
            F.nll_loss(x, t, weight=d["weight"], reduction=red))
        add(f"nll_weight_ignore_{red}", "nll_ig_w", lambda x, t, d, red=red:
            F.nll_loss(x, t, weight=d["weight"], reduction=red))
        add(f"nll_spatial_{red}", "nll_sp", lambda x, t, d, red=red:
            F.nll_loss(x, t, weight=d["weight"], reduction=red))
    add("nll_ignore_mean", "nll_ig", lambda x, t, d: F.nll_loss(x, t))
    add("nll_ignore_class_mean", "nll_igc", lambda x, t, d: F.nll_loss(
        x, t, weight=d["weight"], ignore_index=1))
    add("nll_all_ignored_mean", "nll_all", lambda x, t, d: F.nll_loss(x, t))
    add("nll_all_ignored_sum", "nll_all",
        lambda x, t, d: F.nll_loss(x, t, reduction="sum"))
    add("nll_all_ignored_weight_mean", "nll_all_w",
        lambda x, t, d: F.nll_loss(x, t, weight=d["weight"]))
    add("nll_3d_mean", "nll_3d", lambda x, t, d: F.nll_loss(x, t))
    add("nll_unbatched_none", "nll_ub",
        lambda x, t, d: F.nll_loss(x, t, reduction="none"))
    add("nll_unbatched_mean", "nll_ub", lambda x, t, d: F.nll_loss(x, t))

    # --- cross_entropy ------------------------------------------------------
    logits = f32(r.standard_normal((4, 5)) * 2)
    named("ce", input=logits, target=i64([2, 0, 4, 4]))
    named("ce_w", input=logits, target=i64([2, 0, 4, 4]), weight=weight5)
    named("ce_ig", input=logits, target=i64([2, -100, 4, 1]))
    named("ce_ig_w", input=logits, target=i64([2, -100, 4, 1]),
          weight=weight5)
    probs = torch.softmax(f32(r.standard_normal((4, 5))), 1)
    named("ce_p", input=logits, target=probs)
    named("ce_p_w", input=logits, target=probs, weight=weight5)
    sp_logits = f32(r.standard_normal((2, 3, 2, 3)) * 2)
    named("ce_sp", input=sp_logits, target=spatial_t)
    named("ce_sp_w", input=sp_logits, target=spatial_t, weight=weight3)
    named("ce_sp_p", input=sp_logits, target=torch.softmax(
        f32(r.standard_normal((2, 3, 2, 3))), 1))
    named("ce_3d", input=f32(r.standard_normal((2, 3, 4))),
          target=i64(r.integers(0, 3, (2, 4))))
    ub = f32(r.standard_normal(5))
    named("ce_ub", input=ub, target=i64(1))
    named("ce_ub_p", input=ub, target=torch.softmax(
        f32(r.standard_normal(5)), 0))
    named("ce_all", input=logits, target=i64([-100] * 4))
    for red in ["none", "mean", "sum"]:
        add(f"ce_{red}", "ce", lambda x, t, d, red=red: F.cross_entropy(
            x, t, reduction=red))
        add(f"ce_weight_{red}", "ce_w", lambda x, t, d, red=red:
            F.cross_entropy(x, t, weight=d["weight"], reduction=red))
        add(f"ce_weight_ignore_{red}", "ce_ig_w", lambda x, t, d, red=red:
            F.cross_entropy(x, t, weight=d["weight"], reduction=red))
        add(f"ce_ls_{red}", "ce", lambda x, t, d, red=red: F.cross_entropy(
            x, t, label_smoothing=0.1, reduction=red))
        add(f"ce_ls_weight_ignore_{red}", "ce_ig_w", lambda x, t, d, red=red:
            F.cross_entropy(x, t, weight=d["weight"], label_smoothing=0.2,
                            reduction=red))
        add(f"ce_prob_{red}", "ce_p", lambda x, t, d, red=red:
            F.cross_entropy(x, t, reduction=red), tgrad=True)
        add(f"ce_prob_weight_ls_{red}", "ce_p_w", lambda x, t, d, red=red:
            F.cross_entropy(x, t, weight=d["weight"], label_smoothing=0.3,
                            reduction=red), tgrad=True)
        add(f"ce_spatial_{red}", "ce_sp", lambda x, t, d, red=red:
            F.cross_entropy(x, t, reduction=red))
        add(f"ce_spatial_weight_ls_{red}", "ce_sp_w", lambda x, t, d, red=red:
            F.cross_entropy(x, t, weight=d["weight"], label_smoothing=0.1,
                            reduction=red))
        add(f"ce_prob_spatial_{red}", "ce_sp_p", lambda x, t, d, red=red:
            F.cross_entropy(x, t, reduction=red), tgrad=True)
    add("ce_ignore_mean", "ce_ig", lambda x, t, d: F.cross_entropy(x, t))
    add("ce_ignore_class_ls_mean", "ce", lambda x, t, d: F.cross_entropy(
        x, t, ignore_index=4, label_smoothing=0.1))
    add("ce_prob_weight_mean", "ce_p_w", lambda x, t, d: F.cross_entropy(
        x, t, weight=d["weight"]), tgrad=True)
    add("ce_3d_mean", "ce_3d", lambda x, t, d: F.cross_entropy(x, t))
    add("ce_3d_ls_none", "ce_3d", lambda x, t, d: F.cross_entropy(
        x, t, label_smoothing=0.1, reduction="none"))
    add("ce_unbatched_mean", "ce_ub", lambda x, t, d: F.cross_entropy(x, t))
    add("ce_unbatched_ls_none", "ce_ub", lambda x, t, d: F.cross_entropy(
        x, t, label_smoothing=0.1, reduction="none"))
    add("ce_prob_unbatched_mean", "ce_ub_p",
        lambda x, t, d: F.cross_entropy(x, t), tgrad=True)
    add("ce_all_ignored_mean", "ce_all",
        lambda x, t, d: F.cross_entropy(x, t))
    add("ce_all_ignored_ls_mean", "ce_all", lambda x, t, d: F.cross_entropy(
        x, t, label_smoothing=0.1))

    # --- binary cross entropy -----------------------------------------------
    bce = named("bce", input=f32(r.uniform(0.05, 0.95, (3, 4))),
                target=f32(r.uniform(0, 1, (3, 4))))
    named("bce_w", input=bce["input"], target=bce["target"],
          weight=f32(r.uniform(0, 2, 4)))
    named("bce_w2", input=bce["input"], target=bce["target"],
          weight=f32(r.uniform(0, 2, (3, 4))))
    named("bce_edge", input=f32([0.0, 1.0, 0.0, 1.0, 1e-30, 0.5]),
          target=f32([1.0, 0.0, 0.0, 1.0, 1.0, 0.25]))
    for red in ["none", "mean", "sum"]:
        add(f"bce_{red}", "bce", lambda x, t, d, red=red:
            F.binary_cross_entropy(x, t, reduction=red), tgrad=True)
    add("bce_weight_mean", "bce_w", lambda x, t, d: F.binary_cross_entropy(
        x, t, weight=d["weight"]), tgrad=True)
    add("bce_weight_none", "bce_w2", lambda x, t, d: F.binary_cross_entropy(
        x, t, weight=d["weight"], reduction="none"))
    # log(0) clamps to -100; PyTorch's gradient there is +-1e12 (ember's is
    # finite; not compared).
    add("bce_edge_none", "bce_edge", lambda x, t, d: F.binary_cross_entropy(
        x, t, reduction="none"), grad=False)

    bcel = named("bcel", input=f32(r.standard_normal((3, 4)) * 3),
                 target=f32(r.uniform(0, 1, (3, 4))))
    w4 = f32(r.uniform(0, 2, 4))
    pw4 = f32(r.uniform(0.5, 3, 4))
    named("bcel_w", weight=w4, **bcel)
    named("bcel_pw", pos_weight=pw4, **bcel)
    named("bcel_both", weight=w4, pos_weight=pw4, **bcel)
    named("bcel_ext",
          input=f32([-200.0, -60.0, -20.0, 0.0, 20.0, 60.0, 200.0]),
          target=f32([0.0, 1.0, 0.5, 1.0, 0.0, 1.0, 0.3]))
    for red in ["none", "mean", "sum"]:
        add(f"bcel_{red}", "bcel", lambda x, t, d, red=red:
            F.binary_cross_entropy_with_logits(x, t, reduction=red),
            tgrad=True)
        add(f"bcel_pos_weight_{red}", "bcel_pw", lambda x, t, d, red=red:
            F.binary_cross_entropy_with_logits(
                x, t, pos_weight=d["pos_weight"], reduction=red), tgrad=True)
    add("bcel_weight_mean", "bcel_w", lambda x, t, d:
        F.binary_cross_entropy_with_logits(x, t, weight=d["weight"]),
        tgrad=True)
    add("bcel_both_sum", "bcel_both", lambda x, t, d:
        F.binary_cross_entropy_with_logits(
            x, t, weight=d["weight"], pos_weight=d["pos_weight"],
            reduction="sum"), tgrad=True)
    add("bcel_extreme_none", "bcel_ext", lambda x, t, d:
        F.binary_cross_entropy_with_logits(x, t, reduction="none"),
        tgrad=True)

    for set_name, tensors in sets.items():
        for k, v in tensors.items():
            w.save(f"{set_name}_{k}", v)
    def run(name, d, fn, tgrad, grad, gout, suffix):
        x = d["input"].clone().requires_grad_(grad)
        t = d["target"].clone()
        if tgrad:
            t.requires_grad_()
        loss = fn(x, t, d)
        w.save(f"{name}_out{suffix}", loss)
        if grad:
            loss.backward(gout.to(loss.dtype) if loss.dim() else None)
            w.save(f"{name}_grad{suffix}", x.grad)
            if tgrad and not suffix:
                w.save(f"{name}_tgrad", t.grad)
        return loss

    for name, set_name, fn, tgrad, grad in cases:
        d = sets[set_name]
        shape = tuple(fn(d["input"], d["target"], d).shape)
        gout = f32(r.standard_normal(shape)) if shape else None
        if gout is not None and grad:
            w.save(f"{name}_gout", gout)
        run(name, d, fn, tgrad, grad, gout, "")
        # The same case in float64 (inputs widened exactly): value and input
        # gradient, compared within 1e-10.
        d64 = {k: v.double() if v.is_floating_point() else v
               for k, v in d.items()}
        run(name, d64, fn, tgrad, grad, gout, "64")
    return w.count
