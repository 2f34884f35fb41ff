"""Goldens for ember::optim and ember::optim::lr_scheduler (PyTorch 1.13).

Optimizers: fixed initial parameters p0 (3x4) and p1 (5,) and a fixed
sequence of 20 gradients each (seeded numpy, float32 and float64). For every
configuration the parameters after each step are saved as
<config>_<dtype>_p<i>.npy (shape (20, *param.shape)), and the per-parameter
state after the last float64 step as <config>_state_p<i>_<key>.npy.
The C++ test sets p.mutable_grad() to the saved gradient before each step().

Schedulers: an SGD optimizer with two groups (lr 0.1 and 0.02, momentum 0.9)
or Adam for the beta1 cycle; the lrs after construction and after each of 50
steps are saved as sched_<config>_lr.npy (shape (51, 2)), plus the momentum /
beta1 sequence for OneCycleLR. ReduceLROnPlateau is driven by
sched_plateau_metrics.npy.
"""
import numpy as np
import torch

from golden_util import Writer, rng

STEPS = 20
SCHED_STEPS = 50

# name -> (class, group-0 kwargs, group-1 kwargs or None)
# With two groups every option is given in both (ember's group options are
# full option structs, PyTorch's fall back to the defaults per key).
OPTIMIZERS = {
    "sgd": (torch.optim.SGD, dict(lr=0.1), None),
    "sgd_momentum": (torch.optim.SGD, dict(lr=0.1, momentum=0.9), None),
    "sgd_nesterov": (torch.optim.SGD,
                     dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01), None),
    "sgd_dampening_wd": (torch.optim.SGD,
                         dict(lr=0.05, momentum=0.5, dampening=0.3, weight_decay=0.1), None),
    "sgd_maximize": (torch.optim.SGD, dict(lr=0.1, momentum=0.9, maximize=True), None),
    "sgd_groups": (torch.optim.SGD, dict(lr=0.1, momentum=0.9),
                   dict(lr=0.01, momentum=0.5, weight_decay=0.1)),
    "adam": (torch.optim.Adam, dict(lr=0.01), None),
    "adam_wd_amsgrad": (torch.optim.Adam,
                        dict(lr=0.02, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1,
                             amsgrad=True), None),
    "adam_maximize": (torch.optim.Adam, dict(lr=0.01, maximize=True), None),
    "adam_groups": (torch.optim.Adam, dict(lr=0.01),
                    dict(lr=0.001, betas=(0.5, 0.9), amsgrad=True)),
    "adamw": (torch.optim.AdamW, dict(lr=0.01), None),
    "adamw_amsgrad": (torch.optim.AdamW,
                      dict(lr=0.02, weight_decay=0.1, amsgrad=True, maximize=True), None),
    "adamw_groups": (torch.optim.AdamW, dict(lr=0.01),
                     dict(lr=0.003, weight_decay=0.5)),
    "rmsprop": (torch.optim.RMSprop, dict(lr=0.01), None),
    "rmsprop_centered": (torch.optim.RMSprop,
                         dict(lr=0.01, alpha=0.9, momentum=0.9, centered=True,
                              weight_decay=0.1), None),
    "rmsprop_momentum_maximize": (torch.optim.RMSprop,
                                  dict(lr=0.005, momentum=0.5, eps=1e-4, maximize=True), None),
    "rmsprop_groups": (torch.optim.RMSprop, dict(lr=0.01),
                       dict(lr=0.001, alpha=0.5, centered=True)),
    "adagrad": (torch.optim.Adagrad, dict(lr=0.1), None),
    "adagrad_full": (torch.optim.Adagrad,
                     dict(lr=0.1, lr_decay=0.01, weight_decay=0.1,
                          initial_accumulator_value=0.1, eps=1e-8), None),
    "adagrad_maximize_groups": (torch.optim.Adagrad, dict(lr=0.1, maximize=True),
                                dict(lr=0.01, lr_decay=0.1, maximize=True)),
}


def run_optimizer(cls, kw0, kw1, p_init, grads, dtype):
    ps = [torch.tensor(p, dtype=dtype, requires_grad=True) for p in p_init]
    if kw1 is None:
        opt = cls(ps, **kw0)
    else:
        opt = cls([dict(params=[ps[0]], **kw0), dict(params=[ps[1]], **kw1)])
    history = [[] for _ in ps]
    for s in range(STEPS):
        for p, g in zip(ps, grads):
            p.grad = torch.tensor(g[s], dtype=dtype)
        opt.step()
        for h, p in zip(history, ps):
            h.append(p.detach().clone())
    return [torch.stack(h) for h in history], opt, ps


