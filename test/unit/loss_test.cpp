// Loss functions and modules: PyTorch goldens for values and gradients
// (test/golden/gen_loss.py, same case table), float64 gradcheck of every
// loss, the loss modules (options, buffers, repr), edge cases and errors.
#include "test_util.h"

#include <ember/nn/loss.h>

#include <cmath>
#include <functional>

using namespace ember;
using ember::testing::allclose;
using ember::testing::golden;
namespace F = ember::nn::functional;

namespace {

/// One named input set of the goldens: <set>_input, <set>_target, ...;
/// floating tensors are returned in `dtype` (float64 widens exactly).
struct Set {
  std::string name;
  DType dtype = kFloat32;
  Tensor get(const std::string &key) const {
    Tensor t = golden("loss", name + "_" + key);
    return t.is_floating_point() ? t.to(dtype) : t;
  }
};

using LossFn =
    std::function<Tensor(const Tensor &x, const Tensor &t, const Set &s)>;

struct Case {
  std::string name, set;
  LossFn fn;
  bool tgrad = false; // compare the (floating) target's gradient too
  bool grad = true;   // compare the input's gradient
};

// The table of gen_loss.py (same names, sets and options).
std::vector<Case> cases() {
  std::vector<Case> c;
  auto add = [&](std::string name, std::string set, LossFn fn,
                 bool tgrad = false, bool grad = true) {
    c.push_back({std::move(name), std::move(set), std::move(fn), tgrad, grad});
  };
  for (std::string red : {"none", "mean", "sum"}) {
    add(
        "mse_" + red, "reg",
        [red](auto &x, auto &t, auto &) {
          return F::mse_loss(x, t, nn::MSELossOptions().reduction(red));
        },
        true);
    add(
        "l1_" + red, "reg",
        [red](auto &x, auto &t, auto &) {
          return F::l1_loss(x, t, nn::L1LossOptions().reduction(red));
        },
        true);
    add(
        "smooth_l1_" + red, "reg",
        [red](auto &x, auto &t, auto &) {
          return F::smooth_l1_loss(x, t,
                                   nn::SmoothL1LossOptions().reduction(red));
        },
        true);
  }
  add(
      "mse_bcast_mean", "bcast",
      [](auto &x, auto &t, auto &) { return F::mse_loss(x, t); }, true);
  add(
      "smooth_l1_beta05_mean", "reg",
      [](auto &x, auto &t, auto &) {
        return F::smooth_l1_loss(x, t, nn::SmoothL1LossOptions().beta(0.5));
      },
      true);
  add("smooth_l1_beta0_sum", "reg", [](auto &x, auto &t, auto &) {
    return F::smooth_l1_loss(
        x, t, nn::SmoothL1LossOptions().beta(0).reduction("sum"));
  });

  using NLL = nn::NLLLossOptions;
  for (std::string red : {"none", "mean", "sum"}) {
    add("nll_" + red, "nll", [red](auto &x, auto &t, auto &) {
      return F::nll_loss(x, t, NLL().reduction(red));
    });
    add("nll_weight_" + red, "nll_w", [red](auto &x, auto &t, auto &s) {
      return F::nll_loss(x, t, NLL().weight(s.get("weight")).reduction(red));
    });
    add("nll_weight_ignore_" + red, "nll_ig_w",
        [red](auto &x, auto &t, auto &s) {
          return F::nll_loss(x, t,
                             NLL().weight(s.get("weight")).reduction(red));
        });
    add("nll_spatial_" + red, "nll_sp", [red](auto &x, auto &t, auto &s) {
      return F::nll_loss(x, t, NLL().weight(s.get("weight")).reduction(red));
    });
  }
  add("nll_ignore_mean", "nll_ig",
      [](auto &x, auto &t, auto &) { return F::nll_loss(x, t); });
  add("nll_ignore_class_mean", "nll_igc", [](auto &x, auto &t, auto &s) {
    return F::nll_loss(x, t, NLL().weight(s.get("weight")).ignore_index(1));
  });
  add("nll_all_ignored_mean", "nll_all",
      [](auto &x, auto &t, auto &) { return F::nll_loss(x, t); });
  add("nll_all_ignored_sum", "nll_all", [](auto &x, auto &t, auto &) {
    return F::nll_loss(x, t, NLL().reduction("sum"));
  });
  add("nll_all_ignored_weight_mean", "nll_all_w",
      [](auto &x, auto &t, auto &s) {
        return F::nll_loss(x, t, NLL().weight(s.get("weight")));
      });
  add("nll_3d_mean", "nll_3d",
      [](auto &x, auto &t, auto &) { return F::nll_loss(x, t); });
  add("nll_unbatched_none", "nll_ub", [](auto &x, auto &t, auto &) {
    return F::nll_loss(x, t, NLL().reduction("none"));
  });
  add("nll_unbatched_mean", "nll_ub",
      [](auto &x, auto &t, auto &) { return F::nll_loss(x, t); });

  using CE = nn::CrossEntropyLossOptions;
  for (std::string red : {"none", "mean", "sum"}) {
    add("ce_" + red, "ce", [red](auto &x, auto &t, auto &) {
      return F::cross_entropy(x, t, CE().reduction(red));
    });
    add("ce_weight_" + red, "ce_w", [red](auto &x, auto &t, auto &s) {
      return F::cross_entropy(x, t,
                              CE().weight(s.get("weight")).reduction(red));
    });
    add("ce_weight_ignore_" + red, "ce_ig_w", [red](auto &x, auto &t, auto &s) {
      return F::cross_entropy(x, t,
                              CE().weight(s.get("weight")).reduction(red));
    });
    add("ce_ls_" + red, "ce", [red](auto &x, auto &t, auto &) {
      return F::cross_entropy(x, t, CE().label_smoothing(0.1).reduction(red));
    });
    add("ce_ls_weight_ignore_" + red, "ce_ig_w",
        [red](auto &x, auto &t, auto &s) {
          return F::cross_entropy(
              x, t,
              CE().weight(s.get("weight")).label_smoothing(0.2).reduction(red));
        });
    add(
        "ce_prob_" + red, "ce_p",
        [red](auto &x, auto &t, auto &) {
          return F::cross_entropy(x, t, CE().reduction(red));
        },
        true);
    add(
        "ce_prob_weight_ls_" + red, "ce_p_w",
        [red](auto &x, auto &t, auto &s) {
          return F::cross_entropy(
              x, t,
              CE().weight(s.get("weight")).label_smoothing(0.3).reduction(red));
        },
        true);
    add("ce_spatial_" + red, "ce_sp", [red](auto &x, auto &t, auto &) {
      return F::cross_entropy(x, t, CE().reduction(red));
    });
    add("ce_spatial_weight_ls_" + red, "ce_sp_w",
        [red](auto &x, auto &t, auto &s) {
          return F::cross_entropy(
              x, t,
              CE().weight(s.get("weight")).label_smoothing(0.1).reduction(red));
        });
    add(
        "ce_prob_spatial_" + red, "ce_sp_p",
        [red](auto &x, auto &t, auto &) {
          return F::cross_entropy(x, t, CE().reduction(red));
        },
        true);
  }
  add("ce_ignore_mean", "ce_ig",
      [](auto &x, auto &t, auto &) { return F::cross_entropy(x, t); });
  add("ce_ignore_class_ls_mean", "ce", [](auto &x, auto &t, auto &) {
    return F::cross_entropy(x, t, CE().ignore_index(4).label_smoothing(0.1));
  });
  add(
      "ce_prob_weight_mean", "ce_p_w",
      [](auto &x, auto &t, auto &s) {
        return F::cross_entropy(x, t, CE().weight(s.get("weight")));
      },
      true);
  add("ce_3d_mean", "ce_3d",
      [](auto &x, auto &t, auto &) { return F::cross_entropy(x, t); });
  add("ce_3d_ls_none", "ce_3d", [](auto &x, auto &t, auto &) {
    return F::cross_entropy(x, t, CE().label_smoothing(0.1).reduction("none"));
  });
  add("ce_unbatched_mean", "ce_ub",
      [](auto &x, auto &t, auto &) { return F::cross_entropy(x, t); });
  add("ce_unbatched_ls_none", "ce_ub", [](auto &x, auto &t, auto &) {
    return F::cross_entropy(x, t, CE().label_smoothing(0.1).reduction("none"));
  });
  add(
      "ce_prob_unbatched_mean", "ce_ub_p",
      [](auto &x, auto &t, auto &) { return F::cross_entropy(x, t); }, true);
  add("ce_all_ignored_mean", "ce_all",
      [](auto &x, auto &t, auto &) { return F::cross_entropy(x, t); });
  add("ce_all_ignored_ls_mean", "ce_all", [](auto &x, auto &t, auto &) {
    return F::cross_entropy(x, t, CE().label_smoothing(0.1));
  });

  using BCE = nn::BCELossOptions;
  for (std::string red : {"none", "mean", "sum"})
    add(
        "bce_" + red, "bce",
        [red](auto &x, auto &t, auto &) {
          return F::binary_cross_entropy(x, t, BCE().reduction(red));
        },
        true);
  add(
      "bce_weight_mean", "bce_w",
      [](auto &x, auto &t, auto &s) {
        return F::binary_cross_entropy(x, t, BCE().weight(s.get("weight")));
      },
      true);
  add("bce_weight_none", "bce_w2", [](auto &x, auto &t, auto &s) {
    return F::binary_cross_entropy(
        x, t, BCE().weight(s.get("weight")).reduction("none"));
  });
  add(
      "bce_edge_none", "bce_edge",
      [](auto &x, auto &t, auto &) {
        return F::binary_cross_entropy(x, t, BCE().reduction("none"));
      },
      false, false);

  using BCEL = nn::BCEWithLogitsLossOptions;
  for (std::string red : {"none", "mean", "sum"}) {
    add(
        "bcel_" + red, "bcel",
        [red](auto &x, auto &t, auto &) {
          return F::binary_cross_entropy_with_logits(x, t,
                                                     BCEL().reduction(red));
        },
        true);
    add(
        "bcel_pos_weight_" + red, "bcel_pw",
        [red](auto &x, auto &t, auto &s) {
          return F::binary_cross_entropy_with_logits(
              x, t, BCEL().pos_weight(s.get("pos_weight")).reduction(red));
        },
        true);
  }
  add(
      "bcel_weight_mean", "bcel_w",
      [](auto &x, auto &t, auto &s) {
        return F::binary_cross_entropy_with_logits(
            x, t, BCEL().weight(s.get("weight")));
      },
      true);
  add(
      "bcel_both_sum", "bcel_both",
      [](auto &x, auto &t, auto &s) {
        return F::binary_cross_entropy_with_logits(
            x, t,
            BCEL()
                .weight(s.get("weight"))
                .pos_weight(s.get("pos_weight"))
                .reduction("sum"));
      },
      true);
  add(
      "bcel_extreme_none", "bcel_ext",
      [](auto &x, auto &t, auto &) {
        return F::binary_cross_entropy_with_logits(x, t,
                                                   BCEL().reduction("none"));
      },
      true);
  return c;
}

/// The tolerance: 1e-5 relative in float32 (with a small absolute
/// floor for values near zero).
::testing::AssertionResult close32(const Tensor &got, const Tensor &want) {
  return allclose(got, want, 1e-5, 1e-6);
}

/// Runs backward; false (and the message) when a gradient rule the loss
/// is composed of does not exist yet.
bool backward_or_missing(const Tensor &out, const Tensor &gout,
                         std::string &missing) {
  try {
    out.backward(gout);
    return true;
  } catch (const Error &e) {
    std::string msg = e.what();
    if (msg.find("is not implemented") == std::string::npos)
      throw;
    missing = msg;
    return false;
  }
}

void PrintTo(const Case &c, std::ostream *os) { *os << c.name; }

class LossGolden : public ::testing::TestWithParam<Case> {};

/// Runs case c in dtype (float32: against <case>_out/_grad/_tgrad within
/// 1e-5 relative; float64: against <case>_out64/_grad64 within 1e-10).
void check_case(const Case &c, DType dtype) {
  const bool f64 = dtype == kFloat64;
  const std::string sfx = f64 ? "64" : "";
  auto close = [&](const Tensor &got, const std::string &name) {
    Tensor want = golden("loss", c.name + "_" + name + sfx);
    return f64 ? allclose(got, want, 1e-10, 1e-12) : close32(got, want);
  };
  const Set s{c.set, dtype};
  Tensor x = s.get("input"), t = s.get("target");
  if (c.grad)
    x.requires_grad_();
  if (c.tgrad && !f64)
    t.requires_grad_();
  Tensor out = c.fn(x, t, s);
  EXPECT_TRUE(close(out, "out"));
  if (!c.grad)
    return;
  Tensor gout =
      out.dim() == 0 ? Tensor() : golden("loss", c.name + "_gout").to(dtype);
  std::string missing;
  if (!backward_or_missing(out, gout, missing))
    GTEST_SKIP() << "forward checked; gradient rule missing: " << missing;
  EXPECT_TRUE(close(x.grad(), "grad"));
  if (c.tgrad && !f64) {
    EXPECT_TRUE(close(t.grad(), "tgrad"));
  }
}

TEST_P(LossGolden, Float32) { check_case(GetParam(), kFloat32); }
TEST_P(LossGolden, Float64) { check_case(GetParam(), kFloat64); }

INSTANTIATE_TEST_SUITE_P(Torch, LossGolden, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<Case> &info) {
                           return info.param.name;
                         });

