// gradcheck: for every output element, the analytical gradient row from
// autograd::grad with a one-hot grad_output; for every input element, the
// numerical column from central differences (x ± eps), compared with
// |a - n| <= atol + rtol * |n|.
#include "ember/autograd/gradcheck.h"
#include "ember/autograd/grad_mode.h"
#include "ember/autograd/node.h"
#include "ember/factory.h"
#include "ember/ops.h"

#include <sstream>

namespace ember::autograd {

namespace {

// Offset (in elements) of linear index `i` of t in its storage view.
int64_t elem_offset(const Tensor &t, int64_t i) {
  int64_t off = 0;
  for (int64_t d = t.dim() - 1; d >= 0; --d) {
    off += (i % t.size(d)) * t.stride(d);
    i /= t.size(d);
  }
  return off;
}

double get(const Tensor &t, int64_t i) {
  return visit_floating(t.dtype(), "gradcheck", [&]<typename T>() {
    return static_cast<double>(
        static_cast<const T *>(t.raw_data_ptr())[elem_offset(t, i)]);
  });
}

void set(const Tensor &t, int64_t i, double v) {
  visit_floating(t.dtype(), "gradcheck", [&]<typename T>() {
    static_cast<T *>(t.raw_data_ptr())[elem_offset(t, i)] = static_cast<T>(v);
  });
}

TensorList float_outputs(const TensorList &outs) {
  TensorList r;
  for (const Tensor &o : outs)
    if (o.defined() && o.is_floating_point())
      r.push_back(o);
  return r;
}

} // namespace

bool gradcheck(const std::function<TensorList(const TensorList &)> &fn,
               const TensorList &inputs, const GradcheckOptions &opts) {
  std::vector<size_t> diff;
  for (size_t i = 0; i < inputs.size(); ++i)
    if (inputs[i].defined() && inputs[i].requires_grad())
      diff.push_back(i);
  EMBER_CHECK(!diff.empty(), "gradcheck", "no input requires grad");
  // The perturbations write elements in place from the host.
  for (size_t i : diff)
    EMBER_CHECK(inputs[i].device().is_cpu(), "gradcheck", "input ", i,
                " is on ", inputs[i].device(),
                ": gradcheck perturbs CPU inputs (move it with .cpu(); the "
                "function may still move it to CUDA inside)");

  TensorList outs = float_outputs(fn(inputs));
  EMBER_CHECK(!outs.empty(), "gradcheck",
              "the function has no floating point output");

  TensorList diff_inputs;
  for (size_t i : diff)
    diff_inputs.push_back(inputs[i]);

  // Analytical: one backward per output element.
  // jac_a[o][k] is a tensor shaped like the output, per input k and element.
  std::vector<std::vector<std::vector<double>>> ana(outs.size());
  for (size_t o = 0; o < outs.size(); ++o) {
    const int64_t n_out = outs[o].numel();
    ana[o].assign(diff.size(), {});
    for (size_t k = 0; k < diff.size(); ++k)
      ana[o][k].assign(static_cast<size_t>(n_out * inputs[diff[k]].numel()),
                       0.0);
    for (int64_t j = 0; j < n_out; ++j) {
      TensorList grad_outs;
      for (size_t q = 0; q < outs.size(); ++q) {
        Tensor g = zeros_like(outs[q]);
        if (q == o)
          set(g, j, 1.0);
        grad_outs.push_back(g);
      }
      TensorList g = grad(outs, diff_inputs, grad_outs, /*retain_graph=*/true,
                          false, /*allow_unused=*/true);
      for (size_t k = 0; k < diff.size(); ++k) {
        if (!g[k].defined())
          continue;
        for (int64_t e = 0; e < g[k].numel(); ++e)
          ana[o][k][static_cast<size_t>(j * inputs[diff[k]].numel() + e)] =
              get(g[k], e);
      }
    }
  }

  // Numerical: perturb each input element (through a detached alias, so
  // the leaves themselves are not written by a recorded op).
  for (size_t k = 0; k < diff.size(); ++k) {
    Tensor x = inputs[diff[k]].detach();
    for (int64_t e = 0; e < x.numel(); ++e) {
      const double orig = get(x, e);
      TensorList plus, minus;
      {
        NoGradGuard no_grad;
        // Outputs may be views of the input being perturbed: copy them.
        auto eval = [&] {
          TensorList outs = float_outputs(fn(inputs));
          for (Tensor &t : outs)
            t = t.clone();
          return outs;
        };
        set(x, e, orig + opts.eps);
        plus = eval();
        set(x, e, orig - opts.eps);
        minus = eval();
        set(x, e, orig);
      }
      for (size_t o = 0; o < outs.size(); ++o) {
        for (int64_t j = 0; j < outs[o].numel(); ++j) {
          double num = (get(plus[o], j) - get(minus[o], j)) / (2 * opts.eps);
          double a = ana[o][k][static_cast<size_t>(j * x.numel() + e)];
          if (std::abs(a - num) > opts.atol + opts.rtol * std::abs(num)) {
            if (!opts.raise_exception)
              return false;
            EMBER_FAIL("gradcheck", "Jacobian mismatch for output ", o,
                       " with respect to input ", diff[k], " (element ", e,
                       " of the input, element ", j,
                       " of the output): numerical ", num, ", analytical ", a);
          }
        }
      }
    }
  }
  return true;
}

bool gradcheck(const std::function<Tensor(const TensorList &)> &fn,
               const TensorList &inputs, const GradcheckOptions &opts) {
  return gradcheck(
      std::function<TensorList(const TensorList &)>(
          [&](const TensorList &in) { return TensorList{fn(in)}; }),
      inputs, opts);
}

} // namespace ember::autograd
