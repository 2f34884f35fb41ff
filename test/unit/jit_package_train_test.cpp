// Training-step packages (ember/jit/package.h): a traced zero_grad /
// forward / backward / optimizer.step saved with jit::save, loaded with
// jit::load and run step by step must leave its state (parameters,
// optimizer state, a kept .grad) exactly where the same eager steps leave
// the model and optimizer, with the learning rate an input of each run.
// Also: the signature it writes, the const-run and emberc-side refusals,
// and load's checks on the update list. Built only with
// EMBER_ENABLE_COMPILER.
//
// Tolerances: rtol 1e-5 / atol 1e-6 in f32, as jit_train_step_test (the
// compiled step fuses and may contract a*b+c into an FMA).
#include "test_util.h"

#include "ember/jit/package.h"
#include "ember/runtime/file_io.h"

#include <cmath>
#include <filesystem>
#include <functional>
#include <map>

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/xxhash.h"

#include <unistd.h>

using namespace ember;
using namespace ember::testing;
namespace fs = std::filesystem;

namespace {

nn::Sequential make_mlp() {
  return nn::Sequential{{"fc1", nn::Linear(6, 8)},
                        {"act", nn::Tanh()},
                        {"fc2", nn::Linear(8, 3)}};
}

Tensor train_step(nn::Module &m, optim::Optimizer &opt, const Tensor &x,
                  const Tensor &y, bool set_to_none) {
  opt.zero_grad(set_to_none);
  Tensor loss = nn::functional::cross_entropy(m(x), y);
  loss.backward();
  opt.step();
  return loss.detach();
}

Tensor lr_input(double lr) {
  return full({}, lr, TensorOptions().dtype(kFloat64));
}

void expect_close(const Tensor &got, const Tensor &want,
                  const std::string &what) {
  ASSERT_TRUE(got.defined() && want.defined()) << what;
  EXPECT_TRUE(allclose(got, want, 1e-5, 1e-6)) << what << "\npackage:\n"
                                               << got << "\neager:\n"
                                               << want;
}

// The package's checksum of `bytes` (XXH3-64, 16 hex digits).
std::string xxh3(const std::string &bytes) {
  return llvm::utohexstr(
      llvm::xxh3_64bits(llvm::ArrayRef<uint8_t>(
          reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size())),
      /*LowerCase=*/true, /*Width=*/16);
}

template <typename F> std::string errorOf(F fn) {
  try {
    fn();
  } catch (const Error &e) {
    return e.what();
  }
  return "";
}

class PackageTrainTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("ember_package_train_test_" + std::to_string(getpid()));
    fs::create_directories(dir_);
    ::setenv("EMBER_CACHE_DIR", "0", 1);
    manual_seed(0);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Saves the step of `model`/`opt` (after one eager step, so the optimizer
  // has its state), then checks `steps` package runs against the same
  // eager steps of `ref`/`ref_opt` (which start equal to model/opt).
  void check_steps(nn::Sequential &model, optim::Optimizer &opt,
                   nn::Sequential &ref, optim::Optimizer &ref_opt,
                   bool set_to_none, int steps) {
    Tensor x0 = randn({5, 6}), y0 = randint(0, 3, {5});
    train_step(model, opt, x0, y0, set_to_none);
    train_step(ref, ref_opt, x0, y0, set_to_none);
    jit::TraceOptions topts;
    topts.name = "train_step";
    topts.modules = {{"", &model}};
    jit::Trace t = jit::trace(
        [&](const TensorList &in) {
          return TensorList{train_step(model, opt, in[0], in[1], set_to_none)};
        },
        {randn({5, 6}), randint(0, 3, {5})}, topts);
    // The trace ran one step on `model`: `ref` takes the same one.
    ASSERT_TRUE(t.not_compilable.empty()) << t.not_compilable;
    std::string path = (dir_ / "step.emberpkg").string();
    // The package starts from the state after the traced step; so does ref
    // after replaying it.
    {
      NoGradGuard g;
      copy_params(model, ref);
    }
    ref_opt.load_state_dict(opt.state_dict());
    if (!set_to_none)
      for (size_t i = 0; i < model.parameters().size(); ++i)
        ref.parameters()[i].mutable_grad() =
            model.parameters()[i].grad().clone();
    jit::save(t, path,
              jit::PackageOptions()
                  .module(model)
                  .optimizer(opt, model)
                  .inputs({"x", "labels"}));

    jit::Package p = jit::load(path);
    ASSERT_TRUE(p.is_training_step());
    ASSERT_EQ(p.inputs.size(), 3u);
    EXPECT_EQ(p.inputs[2].name, "lr");
    EXPECT_EQ(p.inputs[2].dtype, kFloat64);
    EXPECT_TRUE(p.inputs[2].sizes.empty());
    for (int k = 0; k < steps; ++k) {
      // A schedule the caller runs: the lr is an input of each step.
      double lr = 0.1 / (1 + k);
      for (auto &g : ref_opt.param_groups())
        g.options().set_lr(lr);
      Tensor x = randn({5, 6}), y = randint(0, 3, {5});
      TensorList got = p.run({x, y, lr_input(lr)});
      Tensor want = train_step(ref, ref_opt, x, y, set_to_none);
      ASSERT_EQ(got.size(), 1u);
      expect_close(got[0], want, "loss of step " + std::to_string(k));
    }
    OrderedDict<Tensor> state = p.state_dict();
    for (const auto &item : ref.named_parameters()) {
      const Tensor *w = state.find(item.key());
      ASSERT_TRUE(w) << item.key();
      expect_close(*w, item.value(), "parameter " + item.key());
      // zero_grad(false) reads every .grad: the package keeps them.
      const Tensor *g = state.find(item.key() + ".grad");
      ASSERT_EQ(g != nullptr, !set_to_none) << item.key();
      if (g)
        expect_close(*g, item.value().grad(), ".grad of " + item.key());
    }
    // The momentum buffers, named by PackageOptions::optimizer.
    auto dict = ref_opt.state_dict();
    auto params = ref.named_parameters();
    EXPECT_EQ(dict.state.size(), params.size());
    for (const auto &[index, tensors] : dict.state) {
      std::string name = "optimizer." +
                         params.keys().at(static_cast<size_t>(index)) +
                         ".momentum_buffer";
      const Tensor *got = state.find(name);
      ASSERT_TRUE(got) << name;
      expect_close(*got, tensors["momentum_buffer"], name);
    }
  }

  fs::path dir_;
};

} // namespace