/// gradcheck that reports (as a skip) a gradient rule still missing.
void expect_gradcheck(const std::function<Tensor(const TensorList &)> &fn,
                      const TensorList &inputs) {
  try {
    EXPECT_TRUE(autograd::gradcheck(fn, inputs));
  } catch (const Error &e) {
    if (std::string(e.what()).find("is not implemented") == std::string::npos)
      throw;
    GTEST_SKIP() << "gradient rule missing: " << e.what();
  }
}

Tensor in64(const std::string &set, const std::string &key = "input") {
  return Set{set}.get(key).to(kFloat64).requires_grad_();
}
Tensor const64(const std::string &set, const std::string &key) {
  Tensor t = Set{set}.get(key);
  return t.is_floating_point() ? t.to(kFloat64) : t;
}

} // namespace

// --- gradcheck (float64)
// ------------------------------------------------------

TEST(LossGradcheck, Regression) {
  TensorList xt{in64("reg"), in64("reg", "target")};
  expect_gradcheck([](const TensorList &v) { return F::mse_loss(v[0], v[1]); },
                   xt);
  expect_gradcheck(
      [](const TensorList &v) {
        return F::l1_loss(v[0], v[1], nn::L1LossOptions().reduction("none"));
      },
      xt);
  expect_gradcheck(
      [](const TensorList &v) {
        return F::smooth_l1_loss(
            v[0], v[1], nn::SmoothL1LossOptions().beta(0.7).reduction("sum"));
      },
      xt);
  expect_gradcheck([](const TensorList &v) { return F::mse_loss(v[0], v[1]); },
                   {in64("bcast"), in64("bcast", "target")});
}

