"""Goldens for the gradients of the reduction and softmax ops
(test/unit/grad_reduce_test.cpp, GradReduceGolden).

Every case is one op applied by PyTorch to a float32 input x_<case>, with a
seeded upstream gradient go_<case>; grad_<case> is d(out . go)/dx. The C++
test holds the same table of cases (names must match).
"""
import math

import numpy as np
import torch

from golden_util import Writer, rng


def cases():
    r = rng(11)

    def normal(*shape):
        return r.standard_normal(shape).astype(np.float32)

    ties = np.array([[1.0, 3.0, 3.0, -2.0], [2.0, 2.0, 2.0, 2.0],
                     [-1.0, 0.5, 0.25, 0.5]], dtype=np.float32)
    zeros = normal(3, 4)
    zeros[0, 1] = 0.0                  # one zero in row 0 / column 1
    zeros[1, 0] = zeros[1, 2] = 0.0    # two zeros in row 1
    const = np.full((2, 3), 1.5, dtype=np.float32)
    x = normal(3, 4)
    x3 = normal(2, 3, 4)
    inf = math.inf
    return [
        ("softmax_d1", x, lambda t: torch.softmax(t, 1)),
        ("softmax_dm3", x3, lambda t: torch.softmax(t, -3)),
        ("log_softmax_d0", x, lambda t: torch.log_softmax(t, 0)),
        ("log_softmax_dm1", x3, lambda t: torch.log_softmax(t, -1)),
        ("var_all", x, lambda t: t.var()),
        ("var_d1_c0", x3, lambda t: t.var([1], correction=0)),
        ("var_d02_k", x3, lambda t: t.var([0, 2], keepdim=True)),
        ("std_all", x, lambda t: t.std()),
        ("std_dm1_c2_k", x3, lambda t: t.std([-1], correction=2,
                                             keepdim=True)),
        ("std_const_d1", const, lambda t: t.std([1])),
        ("norm_p2", x, lambda t: torch.norm(t, 2)),
        ("norm_p1_d1", x, lambda t: torch.norm(t, 1, [1])),
        ("norm_pinf_d0", x, lambda t: torch.norm(t, inf, [0])),
        ("norm_pninf_all", x, lambda t: torch.norm(t, -inf)),
        ("norm_p3_d1k", x3, lambda t: torch.norm(t, 3, [1], keepdim=True)),
        ("norm_p1_5_d2", x3, lambda t: torch.norm(t, 1.5, [2])),
        ("norm_p0_5_all", x, lambda t: torch.norm(t, 0.5)),
        ("norm_p2_zeros", zeros, lambda t: torch.norm(t, 2, [0])),
        ("max_dim_d1", x, lambda t: t.max(1)[0]),
        ("min_dim_dm1_k", x3, lambda t: t.min(-1, keepdim=True)[0]),
        ("max_dim_ties_d1", ties, lambda t: t.max(1)[0]),
        ("amax_ties_d1", ties, lambda t: t.amax([1])),
        ("amin_ties_d0k", ties, lambda t: t.amin([0], keepdim=True)),
        ("max_all_ties", ties, lambda t: t.max()),
        ("prod_zeros_d1", zeros, lambda t: t.prod(1)),
        ("prod_zeros_d0k", zeros, lambda t: t.prod(0, keepdim=True)),
        ("prod_zeros_all", zeros, lambda t: t.prod()),
        ("prod_d1", x, lambda t: t.prod(-1)),
        ("logsumexp_d1", x3, lambda t: torch.logsumexp(t, [1])),
        ("mean_d02", x3, lambda t: t.mean([0, 2])),
    ]


def generate(out):
    w = Writer(out)
    r = rng(12)
    for name, x, fn in cases():
        t = torch.tensor(x, requires_grad=True)
        y = fn(t)
        go = torch.tensor(r.standard_normal(tuple(y.shape)).astype(np.float32))
        (g,) = torch.autograd.grad(y, t, go)
        w.save(f"x_{name}", x)
        w.save(f"go_{name}", go)
        w.save(f"grad_{name}", g)
    return w.count
