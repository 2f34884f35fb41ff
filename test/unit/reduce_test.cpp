// Reductions and softmax against PyTorch goldens (test/golden/gen_reduce.py:
// the table below mirrors its cases, name for name), plus dtype rules, edge
// cases, error messages, the parallel paths and their determinism.
#include "test_util.h"

#include <cmath>
#include <functional>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

using namespace ember;
using namespace ember::testing;

namespace {

using Fn = std::function<Tensor(const Tensor &)>;
struct Case {
  std::string name, input;
  Fn fn;
};

const double kInf = std::numeric_limits<double>::infinity();

Tensor input(const std::string &name) {
  if (name == "xt")
    return golden("reduce", "in_x32").transpose(0, 2);
  return golden("reduce", "in_" + name);
}

// "m1" for -1 (the golden names avoid '-').
std::string dim_name(int64_t d) {
  std::ostringstream os;
  os << (d < 0 ? "m" : "") << (d < 0 ? -d : d);
  return os.str();
}

std::vector<Case> all_cases() {
  std::vector<Case> c;
  auto add = [&](std::string name, std::string inp, Fn fn) {
    c.push_back({std::move(name), std::move(inp), std::move(fn)});
  };
  // sum
  for (std::string inp : {"x32", "x64", "xi", "xi32", "xb", "xt", "xs"})
    add("sum_" + inp + "_all", inp, [](const Tensor &x) { return x.sum(); });
  for (std::string inp : {"x32", "x64", "xi", "xt"}) {
    add("sum_" + inp + "_d1", inp, [](const Tensor &x) { return x.sum({1}); });
    add("sum_" + inp + "_d02k", inp, [](const Tensor &x) {
      return x.sum({0, 2}, true);
    });
    add("sum_" + inp + "_dm1", inp,
        [](const Tensor &x) { return x.sum({-1}); });
  }
  add("sum_xb_d0", "xb", [](const Tensor &x) { return x.sum({0}); });
  add("sum_xi_f64", "xi",
      [](const Tensor &x) { return sum(x, {1}, false, kFloat64); });
  add("sum_x32_allk", "x32", [](const Tensor &x) {
    return x.sum({0, 1, 2}, true);
  });
  add("sum_xe_all", "xe", [](const Tensor &x) { return x.sum(); });
  add("sum_xe_d0", "xe", [](const Tensor &x) { return x.sum({0}); });
  add("sum_xe_d1", "xe", [](const Tensor &x) { return x.sum({1}); });
  // mean
  for (std::string inp : {"x32", "x64", "xt", "xs", "xe"})
    add("mean_" + inp + "_all", inp, [](const Tensor &x) { return x.mean(); });
  for (std::string inp : {"x32", "x64", "xt"}) {
    add("mean_" + inp + "_d12k", inp, [](const Tensor &x) {
      return x.mean({1, 2}, true);
    });
    add("mean_" + inp + "_d0", inp,
        [](const Tensor &x) { return x.mean({0}); });
  }
  add("mean_xe_d0", "xe", [](const Tensor &x) { return x.mean({0}); });
  // prod
  for (std::string inp : {"x32", "xi32", "xb", "xs", "xe"})
    add("prod_" + inp + "_all", inp, [](const Tensor &x) { return x.prod(); });
  for (std::string inp : {"x32", "x64", "xi", "xt"}) {
    add("prod_" + inp + "_d1", inp, [](const Tensor &x) { return x.prod(1); });
    add("prod_" + inp + "_d2k", inp,
        [](const Tensor &x) { return x.prod(2, true); });
  }
  add("prod_xb_d1", "xb", [](const Tensor &x) { return x.prod(1); });
  // amax / amin
  for (bool is_max : {true, false}) {
    std::string op = is_max ? "amax" : "amin";
    auto f = [is_max](IntArrayRef dims, bool k) {
      std::vector<int64_t> d = dims.vec();
      return [is_max, d, k](const Tensor &x) {
        return is_max ? amax(x, d, k) : amin(x, d, k);
      };
    };
    for (std::string inp : {"x32", "x64", "xi", "xi32", "xb", "xt", "xn", "xs"})
      add(op + "_" + inp + "_all", inp, f({}, false));
    for (std::string inp : {"x32", "xi", "xt"}) {
      add(op + "_" + inp + "_d02", inp, f({0, 2}, false));
      add(op + "_" + inp + "_d1k", inp, f({1}, true));
    }
    add(op + "_xn_d1", "xn", f({1}, false));
    add(op + "_xe_d1", "xe", f({1}, false));
  }
  // max / min with a dim
  struct DimCase {
    const char *input;
    int64_t dim;
    bool keepdim;
  };
  const DimCase dim_cases[] = {
      {"x32", 1, false},  {"x32", 0, true},   {"x64", 2, false},
      {"xi", 0, false},   {"xtie", 1, false}, {"xtie", 0, true},
      {"xn", 1, false},   {"xn", 0, false},   {"xt", 2, false},
      {"xt", 0, true},    {"xb", 1, false},   {"xs", 0, false},
      {"xi32", -1, false}};
  for (bool is_max : {true, false}) {
    for (const DimCase &dc : dim_cases) {
      std::string name = std::string(is_max ? "max" : "min") + "_dim_" +
                         dc.input + "_d" + dim_name(dc.dim) +
                         (dc.keepdim ? "k" : "");
      for (int which : {0, 1}) {
        add(name + (which == 0 ? "_values" : "_indices"), dc.input,
            [is_max, dc, which](const Tensor &x) {
              auto [v, i] = is_max ? x.max(dc.dim, dc.keepdim)
                                   : x.min(dc.dim, dc.keepdim);
              return which == 0 ? v : i;
            });
      }
    }
  }
  // argmax / argmin
  for (bool is_max : {true, false}) {
    std::string op = is_max ? "argmax" : "argmin";
    auto f = [is_max](std::optional<int64_t> d, bool k) {
      return [is_max, d, k](const Tensor &x) {
        return is_max ? argmax(x, d, k) : argmin(x, d, k);
      };
    };
    for (std::string inp : {"x32", "x64", "xi", "xtie", "xn", "xt", "xs"})
      add(op + "_" + inp + "_all", inp, f(std::nullopt, false));
    for (std::string inp : {"x32", "xtie", "xn", "xt"}) {
      add(op + "_" + inp + "_d1", inp, f(1, false));
      add(op + "_" + inp + "_d0k", inp, f(0, true));
    }
    add(op + "_x32_allk", "x32", f(std::nullopt, true));
  }
  // var / std
  for (bool is_std : {false, true}) {
    std::string op = is_std ? "std" : "var";
    auto f = [is_std](IntArrayRef dims, int64_t corr, bool k) {
      std::vector<int64_t> d = dims.vec();
      return [is_std, d, corr, k](const Tensor &x) {
        return is_std ? ember::std(x, d, corr, k) : var(x, d, corr, k);
      };
    };
    for (std::string inp : {"x32", "x64", "xt", "xs", "xe"})
      add(op + "_" + inp + "_all", inp,
          [is_std](const Tensor &x) { return is_std ? x.std() : x.var(); });
    for (std::string inp : {"x32", "x64", "xt"}) {
      add(op + "_" + inp + "_d1", inp, f({1}, 1, false));
      add(op + "_" + inp + "_d02k", inp, f({0, 2}, 1, true));
    }
    add(op + "_x32_d2c0", "x32", f({2}, 0, false));
    add(op + "_x32_d0c2", "x32", f({0}, 2, false));
    add(op + "_x32_d0c3", "x32", f({0}, 3, false));
    add(op + "_x32_d0c5", "x32", f({0}, 5, false));
    add(op + "_xe_d0", "xe", f({0}, 1, false));
  }
  // logsumexp
  auto lse = [](IntArrayRef dims, bool k) {
    std::vector<int64_t> d = dims.vec();
    return [d, k](const Tensor &x) { return logsumexp(x, d, k); };
  };
  for (std::string inp : {"x32", "x64", "xt", "xbig"}) {
    add("logsumexp_" + inp + "_d1", inp, lse({1}, false));
    add("logsumexp_" + inp + "_d02k", inp, lse({0, 2}, true));
  }
  add("logsumexp_x32_all", "x32", lse({0, 1, 2}, false));
  add("logsumexp_xi_d2", "xi", lse({2}, false));
  add("logsumexp_xb_d0", "xb", lse({0}, false));
  add("logsumexp_xinf_d1", "xinf", lse({1}, false));
  add("logsumexp_xs_d0", "xs", lse({0}, false));
  add("logsumexp_xe_d0", "xe", lse({0}, false));
  // norm
  const std::pair<const char *, Scalar> ps[] = {
      {"2", 2}, {"1", 1},     {"inf", kInf}, {"ninf", -kInf}, {"0", 0},
      {"3", 3}, {"0p5", 0.5}, {"n1", -1},    {"1p5", 1.5}};
  for (const auto &[pn, p] : ps) {
    std::string s = pn;
    Scalar pv = p;
    auto f = [pv](IntArrayRef dims, bool k) {
      std::vector<int64_t> d = dims.vec();
      return [pv, d, k](const Tensor &x) { return norm(x, pv, d, k); };
    };
    add("norm_x32_p" + s + "_all", "x32",
        [pv](const Tensor &x) { return x.norm(pv); });
    add("norm_x32_p" + s + "_d1", "x32", f({1}, false));
    add("norm_xt_p" + s + "_d02k", "xt", f({0, 2}, true));
    add("norm_xe_p" + s + "_all", "xe",
        [pv](const Tensor &x) { return x.norm(pv); });
    add("norm_xe_p" + s + "_d0", "xe", f({0}, false));
  }
  add("norm_x64_p2_d2", "x64", [](const Tensor &x) { return norm(x, 2, {2}); });
  add("norm_xs_p2_all", "xs", [](const Tensor &x) { return x.norm(); });
  // softmax / log_softmax
  for (bool log : {false, true}) {
    std::string op = log ? "log_softmax" : "softmax";
    auto f = [log](int64_t d) {
      return [log, d](const Tensor &x) {
        return log ? log_softmax(x, d) : softmax(x, d);
      };
    };
    for (std::string inp : {"x32", "x64", "xt"})
      for (int64_t d : {0, 1, 2, -1})
        add(op + "_" + inp + "_d" + dim_name(d), inp, f(d));
    add(op + "_xbig_d2", "xbig", f(2));
    add(op + "_xbig_d0", "xbig", f(0));
    add(op + "_xinf_d1", "xinf", f(1));
    add(op + "_xs_d0", "xs", f(0));
    add(op + "_xe_d1", "xe", f(1));
  }
  return c;
}

// Runs every case whose name starts with `prefix`; returns how many ran.
int run_goldens(const std::string &prefix) {
  int n = 0;
  for (const Case &c : all_cases()) {
    if (c.name.rfind(prefix, 0) != 0)
      continue;
    SCOPED_TRACE(c.name);
    Tensor expected = golden("reduce", c.name);
    Tensor got = c.fn(input(c.input));
    if (expected.is_floating_point()) {
      // float32 results are accumulated in double here and in float32 by
      // PyTorch; float64 agrees to rounding.
      bool f64 = expected.dtype() == kFloat64;
      EXPECT_TRUE(
          allclose(got, expected, f64 ? 1e-12 : 2e-6, f64 ? 1e-12 : 1e-6));
    } else {
      EXPECT_TRUE(tensors_equal(got, expected));
    }
    ++n;
  }
  return n;
}

} // namespace