TEST(LossGradcheck, NllLoss) {
  Tensor t = const64("nll_ig_w", "target"), w = const64("nll_ig_w", "weight");
  expect_gradcheck(
      [&](const TensorList &v) {
        return F::nll_loss(v[0], t, nn::NLLLossOptions().weight(w));
      },
      {in64("nll_ig_w")});
  Tensor ts = const64("nll_sp", "target"), ws = const64("nll_sp", "weight");
  expect_gradcheck(
      [&](const TensorList &v) {
        return F::nll_loss(v[0], ts,
                           nn::NLLLossOptions().weight(ws).reduction("none"));
      },
      {in64("nll_sp")});
}

TEST(LossGradcheck, CrossEntropy) {
  Tensor t = const64("ce_ig_w", "target"), w = const64("ce_ig_w", "weight");
  expect_gradcheck(
      [&](const TensorList &v) {
        return F::cross_entropy(
            v[0], t,
            nn::CrossEntropyLossOptions().weight(w).label_smoothing(0.2));
      },
      {in64("ce_ig_w")});
  Tensor ts = const64("ce_sp_w", "target"), ws = const64("ce_sp_w", "weight");
  expect_gradcheck(
      [&](const TensorList &v) {
        return F::cross_entropy(v[0], ts,
                                nn::CrossEntropyLossOptions()
                                    .weight(ws)
                                    .label_smoothing(0.1)
                                    .reduction("none"));
      },
      {in64("ce_sp_w")});
  // Probability targets: gradients for the input and the target.
  Tensor wp = const64("ce_p_w", "weight");
  expect_gradcheck(
      [&](const TensorList &v) {
        return F::cross_entropy(
            v[0], v[1],
            nn::CrossEntropyLossOptions().weight(wp).label_smoothing(0.3));
      },
      {in64("ce_p_w"), in64("ce_p_w", "target")});
  expect_gradcheck(
      [&](const TensorList &v) { return F::cross_entropy(v[0], v[1]); },
      {in64("ce_ub_p"), in64("ce_ub_p", "target")});
}