def gen_optimizers(w):
    r = rng(1)
    p_init = [r.standard_normal((3, 4)), r.standard_normal(5)]
    grads = [r.standard_normal((STEPS, 3, 4)), r.standard_normal((STEPS, 5))]
    for name, dt in (("f32", np.float32), ("f64", np.float64)):
        for i in range(2):
            w.save(f"init_{name}_p{i}", p_init[i].astype(dt))
            w.save(f"grads_{name}_p{i}", grads[i].astype(dt))
    for cfg, (cls, kw0, kw1) in OPTIMIZERS.items():
        for name, dt in (("f32", torch.float32), ("f64", torch.float64)):
            hist, opt, ps = run_optimizer(cls, kw0, kw1, p_init, grads, dt)
            for i, h in enumerate(hist):
                w.save(f"{cfg}_{name}_p{i}", h)
            if name == "f64":
                for i, p in enumerate(ps):
                    for key, v in opt.state[p].items():
                        if v is None:
                            continue
                        w.save(f"{cfg}_state_p{i}_{key}", torch.as_tensor(v))


def sched_optimizer(adam=False):
    ps = [torch.zeros(2, requires_grad=True), torch.zeros(3, requires_grad=True)]
    if adam:
        return torch.optim.Adam([dict(params=[ps[0]], lr=0.1),
                                 dict(params=[ps[1]], lr=0.02)])
    return torch.optim.SGD([dict(params=[ps[0]], lr=0.1, momentum=0.9),
                            dict(params=[ps[1]], lr=0.02, momentum=0.9)])


def plateau_metrics():
    r = rng(2)
    # Improves, stalls (with noise), improves again, then rises.
    base = np.concatenate([np.linspace(1.0, 0.5, 10), np.full(15, 0.5),
                           np.linspace(0.5, 0.3, 10), np.linspace(0.3, 0.6, 15)])
    return base + 0.002 * r.standard_normal(SCHED_STEPS)


SCHEDULERS = {
    "step": (False, lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=7, gamma=0.5)),
    "multistep": (False, lambda o: torch.optim.lr_scheduler.MultiStepLR(
        o, milestones=[5, 15, 15, 30], gamma=0.3)),
    "exponential": (False, lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.9)),
    "cosine": (False, lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(
        o, T_max=10, eta_min=0.001)),
    "cosine_long": (False, lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=50)),
    "lambda": (False, lambda o: torch.optim.lr_scheduler.LambdaLR(
        o, lr_lambda=[lambda e: 1.0 / (e + 1), lambda e: 0.95 ** e])),
    "linear": (False, lambda o: torch.optim.lr_scheduler.LinearLR(
        o, start_factor=0.25, end_factor=1.0, total_iters=20)),
    "linear_down": (False, lambda o: torch.optim.lr_scheduler.LinearLR(
        o, start_factor=1.0, end_factor=0.1, total_iters=30)),
    "onecycle": (False, lambda o: torch.optim.lr_scheduler.OneCycleLR(
        o, max_lr=[1.0, 0.5], total_steps=50)),
    "onecycle_linear3": (True, lambda o: torch.optim.lr_scheduler.OneCycleLR(
        o, max_lr=0.3, total_steps=60, pct_start=0.25, anneal_strategy="linear",
        three_phase=True, div_factor=10.0, final_div_factor=100.0,
        base_momentum=0.8, max_momentum=0.9)),
    "onecycle_nomomentum": (False, lambda o: torch.optim.lr_scheduler.OneCycleLR(
        o, max_lr=0.2, epochs=5, steps_per_epoch=11, cycle_momentum=False)),
    "plateau": (False, lambda o: torch.optim.lr_scheduler.ReduceLROnPlateau(
        o, mode="min", factor=0.5, patience=3, threshold=0.01, cooldown=2,
        min_lr=[0.01, 0.005])),
    "plateau_max_abs": (False, lambda o: torch.optim.lr_scheduler.ReduceLROnPlateau(
        o, mode="max", factor=0.7, patience=2, threshold=0.01, threshold_mode="abs",
        min_lr=0.004)),
}


def gen_schedulers(w):
    metrics = plateau_metrics()
    w.save("sched_plateau_metrics", metrics)
    for cfg, (adam, make) in SCHEDULERS.items():
        opt = sched_optimizer(adam)
        sched = make(opt)
        plateau = isinstance(sched, torch.optim.lr_scheduler.ReduceLROnPlateau)

        def lrs():
            return [g["lr"] for g in opt.param_groups]

        def moms():
            return [g["betas"][0] if adam else g["momentum"] for g in opt.param_groups]

        lr_hist, mom_hist = [lrs()], [moms()]
        for s in range(SCHED_STEPS):
            opt.step()
            if plateau:
                # sign flip makes the max-mode run see the same shape
                sched.step(metrics[s] if sched.mode == "min" else -metrics[s])
            else:
                sched.step()
            lr_hist.append(lrs())
            mom_hist.append(moms())
        w.save(f"sched_{cfg}_lr", np.array(lr_hist, dtype=np.float64))
        if cfg.startswith("onecycle"):
            w.save(f"sched_{cfg}_momentum", np.array(mom_hist, dtype=np.float64))


def generate(out):
    w = Writer(out)
    gen_optimizers(w)
    gen_schedulers(w)
    return w.count