TEST(ReduceGolden, Sum) { EXPECT_EQ(run_goldens("sum_"), 25); }
TEST(ReduceGolden, Mean) { EXPECT_EQ(run_goldens("mean_"), 12); }
TEST(ReduceGolden, Prod) { EXPECT_EQ(run_goldens("prod_"), 14); }
TEST(ReduceGolden, AmaxAmin) {
  EXPECT_EQ(run_goldens("amax_"), 16);
  EXPECT_EQ(run_goldens("amin_"), 16);
}
TEST(ReduceGolden, MaxMinDim) {
  EXPECT_EQ(run_goldens("max_dim_"), 26);
  EXPECT_EQ(run_goldens("min_dim_"), 26);
}
TEST(ReduceGolden, ArgmaxArgmin) {
  EXPECT_EQ(run_goldens("argmax_"), 16);
  EXPECT_EQ(run_goldens("argmin_"), 16);
}
TEST(ReduceGolden, VarStd) {
  EXPECT_EQ(run_goldens("var_"), 16);
  EXPECT_EQ(run_goldens("std_"), 16);
}
TEST(ReduceGolden, LogSumExp) { EXPECT_EQ(run_goldens("logsumexp_"), 14); }
TEST(ReduceGolden, Norm) { EXPECT_EQ(run_goldens("norm_"), 47); }
TEST(ReduceGolden, Softmax) {
  EXPECT_EQ(run_goldens("softmax_"), 17);
  EXPECT_EQ(run_goldens("log_softmax_"), 17);
}