TEST(LossGradcheck, BinaryCrossEntropy) {
  Tensor w = const64("bce_w", "weight");
  expect_gradcheck(
      [&](const TensorList &v) {
        return F::binary_cross_entropy(v[0], v[1],
                                       nn::BCELossOptions().weight(w));
      },
      {in64("bce"), in64("bce", "target")});
  Tensor bw = const64("bcel_both", "weight"),
         pw = const64("bcel_both", "pos_weight");
  expect_gradcheck(
      [&](const TensorList &v) {
        return F::binary_cross_entropy_with_logits(
            v[0], v[1],
            nn::BCEWithLogitsLossOptions().weight(bw).pos_weight(pw).reduction(
                "none"));
      },
      {in64("bcel"), in64("bcel", "target")});
}

// --- modules
// ------------------------------------------------------------------

TEST(LossModule, ReprAndBuffers) {
  EXPECT_EQ(nn::MSELoss().repr(), "MSELoss()");
  EXPECT_EQ(nn::L1Loss().repr(), "L1Loss()");
  EXPECT_EQ(nn::SmoothL1Loss(nn::SmoothL1LossOptions().beta(0.5)).repr(),
            "SmoothL1Loss()");
  EXPECT_EQ(nn::NLLLoss().repr(), "NLLLoss()");
  EXPECT_EQ(nn::CrossEntropyLoss().repr(), "CrossEntropyLoss()");
  EXPECT_EQ(nn::BCELoss().repr(), "BCELoss()");
  EXPECT_EQ(nn::BCEWithLogitsLoss().repr(), "BCEWithLogitsLoss()");
  EXPECT_TRUE(nn::CrossEntropyLoss().state_dict().keys().empty());
  EXPECT_TRUE(nn::CrossEntropyLoss().parameters().empty());
  nn::NLLLoss nll(nn::NLLLossOptions().weight(ones({3})));
  EXPECT_EQ(nll.state_dict().keys(), std::vector<std::string>{"weight"});
  nn::BCEWithLogitsLoss bcel(
      nn::BCEWithLogitsLossOptions().pos_weight(ones({3})));
  EXPECT_EQ(bcel.state_dict().keys(), std::vector<std::string>{"pos_weight"});
  std::stringstream ss;
  ss << nn::CrossEntropyLoss(nn::CrossEntropyLossOptions().label_smoothing(.1));
  EXPECT_EQ(ss.str(), "CrossEntropyLoss()");
}

