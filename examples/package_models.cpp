// ember-package-example: traces a small MLP (4 -> 8 -> 3), a CNN (conv
// with padding, max pool, linear) or the Fashion-MNIST MLP classifier
// (784 -> 512 -> 256 -> 10, batch 1, random weights), in eval mode, and
// saves it as a model package with one golden input/output pair; the lit
// tests of emberc (test/lit/tools) compile what it writes. With a folder,
// the golden input is also written there as x.npy and the golden output
// as <output name>.npy. mlp-step saves a training step of that MLP
// instead (zero_grad, cross-entropy, backward, SGD with momentum; its
// learning rate an input), without goldens.
//
//   ember-package-example mlp|cnn|fashion-mlp|mlp-step out.emberpkg [folder]
//   ember-package-example check-step folder loss.npy weights.safetensors
#include <ember/ember.h>
#include <ember/jit/package.h>

#include <iostream>

using namespace ember;

struct Mlp : nn::Module {
  nn::Linear fc1{4, 8}, fc2{8, 3};
  Mlp() {
    register_module("fc1", fc1);
    register_module("fc2", fc2);
  }
  Tensor forward(const Tensor &x) override {
    return log_softmax(fc2(relu(fc1(x))), 1);
  }
};

struct Cnn : nn::Module {
  nn::Sequential features{
      {"0", nn::Conv2d(nn::Conv2dOptions(1, 2, 3).padding(1))},
      {"1", nn::ReLU()},
      {"2", nn::MaxPool2d(2)},
  };
  nn::Linear head{2 * 2 * 2, 3};
  Cnn() {
    register_module("features", features);
    register_module("head", head);
  }
  Tensor forward(const Tensor &x) override {
    return head(features(x).flatten(1));
  }
};

struct FashionMlp : nn::Module {
  nn::Linear fc1{784, 512}, fc2{512, 256}, fc3{256, 10};
  FashionMlp() {
    register_module("fc1", fc1);
    register_module("fc2", fc2);
    register_module("fc3", fc3);
  }
  Tensor forward(const Tensor &x) override {
    return fc3(relu(fc2(relu(fc1(x)))));
  }
};

template <typename Model>
void savePackage(const char *path, const char *folder, IntArrayRef shape,
                 const char *output) {
  Model model;
  model.eval();
  Tensor x = randn(shape);
  Tensor y = model(x);
  jit::save(jit::trace(model, {x}), path,
            jit::PackageOptions()
                .module(model)
                .inputs({"x"})
                .outputs({output})
                .golden({x}, {y}));
  if (folder) {
    save_npy(x, std::string(folder) + "/x.npy");
    save_npy(y, std::string(folder) + "/" + output + ".npy");
  }
}

// One SGD-momentum training step of the MLP, traced after a first eager
// step (which creates the momentum buffers) and saved. With a folder:
// x.npy, labels.npy and lr.npy (a batch and the learning rate), and what
// three eager steps on them give from the saved state: expected_loss.npy
// (the third step's loss) and expected.safetensors (the parameters).
void saveStepPackage(const char *path, const char *folder) {
  Mlp model;
  optim::SGD opt(model.parameters(), optim::SGDOptions(0.1).momentum(0.9));
  auto step = [&](const Tensor &x, const Tensor &y) {
    opt.zero_grad();
    Tensor loss = nn::functional::nll_loss(model(x), y);
    loss.backward();
    opt.step();
    return loss.detach();
  };
  Tensor x = randn({2, 4}), y = randint(0, 3, {2});
  step(x, y);
  jit::TraceOptions options;
  options.name = "train_step";
  options.modules = {{"", &model}};
  jit::Trace t = jit::trace(
      [&](const TensorList &in) { return TensorList{step(in[0], in[1])}; },
      {x, y}, options);
  jit::save(t, path,
            jit::PackageOptions()
                .module(model)
                .optimizer(opt, model)
                .inputs({"x", "labels"})
                .outputs({"loss"}));
  if (folder) {
    std::string dir(folder);
    Tensor xs = randn({2, 4}), ys = randint(0, 3, {2});
    const double lr = 0.05;
    for (auto &g : opt.param_groups())
      g.options().set_lr(lr);
    save_npy(xs, dir + "/x.npy");
    save_npy(ys, dir + "/labels.npy");
    save_npy(full({}, lr, TensorOptions().dtype(kFloat64)), dir + "/lr.npy");
    Tensor loss;
    for (int k = 0; k < 3; ++k)
      loss = step(xs, ys);
    save_npy(loss, dir + "/expected_loss.npy");
    save(model.named_parameters(), dir + "/expected.safetensors");
  }
}

// Compares a training-step executable's results with the eager ones
// saveStepPackage wrote (rtol 1e-5, atol 1e-6: compiled code fuses and
// contracts a*b+c into FMAs); prints one line per tensor, exits 1 on a
// mismatch.
int checkStep(const std::string &dir, const std::string &loss,
              const std::string &weights) {
  bool ok = true;
  auto check = [&](const std::string &name, const Tensor &got,
                   const Tensor &want) {
    // |got - want| <= atol + rtol |want| everywhere (false with NaNs).
    bool same =
        got.defined() && got.sizes() == want.sizes() &&
        ((got - want).abs() - (want.abs() * 1e-5 + 1e-6)).max().item<float>() <=
            0;
    std::cout << "check-step: " << name << (same ? " ok" : " MISMATCH") << "\n";
    ok = ok && same;
  };
  check("loss", load_npy(loss), load_npy(dir + "/expected_loss.npy"));
  SafetensorsFile got = load_file(weights);
  SafetensorsFile want = load_file(dir + "/expected.safetensors");
  for (const auto &item : want.tensors) {
    const Tensor *g = got.tensors.find(item.key());
    check(item.key(), g ? *g : Tensor(), item.value());
  }
  return ok ? 0 : 1;
}

int main(int argc, char **argv) {
  std::string model = argc > 1 ? argv[1] : "";
  if (model == "check-step" && argc == 5) {
    try {
      return checkStep(argv[2], argv[3], argv[4]);
    } catch (const std::exception &e) {
      std::cerr << "ember-package-example: " << e.what() << "\n";
      return 1;
    }
  }
  if ((argc != 3 && argc != 4) ||
      (model != "mlp" && model != "cnn" && model != "fashion-mlp" &&
       model != "mlp-step")) {
    std::cerr << "usage: ember-package-example mlp|cnn|fashion-mlp|mlp-step "
                 "out.emberpkg [folder]\n";
    return 2;
  }
  try {
    manual_seed(0);
    const char *folder = argc == 4 ? argv[3] : nullptr;
    if (model == "mlp")
      savePackage<Mlp>(argv[2], folder, {2, 4}, "log_probs");
    else if (model == "mlp-step")
      saveStepPackage(argv[2], folder);
    else if (model == "cnn")
      savePackage<Cnn>(argv[2], folder, {1, 1, 4, 4}, "logits");
    else
      savePackage<FashionMlp>(argv[2], folder, {1, 784}, "logits");
  } catch (const std::exception &e) {
    std::cerr << "ember-package-example: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