// --- dtype rules -------------------------------------------------------------

TEST(Reduce, ResultDtypes) {
  Tensor i32 = tensor({{1, 2}, {3, 4}}, TensorOptions().dtype(kInt32));
  Tensor b = tensor({true, false, true});
  Tensor u8 = tensor({200, 100}, TensorOptions().dtype(kUInt8));
  EXPECT_EQ(i32.sum().dtype(), kInt64);
  EXPECT_EQ(i32.sum().item<int64_t>(), 10);
  EXPECT_EQ(b.sum().dtype(), kInt64);
  EXPECT_EQ(b.sum().item<int64_t>(), 2);
  EXPECT_EQ(u8.sum().item<int64_t>(), 300); // no uint8 wrap-around
  EXPECT_EQ(b.prod().dtype(), kInt64);
  EXPECT_EQ(i32.prod(0).dtype(), kInt64);
  EXPECT_EQ(amax(b, {}).dtype(), kBool);
  EXPECT_EQ(i32.max().dtype(), kInt32);
  auto [v, idx] = i32.max(1);
  EXPECT_EQ(v.dtype(), kInt32);
  EXPECT_EQ(idx.dtype(), kInt64);
  EXPECT_EQ(i32.argmax().dtype(), kInt64);
  EXPECT_EQ(logsumexp(i32, {0}).dtype(), kFloat32);
  // sum(dtype=) casts the input first, as PyTorch.
  Tensor f = tensor({1.5, 2.5});
  Tensor s = sum(f, {0}, false, kInt64);
  EXPECT_EQ(s.dtype(), kInt64);
  EXPECT_EQ(s.item<int64_t>(), 3);
  EXPECT_EQ(sum(i32, {}, false, kFloat64).dtype(), kFloat64);
}