TEST_F(PackageTrainTest, SgdMomentumStepsMatchEager) {
  nn::Sequential model = make_mlp(), ref = make_mlp();
  copy_params(model, ref);
  optim::SGD opt(model.parameters(),
                 optim::SGDOptions(0.1).momentum(0.9).weight_decay(1e-3));
  optim::SGD ref_opt(ref.parameters(),
                     optim::SGDOptions(0.1).momentum(0.9).weight_decay(1e-3));
  check_steps(model, opt, ref, ref_opt, /*set_to_none=*/true, 4);
}

TEST_F(PackageTrainTest, ZeroGradToZerosKeepsTheGradAsState) {
  // zero_grad(false) reads every .grad: the package holds them as
  // "<parameter>.grad" weights and writes the new gradients back.
  nn::Sequential model = make_mlp(), ref = make_mlp();
  copy_params(model, ref);
  optim::SGD opt(model.parameters(),
                 optim::SGDOptions(0.05).momentum(0.5).nesterov(true));
  optim::SGD ref_opt(ref.parameters(),
                     optim::SGDOptions(0.05).momentum(0.5).nesterov(true));
  check_steps(model, opt, ref, ref_opt, /*set_to_none=*/false, 3);
}

TEST_F(PackageTrainTest, AdamStepNumbersAreInputs) {
  // Adam's step-dependent numbers are host scalars: in a package they are
  // inputs the caller computes from its own step count t
  // ("-step_size" = -lr / (1 - beta1^t), "bias_correction2_sqrt" =
  // sqrt(1 - beta2^t), one pair per parameter, suffixed ".1", ".2", ...).
  nn::Sequential model = make_mlp(), ref = make_mlp();
  copy_params(model, ref);
  const double lr = 0.01, beta1 = 0.9, beta2 = 0.999;
  optim::Adam opt(model.parameters(), optim::AdamOptions(lr));
  optim::Adam ref_opt(ref.parameters(), optim::AdamOptions(lr));
  auto step = [&](nn::Module &m, optim::Optimizer &o, const Tensor &x,
                  const Tensor &y) { return train_step(m, o, x, y, true); };
  Tensor x0 = randn({5, 6}), y0 = randint(0, 3, {5});
  step(model, opt, x0, y0); // t = 1: creates the state
  step(ref, ref_opt, x0, y0);
  jit::TraceOptions topts;
  topts.modules = {{"", &model}};
  jit::Trace t = jit::trace(
      [&](const TensorList &in) {
        return TensorList{step(model, opt, in[0], in[1])};
      },
      {x0, y0}, topts); // t = 2
  step(ref, ref_opt, x0, y0);
  std::string path = (dir_ / "adam.emberpkg").string();
  jit::save(t, path,
            jit::PackageOptions()
                .module(model)
                .optimizer(opt, model)
                .inputs({"x", "labels"}));
  jit::Package p = jit::load(path);
  ASSERT_EQ(p.inputs.size(), 2u + 2u * 4u);
  EXPECT_EQ(p.inputs[2].name, "-step_size");
  EXPECT_EQ(p.inputs[3].name, "bias_correction2_sqrt");
  EXPECT_EQ(p.inputs[9].name, "bias_correction2_sqrt.3");
  for (int k = 0; k < 3; ++k) {
    const double steps = 3 + k;
    Tensor x = randn({5, 6}), y = randint(0, 3, {5});
    TensorList in = {x, y};
    for (size_t i = 2; i < p.inputs.size(); ++i)
      in.push_back(lr_input(p.inputs[i].name.rfind("-step_size", 0) == 0
                                ? -lr / (1 - std::pow(beta1, steps))
                                : std::sqrt(1 - std::pow(beta2, steps))));
    TensorList got = p.run(in);
    Tensor want = step(ref, ref_opt, x, y);
    expect_close(got[0], want, "loss of step " + std::to_string(k));
  }
  OrderedDict<Tensor> state = p.state_dict();
  auto dict = ref_opt.state_dict();
  auto names = ref.named_parameters().keys();
  for (const auto &[index, tensors] : dict.state) {
    const std::string &param = names.at(static_cast<size_t>(index));
    expect_close(*state.find(param), ref.named_parameters()[param], param);
    for (const char *key : {"exp_avg", "exp_avg_sq"}) {
      std::string name = "optimizer." + param + "." + key;
      const Tensor *got = state.find(name);
      ASSERT_TRUE(got) << name;
      expect_close(*got, tensors[key], name);
    }
  }
}

