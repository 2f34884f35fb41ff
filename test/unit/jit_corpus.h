// The jit::compile corpus: functions covering every op family the
// compiler lowers, broadcasting, views, in-place updates, reductions along
// each axis and mixed dtypes, with their inputs. jit_corpus_test runs it
// through the CPU JIT, jit_cuda_program_test through the CUDA target's
// program (its kernels as host C++).
#pragma once

#include "test_util.h"

#include <functional>
#include <vector>

namespace ember::testing::corpus {

struct Case {
  const char *name;
  std::function<TensorList(const TensorList &)> fn;
  std::function<TensorList()> inputs;
  bool exact = false;   // compare bit for bit
  bool mutates = false; // updates an input in place (checked elsewhere)
};

inline Tensor r(IntArrayRef s) { return randn(s); }
inline Tensor ri(IntArrayRef s) { return randint(-5, 6, s); }

inline std::vector<Case> corpus() {
  using L = const TensorList &;
  auto one = [](IntArrayRef s) {
    return [s = s.vec()] { return TensorList{r(s)}; };
  };
  auto two = [](IntArrayRef a, IntArrayRef b) {
    return [a = a.vec(), b = b.vec()] { return TensorList{r(a), r(b)}; };
  };
  std::vector<Case> c = {
      // Elementwise, one op each.
      {"add", [](L x) { return TensorList{x[0] + x[1]}; }, two({4, 5}, {4, 5}),
       true},
      {"sub_alpha", [](L x) { return TensorList{sub(x[0], x[1], 2.5)}; },
       two({3, 4}, {3, 4})},
      {"mul_broadcast_row", [](L x) { return TensorList{x[0] * x[1]}; },
       two({4, 5}, {5}), true},
      {"div_broadcast_col", [](L x) { return TensorList{x[0] / x[1]}; },
       two({4, 5}, {4, 1}), true},
      {"scalar_ops", [](L x) { return TensorList{x[0] * 3 + 1.5}; }, one({6}),
       true},
      {"neg_abs", [](L x) { return TensorList{x[0].neg().abs()}; }, one({7}),
       true},
      {"exp_log1p", [](L x) { return TensorList{x[0].exp().log1p()}; },
       one({2, 3})},
      {"sqrt_rsqrt",
       [](L x) {
         return TensorList{x[0].abs().sqrt() + x[0].abs().add(1).rsqrt()};
       },
       one({8})},
      {"sin_cos", [](L x) { return TensorList{x[0].sin() * x[0].cos()}; },
       one({5})},
      {"tanh_sigmoid",
       [](L x) { return TensorList{x[0].tanh() + x[0].sigmoid()}; },
       one({3, 3})},
      {"relu", [](L x) { return TensorList{relu(x[0])}; }, one({10}), true},
      {"gelu", [](L x) { return TensorList{gelu(x[0])}; }, one({10})},
      {"gelu_tanh", [](L x) { return TensorList{gelu(x[0], "tanh")}; },
       one({10})},
      {"sign_floor_ceil_round",
       [](L x) {
         return TensorList{(x[0] * 3).floor() + (x[0] * 3).ceil() +
                           (x[0] * 3).round() + x[0].sign()};
       },
       one({9}), true},
      {"pow_scalar", [](L x) { return TensorList{pow(x[0].abs(), 1.5)}; },
       one({6})},
      {"maximum_minimum",
       [](L x) {
         return TensorList{maximum(x[0], x[1]) - minimum(x[0], x[1])};
       },
       two({4, 4}, {4}), true},
      {"compare",
       [](L x) {
         return TensorList{lt(x[0], x[1]), ge(x[0], 0.0), eq(x[0], x[0])};
       },
       two({3, 3}, {3}), true},
      {"where",
       [](L x) { return TensorList{where(gt(x[0], 0.0), x[0], x[1])}; },
       two({2, 5}, {5}), true},
      {"clamp", [](L x) { return TensorList{clamp(x[0], -0.5, 0.5)}; },
       one({12}), true},
      {"masked_fill",
       [](L x) { return TensorList{x[0].masked_fill(lt(x[0], 0.0), 0.0)}; },
       one({3, 4}), true},
      {"logical",
       [](L x) {
         return TensorList{logical_and(gt(x[0], 0.0), lt(x[1], 0.0)),
                           logical_not(gt(x[0], 0.0))};
       },
       two({6}, {6}), true},
      // Mixed dtypes: promotion.
      {"int_plus_float", [](L x) { return TensorList{x[0] + x[1]}; },
       [] {
         return TensorList{ri({4}), r({4})};
       },
       true},
      {"int_true_div", [](L x) { return TensorList{x[0] / 2}; },
       [] { return TensorList{ri({5})}; }, true},
      {"int_arith", [](L x) { return TensorList{x[0] * x[1] - 3}; },
       [] {
         return TensorList{ri({2, 3}), ri({3})};
       },
       true},
      {"to_dtype",
       [](L x) {
         return TensorList{x[0].to(kFloat64) * 2, x[0].to(kInt64)};
       },
       one({5}), true},
      {"double_chain", [](L x) { return TensorList{(x[0] * x[0] + 1).sqrt()}; },
       [] { return TensorList{randn({4}, dtype(kFloat64))}; }},
      // Chains (fusion).
      {"chain8",
       [](L x) {
         Tensor y = x[0];
         return TensorList{
             gelu(sigmoid(tanh(y * 2 + 1) - 0.5) * y).exp().neg()};
       },
       one({64, 64})},
      {"cheap_chain",
       [](L x) { return TensorList{maximum(x[0] * 2 + x[1], x[1] * 0.5)}; },
       two({32, 32}, {32, 32}), true},
      // Reductions along each axis.
      {"sum_all", [](L x) { return TensorList{x[0].sum()}; }, one({4, 5, 6})},
      {"sum_dim0", [](L x) { return TensorList{x[0].sum({0})}; },
       one({4, 5, 6})},
      {"sum_dim1_keepdim", [](L x) { return TensorList{x[0].sum({1}, true)}; },
       one({4, 5, 6})},
      {"sum_dim2", [](L x) { return TensorList{x[0].sum({2})}; },
       one({4, 5, 6})},
      {"sum_dims02",
       [](L x) {
         return TensorList{x[0].sum({0, 2})};
       },
       one({4, 5, 6})},
      {"mean", [](L x) { return TensorList{x[0].mean({1})}; }, one({3, 7})},
      {"prod", [](L x) { return TensorList{x[0].prod(0)}; }, one({3, 4})},
      {"amax_amin",
       [](L x) {
         return TensorList{amax(x[0], {1}), amin(x[0], {0}, true)};
       },
       one({5, 6}), true},
      {"int_sum", [](L x) { return TensorList{x[0].sum({0})}; },
       [] {
         return TensorList{ri({4, 3})};
       },
       true},
      {"softmax", [](L x) { return TensorList{x[0].softmax(1)}; },
       one({4, 10})},
      {"log_softmax", [](L x) { return TensorList{log_softmax(x[0], 0)}; },
       one({6, 3})},
      {"var_std",
       [](L x) {
         return TensorList{var(x[0], {1}), ember::std(x[0], {0})};
       },
       one({5, 4})},
      {"logsumexp", [](L x) { return TensorList{logsumexp(x[0], {1})}; },
       one({3, 8})},
      // Linear algebra.
      {"mm", [](L x) { return TensorList{mm(x[0], x[1])}; },
       two({8, 16}, {16, 4})},
      {"matmul_batched", [](L x) { return TensorList{matmul(x[0], x[1])}; },
       two({2, 3, 4}, {4, 5})},
      {"bmm", [](L x) { return TensorList{bmm(x[0], x[1])}; },
       two({3, 2, 4}, {3, 4, 2})},
      {"linear_relu",
       [](L x) { return TensorList{relu(matmul(x[0], x[1].t()) + x[2])}; },
       [] {
         return TensorList{r({4, 8}), r({6, 8}), r({6})};
       }},
      // Views and shapes.
      {"transpose_add", [](L x) { return TensorList{x[0].t() + x[1]}; },
       two({3, 4}, {4, 3}), true},
      {"permute",
       [](L x) {
         return TensorList{x[0].permute({2, 0, 1}) * 2};
       },
       one({2, 3, 4}), true},
      {"reshape_flatten",
       [](L x) {
         return TensorList{x[0].reshape({6, 4}).flatten() + 1};
       },
       one({2, 3, 4}), true},
      {"squeeze_unsqueeze",
       [](L x) {
         return TensorList{x[0].unsqueeze(0).squeeze(0) +
                           x[0].unsqueeze(1).sum({1})};
       },
       one({5})},
      {"expand",
       [](L x) {
         return TensorList{x[0].expand({4, 3}) + 1};
       },
       one({1, 3}), true},
      {"narrow_select",
       [](L x) {
         return TensorList{x[0].narrow(1, 1, 2) * 2, x[0].select(0, 1)};
       },
       one({3, 4}), true},
      {"cat_stack",
       [](L x) {
         return TensorList{cat({x[0], x[1]}, 0), stack({x[0], x[1]}, 1)};
       },
       two({2, 3}, {2, 3}), true},
      // In-place updates.
      {"inplace_on_intermediate",
       [](L x) {
         Tensor y = x[0] * 2;
         y.add_(1);
         y.mul_(x[1]);
         return TensorList{y};
       },
       two({4}, {4}), true},
      {"inplace_through_view",
       [](L x) {
         Tensor y = x[0].clone();
         y.narrow(0, 0, 2).mul_(10);
         return TensorList{y};
       },
       one({5}), true},
      {"inplace_relu_clamp",
       [](L x) {
         Tensor y = x[0] + 0;
         y.clamp_(-1.0, 1.0);
         return TensorList{y};
       },
       one({8}), true},
      // scatter_add's loop carries its input: compiled code must copy it
      // first, not update the caller's tensor.
      {"scatter_add_into_input",
       [](L x) { return TensorList{x[0].scatter_add(0, x[1], x[2])}; },
       [] {
         return TensorList{r({5, 3}), randint(0, 5, {2, 3}), r({2, 3})};
       },
       true},
  };
  return c;
}
/// Runs every function of the corpus twice through jit::compile with
/// `backend` (first call: eager + trace + compile; second: compiled code)
/// and compares with eager: exactly for integer and bool results and
/// `exact` cases, within rtol 1e-5 / atol 1e-6 otherwise. Returns the
/// names of the functions that did not run compiled.
inline std::vector<std::string> check_corpus(jit::detail::Backend backend) {
  NoGradGuard no_grad; // compiled gradients come with the IR autodiff
  std::vector<Case> cases = corpus();
  EXPECT_GE(cases.size(), 50u);
  std::vector<std::string> eager_only;
  for (Case &c : cases) {
    manual_seed(7);
    TensorList in = c.inputs();
    TensorList want = c.fn(in);
    TensorList before;
    for (const Tensor &t : in)
      before.push_back(t.clone());
    auto f = jit::CompiledFunction(c.fn, {.name = c.name}, backend);
    TensorList first = f(in); // eager + trace (+ compile)
    TensorList got = f(in);   // compiled when it compiled
    // Compiled code never writes into its arguments' buffers (unless the
    // function updates them in place itself).
    for (size_t k = 0; k < in.size(); ++k)
      EXPECT_TRUE(c.mutates || tensors_equal(in[k], before[k]))
          << c.name << ": input " << k << " changed";
    EXPECT_EQ(got.size(), want.size()) << c.name;
    if (got.size() != want.size())
      continue;
    for (size_t k = 0; k < want.size(); ++k) {
      EXPECT_TRUE(tensors_equal(first[k], want[k]))
          << c.name << " output " << k;
      EXPECT_EQ(got[k].sizes(), want[k].sizes()) << c.name << " output " << k;
      EXPECT_EQ(got[k].dtype(), want[k].dtype()) << c.name << " output " << k;
      if (got[k].sizes() != want[k].sizes() ||
          got[k].dtype() != want[k].dtype())
        continue;
      if (c.exact || !is_floating_point(want[k].dtype()))
        EXPECT_TRUE(tensors_equal(got[k], want[k]))
            << c.name << " output " << k;
      else
        EXPECT_TRUE(allclose(got[k], want[k], 1e-5, 1e-6))
            << c.name << " output " << k << "\n"
            << got[k] << "\n"
            << want[k];
    }
    if (f.stats().compiled_calls == 0)
      eager_only.push_back(c.name);
  }
  return eager_only;
}

} // namespace ember::testing::corpus