TEST(Reduce, IntegerSumWrapsLikePyTorch) {
  Tensor x =
      tensor(std::vector<int64_t>{std::numeric_limits<int64_t>::max(), 1});
  EXPECT_EQ(x.sum().item<int64_t>(), std::numeric_limits<int64_t>::min());
}

TEST(Reduce, ShapesAndEdgeCases) {
  Tensor x = ones({2, 3, 4});
  EXPECT_EQ(x.sum({0, 2}).sizes(), IntArrayRef({3}));
  EXPECT_EQ(x.sum({0, 2}, true).sizes(), IntArrayRef({1, 3, 1}));
  EXPECT_EQ(x.sum({-1, -3}).sizes(), IntArrayRef({3}));
  EXPECT_EQ(x.sum({}, true).sizes(), IntArrayRef({1, 1, 1}));
  EXPECT_EQ(x.argmax(std::nullopt, true).sizes(), IntArrayRef({1, 1, 1}));
  Tensor s = full({}, 2.5);
  EXPECT_EQ(s.sum(0).dim(), 0);
  EXPECT_EQ(s.sum({-1}, true).dim(), 0);
  EXPECT_EQ(std::get<1>(s.max(0)).item<int64_t>(), 0);
  EXPECT_DOUBLE_EQ(s.softmax(0).item<double>(), 1.0);
  Tensor e = zeros({0, 3});
  EXPECT_EQ(e.sum().item<float>(), 0.0f);
  EXPECT_EQ(e.prod().item<float>(), 1.0f);
  EXPECT_TRUE(std::isnan(e.mean().item<float>()));
  EXPECT_EQ(amax(e, {1}).sizes(), IntArrayRef({0}));
  EXPECT_EQ(std::get<0>(e.max(1)).sizes(), IntArrayRef({0}));
}

TEST(Reduce, NanPropagatesAndFirstIndexWins) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Tensor x = tensor({1.0, nan, 3.0, nan});
  EXPECT_TRUE(std::isnan(x.max().item<float>()));
  EXPECT_TRUE(std::isnan(x.min().item<float>()));
  EXPECT_EQ(x.argmax().item<int64_t>(), 1);
  EXPECT_EQ(x.argmin().item<int64_t>(), 1);
  Tensor t = tensor({2, 7, 1, 7, 1});
  EXPECT_EQ(t.argmax().item<int64_t>(), 1);
  EXPECT_EQ(t.argmin().item<int64_t>(), 2);
}