namespace {
struct WithCriterion : nn::Module {
  nn::CrossEntropyLoss criterion{
      nn::CrossEntropyLossOptions().weight(ones({3}))};
  WithCriterion() { register_module("criterion", criterion); }
};
} // namespace

TEST(LossModule, AsSubmodule) {
  WithCriterion m;
  EXPECT_EQ(m.repr(), "WithCriterion(\n  (criterion): CrossEntropyLoss()\n)");
  EXPECT_EQ(m.state_dict().keys(),
            std::vector<std::string>{"criterion.weight"});
  Tensor x = zeros({2, 3}).requires_grad_();
  Tensor loss = m.criterion(x, tensor({0, 2}));
  EXPECT_TRUE(loss.requires_grad());
  EXPECT_NEAR(loss.item<double>(), std::log(3.0), 1e-6);
}

TEST(LossModule, ForwardMatchesGoldens) {
  Set ce{"ce_ig_w"};
  nn::CrossEntropyLoss criterion(nn::CrossEntropyLossOptions()
                                     .weight(ce.get("weight"))
                                     .label_smoothing(0.2)
                                     .reduction("sum"));
  EXPECT_TRUE(close32(criterion(ce.get("input"), ce.get("target")),
                      golden("loss", "ce_ls_weight_ignore_sum_out")));
  Set igc{"nll_igc"};
  nn::NLLLoss nll(
      nn::NLLLossOptions().weight(igc.get("weight")).ignore_index(1));
  EXPECT_TRUE(close32(nll.forward(igc.get("input"), igc.get("target")),
                      golden("loss", "nll_ignore_class_mean_out")));
  Set reg{"reg"};
  EXPECT_TRUE(close32(nn::MSELoss()(reg.get("input"), reg.get("target")),
                      golden("loss", "mse_mean_out")));
  EXPECT_TRUE(close32(nn::L1Loss(nn::L1LossOptions().reduction("sum"))(
                          reg.get("input"), reg.get("target")),
                      golden("loss", "l1_sum_out")));
  EXPECT_TRUE(close32(nn::SmoothL1Loss(nn::SmoothL1LossOptions().beta(0.5))(
                          reg.get("input"), reg.get("target")),
                      golden("loss", "smooth_l1_beta05_mean_out")));
  Set bce{"bce_w"};
  EXPECT_TRUE(close32(nn::BCELoss(nn::BCELossOptions().weight(bce.get(
                          "weight")))(bce.get("input"), bce.get("target")),
                      golden("loss", "bce_weight_mean_out")));
  Set both{"bcel_both"};
  nn::BCEWithLogitsLoss bcel(nn::BCEWithLogitsLossOptions()
                                 .weight(both.get("weight"))
                                 .pos_weight(both.get("pos_weight"))
                                 .reduction("sum"));
  EXPECT_TRUE(close32(bcel(both.get("input"), both.get("target")),
                      golden("loss", "bcel_both_sum_out")));
  // The single-tensor forward of nn::Module does not apply to losses.
  EXPECT_EMBER_ERROR(bcel.forward(both.get("input")),
                     "BCEWithLogitsLoss has no forward(const Tensor&)");
}

