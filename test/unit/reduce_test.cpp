// Reductions and softmax against PyTorch goldens (test/golden/gen_reduce.py:
// the table below mirrors its cases, name for name), plus dtype rules, edge
// cases, error messages, the parallel paths and their determinism.
// test_util.h uses std::isnan without including <cmath>.
#include <cmath>

#include "test_util.h"

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
    add("sum_" + inp + "_d02k", inp, [](const Tensor &x) { return x.sum({0, 2}, true); });
    add("sum_" + inp + "_dm1", inp, [](const Tensor &x) { return x.sum({-1}); });
  }
  add("sum_xb_d0", "xb", [](const Tensor &x) { return x.sum({0}); });
  add("sum_xi_f64", "xi", [](const Tensor &x) { return sum(x, {1}, false, kFloat64); });
  add("sum_x32_allk", "x32", [](const Tensor &x) { return x.sum({0, 1, 2}, true); });
  add("sum_xe_all", "xe", [](const Tensor &x) { return x.sum(); });
  add("sum_xe_d0", "xe", [](const Tensor &x) { return x.sum({0}); });
  add("sum_xe_d1", "xe", [](const Tensor &x) { return x.sum({1}); });
  // mean
  for (std::string inp : {"x32", "x64", "xt", "xs", "xe"})
    add("mean_" + inp + "_all", inp, [](const Tensor &x) { return x.mean(); });
  for (std::string inp : {"x32", "x64", "xt"}) {
    add("mean_" + inp + "_d12k", inp, [](const Tensor &x) { return x.mean({1, 2}, true); });
    add("mean_" + inp + "_d0", inp, [](const Tensor &x) { return x.mean({0}); });
  }
  add("mean_xe_d0", "xe", [](const Tensor &x) { return x.mean({0}); });
  // prod
  for (std::string inp : {"x32", "xi32", "xb", "xs", "xe"})
    add("prod_" + inp + "_all", inp, [](const Tensor &x) { return x.prod(); });
  for (std::string inp : {"x32", "x64", "xi", "xt"}) {
    add("prod_" + inp + "_d1", inp, [](const Tensor &x) { return x.prod(1); });
    add("prod_" + inp + "_d2k", inp, [](const Tensor &x) { return x.prod(2, true); });
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
  const DimCase dim_cases[] = {{"x32", 1, false}, {"x32", 0, true},  {"x64", 2, false},
                               {"xi", 0, false},  {"xtie", 1, false}, {"xtie", 0, true},
                               {"xn", 1, false},  {"xn", 0, false},  {"xt", 2, false},
                               {"xt", 0, true},   {"xb", 1, false},  {"xs", 0, false},
                               {"xi32", -1, false}};
  for (bool is_max : {true, false}) {
    for (const DimCase &dc : dim_cases) {
      std::string name = std::string(is_max ? "max" : "min") + "_dim_" + dc.input + "_d" +
                         dim_name(dc.dim) + (dc.keepdim ? "k" : "");
      for (int which : {0, 1}) {
        add(name + (which == 0 ? "_values" : "_indices"), dc.input,
            [is_max, dc, which](const Tensor &x) {
              auto [v, i] = is_max ? x.max(dc.dim, dc.keepdim) : x.min(dc.dim, dc.keepdim);
              return which == 0 ? v : i;
            });
      }
    }
  }
  // argmax / argmin
  for (bool is_max : {true, false}) {
    std::string op = is_max ? "argmax" : "argmin";
    auto f = [is_max](std::optional<int64_t> d, bool k) {
      return [is_max, d, k](const Tensor &x) { return is_max ? argmax(x, d, k) : argmin(x, d, k); };
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
  const std::pair<const char *, Scalar> ps[] = {{"2", 2},     {"1", 1},      {"inf", kInf},
                                                {"ninf", -kInf}, {"0", 0},   {"3", 3},
                                                {"0p5", 0.5}, {"n1", -1},    {"1p5", 1.5}};
  for (const auto &[pn, p] : ps) {
    std::string s = pn;
    Scalar pv = p;
    auto f = [pv](IntArrayRef dims, bool k) {
      std::vector<int64_t> d = dims.vec();
      return [pv, d, k](const Tensor &x) { return norm(x, pv, d, k); };
    };
    add("norm_x32_p" + s + "_all", "x32", [pv](const Tensor &x) { return x.norm(pv); });
    add("norm_x32_p" + s + "_d1", "x32", f({1}, false));
    add("norm_xt_p" + s + "_d02k", "xt", f({0, 2}, true));
    add("norm_xe_p" + s + "_all", "xe", [pv](const Tensor &x) { return x.norm(pv); });
    add("norm_xe_p" + s + "_d0", "xe", f({0}, false));
  }
  add("norm_x64_p2_d2", "x64", [](const Tensor &x) { return norm(x, 2, {2}); });
  add("norm_xs_p2_all", "xs", [](const Tensor &x) { return x.norm(); });
  // softmax / log_softmax
  for (bool log : {false, true}) {
    std::string op = log ? "log_softmax" : "softmax";
    auto f = [log](int64_t d) {
      return [log, d](const Tensor &x) { return log ? log_softmax(x, d) : softmax(x, d); };
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
      EXPECT_TRUE(allclose(got, expected, f64 ? 1e-12 : 2e-6, f64 ? 1e-12 : 1e-6));
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