TEST(Reduce, VarCorrectionBeyondCount) {
  Tensor x = tensor({1.0, 2.0});
  EXPECT_TRUE(std::isinf(var(x, {0}, 2).item<float>()));
  EXPECT_TRUE(std::isnan(var(ones({2}), {0}, 3).item<float>()));
  EXPECT_TRUE(std::isnan(tensor({1.0}).var().item<float>()));
  EXPECT_FLOAT_EQ(var(x, {0}, -1).item<float>(), 0.5f / 3.0f);
}

TEST(Softmax, StableForLargeInputs) {
  Tensor x = tensor({1000.0, 1000.0, -1000.0});
  Tensor s = softmax(x, 0);
  EXPECT_FLOAT_EQ(s.data_ptr<float>()[0], 0.5f);
  EXPECT_FLOAT_EQ(s.data_ptr<float>()[2], 0.0f);
  Tensor l = log_softmax(tensor({1000.0, 0.0}), 0);
  EXPECT_FLOAT_EQ(l.data_ptr<float>()[0], 0.0f);
  EXPECT_FLOAT_EQ(l.data_ptr<float>()[1], -1000.0f);
}

// --- errors
// --------------------------------------------------------------------

TEST(ReduceErrors, FloatOnlyOps) {
  Tensor i = arange(6).view({2, 3});
  EXPECT_EMBER_ERROR(
      i.mean(), "ember::mean: could not infer output dtype. Input dtype "
                "must be either a floating point or complex dtype. Got: int64");
  EXPECT_EMBER_ERROR(i.mean({0}), "could not infer output dtype");
  EXPECT_EMBER_ERROR(i.var(),
                     "ember::var: std and var only support floating point");
  EXPECT_EMBER_ERROR(i.std({1}),
                     "ember::std: std and var only support floating point");
  EXPECT_EMBER_ERROR(
      i.norm(), "ember::norm: input dtype should be either floating point");
  EXPECT_EMBER_ERROR(tensor({true}).mean(), "Got: bool");
  EXPECT_EMBER_ERROR(i.softmax(1),
                     "ember::softmax: expected a floating point input");
  EXPECT_EMBER_ERROR(i.log_softmax(0),
                     "ember::log_softmax: expected a floating point input");
  EXPECT_EMBER_ERROR(tensor({true, false}).argmax(),
                     "ember::argmax: not implemented for bool");
  EXPECT_EMBER_ERROR(tensor({true, false}).argmin(0),
                     "ember::argmin: not implemented for bool");
}

TEST(ReduceErrors, EmptyReductions) {
  Tensor e = zeros({0, 3});
  EXPECT_EMBER_ERROR(e.max(),
                     "ember::max: expected reduction dim to be specified for "
                     "input.numel() == 0");
  EXPECT_EMBER_ERROR(e.min(),
                     "ember::min: expected reduction dim to be specified");
  EXPECT_EMBER_ERROR(amax(e, {}),
                     "ember::amax: expected reduction dim to be specified");
  EXPECT_EMBER_ERROR(
      amin(e, {0}),
      "ember::amin: expected reduction dim 0 to have non-zero size");
  EXPECT_EMBER_ERROR(
      e.max(0),
      "ember::max_dim: expected reduction dim 0 to have non-zero size");
  EXPECT_EMBER_ERROR(e.argmax(),
                     "ember::argmax: expected reduction dim to be specified");
  EXPECT_EMBER_ERROR(
      e.argmin(-2), "ember::argmin: expected reduction dim 0 to have non-zero");
}

TEST(ReduceErrors, BadDims) {
  Tensor x = ones({2, 3});
  EXPECT_EMBER_ERROR(x.sum({0, 0}), "ember::sum: dim 0 appears multiple times");
  EXPECT_EMBER_ERROR(amax(x, {1, -1}),
                     "ember::amax: dim 1 appears multiple times");
  EXPECT_EMBER_ERROR(x.sum({2}), "ember::sum: dimension out of range");
  EXPECT_EMBER_ERROR(x.max(-3), "ember::max_dim: dimension out of range");
  EXPECT_EMBER_ERROR(x.softmax(2), "ember::softmax: dimension out of range");
  EXPECT_EMBER_ERROR(full({}, 1.0).sum({0, -1}),
                     "dim 0 appears multiple times");
}