TEST_F(PackageTrainTest, SignatureAndRefusals) {
  nn::Sequential model = make_mlp();
  optim::SGD opt(model.parameters(), optim::SGDOptions(0.1).momentum(0.9));
  Tensor x = randn({5, 6}), y = randint(0, 3, {5});
  train_step(model, opt, x, y, true);
  jit::TraceOptions topts;
  topts.modules = {{"", &model}};
  jit::Trace t = jit::trace(
      [&](const TensorList &in) {
        return TensorList{train_step(model, opt, in[0], in[1], true)};
      },
      {x, y}, topts);
  std::string path = (dir_ / "step.emberpkg").string();

  // Goldens of a step would depend on the state the runs change.
  std::string message = errorOf([&] {
    jit::save(t, path,
              jit::PackageOptions().module(model).golden({x, y}, {x.sum()}));
  });
  EXPECT_NE(message.find("goldens of a training step are not supported"),
            std::string::npos)
      << message;
  EXPECT_FALSE(fs::exists(path));

  jit::save(t, path, jit::PackageOptions().module(model));
  SafetensorsFile f = load_file(path);
  const std::string &sig = f.metadata.at("ember.signature");
  EXPECT_NE(sig.find("\"updates\""), std::string::npos) << sig;
  EXPECT_NE(sig.find("\"weight\":\"fc1.weight\""), std::string::npos) << sig;
  EXPECT_NE(sig.find("\"mode\":\"copy\""), std::string::npos) << sig;

  jit::Package p = jit::load(path);
  // 4 parameters and 4 momentum buffers are updated; the gradients are
  // reset by zero_grad() and not read again: not kept.
  EXPECT_EQ(p.weights.size(), 8u);
  EXPECT_EQ(p.updates.size(), 8u);
  const jit::Package &cp = p;
  message = errorOf([&] { cp.run({x, y, lr_input(0.1)}); });
  EXPECT_NE(message.find("is a training step, which updates its weights"),
            std::string::npos)
      << message;

  // load checks the update list against the weights (the edits keep the
  // signature's checksum right, so only the list is wrong).
  auto edited = [&](const std::string &from, const std::string &to) {
    SafetensorsFile g = load_file(path);
    std::string &s = g.metadata.at("ember.signature");
    std::string old_sum = xxh3(s);
    size_t at = s.find(from);
    EXPECT_NE(at, std::string::npos) << s;
    s.replace(at, from.size(), to);
    std::string &sums = g.metadata.at("ember.checksums");
    sums.replace(sums.find(old_sum), old_sum.size(), xxh3(s));
    std::string out = (dir_ / "edited.emberpkg").string();
    save(g.tensors, out, g.metadata);
    return out;
  };
  auto load_error = [&](const std::string &edited_path) {
    return errorOf([&] { jit::load(edited_path); });
  };
  message =
      load_error(edited("\"weight\":\"fc1.weight\"", "\"weight\":\"nope\""));
  EXPECT_NE(message.find("an update names no weight 'nope'"), std::string::npos)
      << message;
  // fc1.weight's new value updating fc1.bias: the types disagree.
  message = load_error(
      edited("\"weight\":\"fc1.weight\"", "\"weight\":\"fc1.bias\""));
  EXPECT_NE(message.find("but it updates weight 'fc1.bias' float32 [8]"),
            std::string::npos)
      << message;
  message = load_error(edited("\"results\":", "\"results_\":"));
  EXPECT_NE(message.find("'updates' without 'results'"), std::string::npos)
      << message;
  message = load_error(edited("\"mode\":\"copy\"", "\"mode\":\"mul\""));
  EXPECT_NE(message.find("a 'mode' of 'copy' or 'add'"), std::string::npos)
      << message;
}