TEST(LossModule, WeightBufferFollowsTo) {
  Set ce{"ce_w"};
  nn::CrossEntropyLoss criterion(
      nn::CrossEntropyLossOptions().weight(ce.get("weight").clone()));
  criterion.to(kFloat64);
  EXPECT_EQ(criterion.weight.dtype(), kFloat64);
  Tensor out = criterion(ce.get("input").to(kFloat64), ce.get("target"));
  EXPECT_EQ(out.dtype(), kFloat64);
  EXPECT_TRUE(allclose(out, golden("loss", "ce_weight_mean_out"), 1e-5, 1e-6,
                       /*check_dtype=*/false));
}

TEST(LossModule, OptionErrors) {
  EXPECT_EMBER_ERROR(nn::MSELoss(nn::MSELossOptions().reduction("avg")),
                     "nn::MSELoss: reduction must be 'none', 'mean' or "
                     "'sum', got 'avg'");
  EXPECT_EMBER_ERROR(nn::L1Loss(nn::L1LossOptions().reduction("Mean")),
                     "got 'Mean'");
  EXPECT_EMBER_ERROR(nn::SmoothL1Loss(nn::SmoothL1LossOptions().beta(-1)),
                     "nn::SmoothL1Loss: beta must be >= 0 (0 gives L1Loss), "
                     "got -1");
  EXPECT_EMBER_ERROR(
      nn::CrossEntropyLoss(nn::CrossEntropyLossOptions().label_smoothing(1.5)),
      "label_smoothing must be between 0.0 and 1.0, got 1.5");
  EXPECT_EMBER_ERROR(
      nn::CrossEntropyLoss(nn::CrossEntropyLossOptions().label_smoothing(-.1)),
      "got -0.1");
  EXPECT_EMBER_ERROR(
      nn::NLLLoss(nn::NLLLossOptions().weight(ones({2, 3}))),
      "nn::NLLLoss: weight must be a 1-D floating point tensor (one weight "
      "per class), got float32 of shape [2, 3]");
  EXPECT_EMBER_ERROR(nn::CrossEntropyLoss(nn::CrossEntropyLossOptions().weight(
                         ones({3}, dtype(kInt64)))),
                     "got int64 of shape [3]");
  EXPECT_EMBER_ERROR(
      nn::BCEWithLogitsLoss(
          nn::BCEWithLogitsLossOptions().pos_weight(ones({3}, dtype(kInt64)))),
      "pos_weight must be a floating point tensor, got int64");
  EXPECT_EMBER_ERROR(nn::BCELoss(nn::BCELossOptions().reduction("")),
                     "nn::BCELoss: reduction must be");
}

// --- inputs: layouts, dtypes, empty tensors
// -----------------------------------

TEST(Loss, NonContiguousInputs) {
  Set ce{"ce"};
  // The same logits stored transposed: a non-contiguous (4, 5) view.
  Tensor x = ce.get("input").t().contiguous().t().detach().requires_grad_();
  ASSERT_FALSE(x.is_contiguous());
  Tensor out = F::cross_entropy(x, ce.get("target"));
  EXPECT_TRUE(close32(out, golden("loss", "ce_mean_out")));
  std::string missing;
  if (backward_or_missing(out, Tensor(), missing)) {
    EXPECT_TRUE(close32(x.grad(), golden("loss", "ce_mean_grad")));
  }
  // A strided target and a sliced input.
  Set reg{"reg"};
  Tensor wide = zeros({3, 8});
  wide.slice(1, 0, 8, 2).copy_(reg.get("target"));
  Tensor t = wide.slice(1, 0, 8, 2);
  ASSERT_FALSE(t.is_contiguous());
  EXPECT_TRUE(close32(F::mse_loss(reg.get("input"), t),
                      golden("loss", "mse_mean_out")));
  Tensor targets = tensor({2, 9, 0, 9, 4, 9, 4, 9}).slice(0, 0, 8, 2);
  EXPECT_TRUE(close32(F::cross_entropy(ce.get("input"), targets),
                      golden("loss", "ce_mean_out")));
}