// --- large inputs: parallel paths, accuracy, determinism
// -----------------------

namespace {

// Deterministic pseudo-random floats in [-1, 1) plus an offset.
Tensor noise(IntArrayRef shape, double offset = 0, uint32_t seed = 1) {
  Tensor t = empty(shape, TensorOptions().dtype(kFloat32));
  float *p = t.data_ptr<float>();
  uint32_t s = seed;
  for (int64_t i = 0; i < t.numel(); ++i) {
    s = s * 1664525u + 1013904223u;
    p[i] = static_cast<float>(offset + (s >> 8) * (2.0 / 16777216.0) - 1.0);
  }
  return t;
}

// Reference sums over dim `d` of a contiguous 2-D float tensor, in long double.
std::vector<long double> ref_sums(const Tensor &x, int d) {
  const int64_t R = x.size(0), C = x.size(1);
  const float *p = x.data_ptr<float>();
  std::vector<long double> out(d == 0 ? C : R, 0.0L);
  for (int64_t r = 0; r < R; ++r)
    for (int64_t c = 0; c < C; ++c)
      out[d == 0 ? c : r] += p[r * C + c];
  return out;
}

void expect_matches(const Tensor &got, const std::vector<long double> &ref,
                    double rtol) {
  ASSERT_EQ(got.numel(), static_cast<int64_t>(ref.size()));
  Tensor g = got.contiguous();
  for (size_t i = 0; i < ref.size(); ++i)
    ASSERT_NEAR(g.data_ptr<float>()[i], static_cast<double>(ref[i]),
                rtol * std::abs(static_cast<double>(ref[i])) + 1e-4)
        << "at " << i;
}

// Runs f with 1, 2 and 5 threads; every result must be bitwise identical.
void expect_thread_invariant(const std::function<Tensor()> &f) {
  const int saved = get_num_threads();
  set_num_threads(1);
  Tensor ref = f();
  for (int n : {2, 5}) {
    set_num_threads(n);
    EXPECT_TRUE(tensors_equal(f(), ref)) << n << " threads";
  }
  set_num_threads(saved);
}

} // namespace

TEST(ReduceLarge, FullSumIsAccurateAndDeterministic) {
  // Mean 1000 with noise: a float32 running sum would lose ~3 digits here.
  Tensor x = noise({3 * 1000003}, 1000.0);
  long double ref = 0;
  for (int64_t i = 0; i < x.numel(); ++i)
    ref += x.data_ptr<float>()[i];
  EXPECT_NEAR(x.sum().item<double>(), static_cast<double>(ref),
              1e-6 * static_cast<double>(ref));
  EXPECT_NEAR(x.mean().item<double>(), static_cast<double>(ref / x.numel()),
              1e-4);
  expect_thread_invariant([&] { return x.sum(); });
  expect_thread_invariant([&] { return x.var(); });
  expect_thread_invariant([&] { return x.norm(); });
}

TEST(ReduceLarge, OutputLayouts) {
  Tensor x = noise({2000, 301}, 3.0, 2);
  expect_matches(x.sum({0}), ref_sums(x, 0), 1e-6);     // tiled columns
  expect_matches(x.sum({1}), ref_sums(x, 1), 1e-6);     // per-output rows
  expect_matches(x.t().sum({1}), ref_sums(x, 0), 1e-6); // transposed view
  expect_matches(x.t().sum({0}), ref_sums(x, 1), 1e-6);
  Tensor w = noise({3, 200000}, -2.0, 3); // few long rows: split
  expect_matches(w.sum({1}), ref_sums(w, 1), 1e-6);
  expect_matches(w.t().contiguous().sum({0}), ref_sums(w, 1), 1e-6);
  for (const Tensor &t : {x, w, x.t()}) {
    expect_thread_invariant([&] { return t.sum({0}); });
    expect_thread_invariant([&] { return t.sum({1}); });
    expect_thread_invariant([&] { return t.var({1}); });
    expect_thread_invariant([&] { return logsumexp(t, {0}); });
    expect_thread_invariant([&] { return std::get<1>(t.max(1)); });
  }
}

