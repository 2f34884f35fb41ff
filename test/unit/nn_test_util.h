// Helpers for the nn layer tests: PyTorch goldens of topic "nn" (made by
// test/golden/gen_nn.py). A case <c> holds <c>_x, the state_dict
// <c>_sd_<key>, the output <c>_y, an upstream gradient <c>_gy and the
// gradients of sum(y * gy): <c>_gx and <c>_g<param>.
#pragma once

#include "test_util.h"

#include <filesystem>
#include <set>

namespace ember::testing {

inline Tensor nn_golden(const std::string &name) { return golden("nn", name); }

/// float32 goldens: 1e-5 relative (with a 1e-6 floor near zero).
inline ::testing::AssertionResult close(const Tensor &got, const Tensor &want,
                                        double rtol = 1e-5,
                                        double atol = 1e-6) {
  if (!got.defined())
    return ::testing::AssertionFailure() << "result is undefined";
  return allclose(got, want, rtol, atol);
}

/// The keys PyTorch saved for `c` under `tag` ("sd" or "after").
inline std::set<std::string> golden_keys(const std::string &c,
                                         const std::string &tag = "sd") {
  std::set<std::string> keys;
  const std::string prefix = c + "_" + tag + "_";
  for (const auto &e : std::filesystem::directory_iterator(
           std::string(EMBER_GOLDEN_DIR) + "/nn")) {
    std::string f = e.path().filename().string();
    if (f.rfind(prefix, 0) == 0)
      keys.insert(f.substr(prefix.size(), f.size() - prefix.size() - 4));
  }
  return keys;
}

/// Loads PyTorch's state_dict of case `c` into m; the key sets must agree.
inline void load_golden_state(nn::Module &m, const std::string &c) {
  auto ours = m.state_dict().keys();
  EXPECT_EQ(std::set<std::string>(ours.begin(), ours.end()), golden_keys(c))
      << "state_dict keys of " << m.name() << " differ from PyTorch's";
  OrderedDict<Tensor> sd;
  for (const std::string &k : ours)
    sd.insert(k, nn_golden(c + "_sd_" + k));
  m.load_state_dict(sd);
}

/// Forward of case c: loads the state, checks the output, returns the input
/// (requiring grad when grad_x) and output for a backward check.
inline std::pair<Tensor, Tensor>
forward_case(nn::Module &m, const std::string &c, bool grad_x = true,
             double rtol = 1e-5, double atol = 1e-6) {
  load_golden_state(m, c);
  Tensor x = nn_golden(c + "_x");
  if (grad_x)
    x.requires_grad_();
  Tensor y = m(x);
  EXPECT_TRUE(close(y, nn_golden(c + "_y"), rtol, atol)) << c << " forward";
  return {x, y};
}

/// Backward of case c: input and parameter gradients against PyTorch.
inline void backward_case(nn::Module &m, const std::string &c,
                          bool grad_x = true, double rtol = 1e-5,
                          double atol = 1e-6) {
  auto [x, y] = forward_case(m, c, grad_x, rtol, atol);
  y.backward(nn_golden(c + "_gy"));
  if (grad_x) {
    EXPECT_TRUE(close(x.grad(), nn_golden(c + "_gx"), rtol, atol))
        << c << " grad input";
  }
  for (const auto &item : m.named_parameters())
    EXPECT_TRUE(close(item.value().grad(), nn_golden(c + "_g" + item.key()),
                      rtol, atol))
        << c << " grad " << item.key();
}

/// str(module) as PyTorch printed it.
inline std::string repr_golden(const std::string &name) {
  Tensor t = nn_golden("repr_" + name);
  const uint8_t *p = t.data_ptr<uint8_t>();
  return std::string(reinterpret_cast<const char *>(p),
                     static_cast<size_t>(t.numel()));
}

} // namespace ember::testing