TEST(Loss, DtypesAndPromotion) {
  Set reg{"reg"};
  Tensor x = reg.get("input"), t = reg.get("target");
  EXPECT_EQ(F::mse_loss(x, t).dtype(), kFloat32);
  EXPECT_EQ(F::mse_loss(x, t.to(kFloat64)).dtype(), kFloat64);
  EXPECT_EQ(F::l1_loss(x.to(kFloat64), t).dtype(), kFloat64);
  Set ce{"ce_ig_w"};
  Tensor out = F::cross_entropy(
      ce.get("input").to(kFloat64), ce.get("target"),
      nn::CrossEntropyLossOptions().weight(ce.get("weight").to(kFloat64)));
  EXPECT_EQ(out.dtype(), kFloat64);
  EXPECT_EQ(out.dim(), 0);
  // Reduction "none" keeps the target's shape (N, d1, ...).
  Set sp{"ce_sp"};
  EXPECT_EQ(F::cross_entropy(sp.get("input"), sp.get("target"),
                             nn::CrossEntropyLossOptions().reduction("none"))
                .sizes(),
            IntArrayRef({2, 2, 3}));
}

TEST(Loss, EmptyInputs) {
  Tensor x = zeros({0, 5}), t = zeros({0}, dtype(kInt64));
  EXPECT_TRUE(std::isnan(F::cross_entropy(x, t).item<double>()));
  EXPECT_EQ(
      F::cross_entropy(x, t, nn::CrossEntropyLossOptions().reduction("sum"))
          .item<double>(),
      0.0);
  EXPECT_EQ(F::nll_loss(x, t, nn::NLLLossOptions().reduction("none")).sizes(),
            IntArrayRef({0}));
  EXPECT_TRUE(std::isnan(F::cross_entropy(x, zeros({0, 5})).item<double>()));
  EXPECT_TRUE(std::isnan(F::mse_loss(zeros({0}), zeros({0})).item<double>()));
  EXPECT_EQ(
      F::l1_loss(zeros({0}), zeros({0}), nn::L1LossOptions().reduction("sum"))
          .item<double>(),
      0.0);
  EXPECT_TRUE(std::isnan(
      F::binary_cross_entropy(zeros({0}), zeros({0})).item<double>()));
}

TEST(Loss, ZeroDimInputs) {
  Tensor x = full({}, 0.25), t = full({}, 1.0);
  EXPECT_NEAR(F::mse_loss(x, t).item<double>(), 0.5625, 1e-7);
  EXPECT_NEAR(F::binary_cross_entropy(x, t).item<double>(), std::log(4.0),
              1e-6);
  EXPECT_NEAR(
      F::binary_cross_entropy_with_logits(full({}, 0.0), t).item<double>(),
      std::log(2.0), 1e-6);
}

// --- errors
// ---------------------------------------------------------------------