TEST(ReduceLarge, ArgmaxFirstIndexAcrossBlocks) {
  Tensor x = zeros({300000});
  float *p = x.data_ptr<float>();
  p[250000] = 5;
  p[40000] = 5;
  p[299999] = -5;
  p[100] = -5;
  expect_thread_invariant([&] { return x.argmax(); });
  EXPECT_EQ(x.argmax().item<int64_t>(), 40000);
  EXPECT_EQ(x.argmin().item<int64_t>(), 100);
  EXPECT_EQ(std::get<1>(x.view({3, 100000}).max(1)).data_ptr<int64_t>()[0],
            40000);
  p[200000] = std::numeric_limits<float>::quiet_NaN();
  p[70000] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(x.argmax().item<int64_t>(), 70000);
  EXPECT_TRUE(std::isnan(amax(x, {}).item<float>()));
  EXPECT_EQ(x.view({3000, 100}).argmin().item<int64_t>(), 70000);
}

TEST(ReduceLarge, NonContiguousInputs) {
  Tensor x = noise({64, 50, 40}, 0.5, 4);
  Tensor sliced = x.slice(1, 1, std::nullopt, 3).transpose(0, 2);
  Tensor dense = sliced.contiguous();
  const std::vector<std::vector<int64_t>> dim_lists = {{0}, {1}, {0, 2}, {}};
  for (const std::vector<int64_t> &dims : dim_lists) {
    EXPECT_TRUE(allclose(sliced.sum(dims), dense.sum(dims), 1e-6, 1e-5));
    EXPECT_TRUE(allclose(sliced.var(dims), dense.var(dims), 1e-5, 1e-6));
    EXPECT_TRUE(tensors_equal(amax(sliced, dims), amax(dense, dims)));
  }
  EXPECT_TRUE(
      tensors_equal(std::get<1>(sliced.min(1)), std::get<1>(dense.min(1))));
  EXPECT_TRUE(tensors_equal(sliced.argmax(), dense.argmax()));
  EXPECT_TRUE(allclose(sliced.softmax(1), dense.softmax(1)));
  EXPECT_TRUE(allclose(sliced.log_softmax(0), dense.log_softmax(0)));
  // An expanded (stride-0) input.
  Tensor row = noise({1, 7}, 0.0, 5);
  Tensor big = row.expand({5000, 7});
  EXPECT_TRUE(allclose(big.sum({0}), row.sum({0}) * 5000.0, 1e-6, 1e-3));
}

TEST(SoftmaxLarge, RowsAndColumnsNormalise) {
  Tensor x = noise({64, 1000}, 0.0, 6) * 20.0;
  for (int64_t d : {0, 1}) {
    Tensor s = x.softmax(d);
    Tensor tot = s.sum({d});
    EXPECT_TRUE(allclose(tot, ones_like(tot), 1e-5, 1e-5));
    EXPECT_TRUE(allclose(x.log_softmax(d), s.log(), 1e-4, 1e-5));
    expect_thread_invariant([&] { return x.softmax(d); });
  }
}

// torch.all / torch.any: bool results, NaN counts as nonzero, empty input
// gives all = true and any = false, dim and keepdim as torch's.
TEST(ReduceAllAny, MatchTorchSemantics) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Tensor x = tensor({1.0, 0.0, 2.0, 3.0, nan, -1.0}).reshape({2, 3});
  EXPECT_EQ(x.all().dtype(), kBool);
  EXPECT_EQ(x.all().dim(), 0);
  EXPECT_FALSE(x.all().item<bool>());
  EXPECT_TRUE(x.any().item<bool>());
  EXPECT_TRUE(tensors_equal(x.all(1), tensor({false, true})));
  EXPECT_TRUE(tensors_equal(x.all(0), tensor({true, false, true})));
  EXPECT_TRUE(tensors_equal(x.any(0), tensor({true, true, true})));
  EXPECT_EQ(x.all(1, /*keepdim=*/true).sizes().vec(),
            (std::vector<int64_t>{2, 1}));
  Tensor zeros2 = zeros({2, 3});
  EXPECT_FALSE(zeros2.any().item<bool>());
  EXPECT_TRUE(tensors_equal(zeros2.any(-1), tensor({false, false})));
  Tensor empty = zeros({0, 3});
  EXPECT_TRUE(empty.all().item<bool>());
  EXPECT_FALSE(empty.any().item<bool>());
  Tensor flags = tensor({true, true, false});
  EXPECT_FALSE(flags.all().item<bool>());
  EXPECT_TRUE(flags.any().item<bool>());
  EXPECT_TRUE(tensor({3L, 4L}).all().item<bool>());
}