TEST(LossErrors, ClassTargets) {
  Tensor x = zeros({3, 5});
  EXPECT_EMBER_ERROR(F::cross_entropy(x, tensor({0, 1, 2, 3})),
                     "ember::cross_entropy: Expected input batch_size (3) to "
                     "match target batch_size (4)");
  EXPECT_EMBER_ERROR(F::nll_loss(x, tensor({0, 1, 2, 3})),
                     "ember::nll_loss: Expected input batch_size (3)");
  EXPECT_EMBER_ERROR(F::cross_entropy(x, zeros({3})),
                     "expected class-index target of dtype int64, got float32");
  EXPECT_EMBER_ERROR(F::nll_loss(x, tensor({0, 1, 2}, dtype(kInt32))),
                     "expected class-index target of dtype int64, got int32");
  EXPECT_EMBER_ERROR(F::cross_entropy(x, tensor({0, 5, 2})),
                     "Target 5 is out of bounds: the input has 5 classes");
  EXPECT_EMBER_ERROR(F::nll_loss(x, tensor({0, -1, 2})),
                     "Target -1 is out of bounds");
  EXPECT_EMBER_ERROR(F::nll_loss(x, tensor({0, -100, 2}),
                                 nn::NLLLossOptions().ignore_index(0)),
                     "Target -100 is out of bounds");
  EXPECT_EMBER_ERROR(
      F::cross_entropy(zeros({2, 3, 4}), zeros({2, 5}, dtype(kInt64))),
      "Expected target size [2, 4], got [2, 5]");
  EXPECT_EMBER_ERROR(F::cross_entropy(x, zeros({3, 2}, dtype(kInt64))),
                     "Expected target size [3], got [3, 2]");
  EXPECT_EMBER_ERROR(
      F::cross_entropy(x, tensor({1, 2, 3}),
                       nn::CrossEntropyLossOptions().weight(ones({3}))),
      "weight tensor should be defined either for all 5 "
      "classes or no classes but got weight tensor of shape: "
      "[3]");
  EXPECT_EMBER_ERROR(
      F::nll_loss(x, tensor({1, 2, 3}),
                  nn::NLLLossOptions().weight(ones({5}, dtype(kFloat64)))),
      "expected weight of the input's dtype float32, got "
      "float64");
  EXPECT_EMBER_ERROR(F::nll_loss(zeros({}), zeros({}, dtype(kInt64))),
                     "expected input with 1 or more dimensions (got 0)");
  EXPECT_EMBER_ERROR(F::cross_entropy(zeros({5}), tensor({1})),
                     "expected a 0-dim target for unbatched input of shape "
                     "[5], got target of shape [1]");
  EXPECT_EMBER_ERROR(
      F::cross_entropy(x, tensor({1, 2, 3}),
                       nn::CrossEntropyLossOptions().label_smoothing(2)),
      "label_smoothing must be between 0.0 and 1.0, got 2");
  EXPECT_EMBER_ERROR(
      F::cross_entropy(zeros({3, 5}, dtype(kInt64)), tensor({1, 2, 3})),
      "expected a floating point input, got int64");
}

TEST(LossErrors, ProbabilityTargets) {
  Tensor x = zeros({3, 5});
  EXPECT_EMBER_ERROR(F::cross_entropy(x, zeros({3, 5}, dtype(kInt64))),
                     "expected a floating point target with class "
                     "probabilities (the input's shape [3, 5]), got int64");
  EXPECT_EMBER_ERROR(
      F::cross_entropy(x, zeros({3, 5}),
                       nn::CrossEntropyLossOptions().ignore_index(0)),
      "ignore_index is not supported for class-probability targets");
  EXPECT_EMBER_ERROR(
      F::cross_entropy(x, zeros({3, 5}),
                       nn::CrossEntropyLossOptions().weight(ones({4}))),
      "weight tensor should be defined either for all 5 classes");
}

TEST(LossErrors, ReductionsAndShapes) {
  Tensor x = full({3, 4}, 0.5), t = full({3, 4}, 0.5);
  EXPECT_EMBER_ERROR(F::mse_loss(x, t, nn::MSELossOptions().reduction("avg")),
                     "ember::mse_loss: reduction must be 'none', 'mean' or "
                     "'sum', got 'avg'");
  EXPECT_EMBER_ERROR(F::cross_entropy(x, tensor({0, 1, 2}),
                                      nn::CrossEntropyLossOptions().reduction(
                                          "elementwise_mean")),
                     "ember::cross_entropy: reduction must be");
  EXPECT_EMBER_ERROR(F::binary_cross_entropy_with_logits(
                         x, t, nn::BCEWithLogitsLossOptions().reduction("max")),
                     "got 'max'");
  EXPECT_EMBER_ERROR(
      F::smooth_l1_loss(x, t, nn::SmoothL1LossOptions().beta(-0.5)),
      "ember::smooth_l1_loss: beta must be >= 0");
  EXPECT_EMBER_ERROR(F::mse_loss(ones({3}, dtype(kInt64)), ones({3})),
                     "ember::mse_loss: expected a floating point input, got "
                     "int64");
  EXPECT_EMBER_ERROR(F::binary_cross_entropy(x, t.slice(1, 0, 1)),
                     "ember::binary_cross_entropy: target size [3, 1] must be "
                     "the same as input size [3, 4]");
  EXPECT_EMBER_ERROR(F::binary_cross_entropy_with_logits(x, zeros({4})),
                     "target size [4] must be the same as input size [3, 4]");
  EXPECT_EMBER_ERROR(F::binary_cross_entropy(x * 3, t),
                     "all elements of input should be between 0 and 1, got "
                     "values in [1.5, 1.5]");
  EXPECT_EMBER_ERROR(F::binary_cross_entropy(full({2}, NAN), zeros({2})),
                     "all elements of input should be between 0 and 1");
  EXPECT_EMBER_ERROR(F::mse_loss(x, Tensor()),
                     "input and target must be defined tensors");
}
