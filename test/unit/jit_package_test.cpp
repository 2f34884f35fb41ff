// Model packages (ember/jit/package.h): save/load round trips (an MLP with
// a golden pair, a CNN) with the loaded package run through the JIT against
// eager; load's checks on
// corrupted files (a flipped byte in the data and in the header, a
// truncation), a format or compiler version mismatch, a missing weight,
// a file that is safetensors but no package; save's checks (missing
// weight, bad golden, a trace that updates buffers in place). Built only with
// EMBER_ENABLE_COMPILER.
//
// Tolerances: the JIT accumulates the MLP's GEMMs in another order than
// eager: rtol/atol 1e-5 in f32.
#include "test_util.h"

#include "ember/jit/package.h"
#include "ember/runtime/file_io.h"

#include <filesystem>
#include <functional>

#include <unistd.h>

using namespace ember;
using namespace ember::testing;
namespace fs = std::filesystem;

namespace {

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

class PackageTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("ember_package_test_" + std::to_string(getpid()));
    fs::create_directories(dir_);
    ::setenv("EMBER_CACHE_DIR", "0", 1); // compile for real every time
    manual_seed(0);
    mlp_.eval();
    x_ = randn({2, 4});
    y_ = mlp_(x_);
    path_ = (dir_ / "mlp.emberpkg").string();
    jit::save(jit::trace(mlp_, {x_}), path_,
              jit::PackageOptions()
                  .module(mlp_)
                  .inputs({"x"})
                  .outputs({"log_probs"})
                  .golden({x_}, {y_}));
  }
  void TearDown() override { fs::remove_all(dir_); }

  // `path_` rewritten through the safetensors layer by `edit`.
  std::string rewritten(const std::function<void(SafetensorsFile &)> &edit) {
    SafetensorsFile f = load_file(path_);
    edit(f);
    std::string out = (dir_ / "edited.emberpkg").string();
    save(f.tensors, out, f.metadata);
    return out;
  }
  std::string withBytes(std::string bytes) {
    std::string out = (dir_ / "bytes.emberpkg").string();
    atomic_write_file("test", out, bytes);
    return out;
  }

  fs::path dir_;
  Mlp mlp_;
  Tensor x_, y_;
  std::string path_;
};

// The message of the ember::Error that `fn` throws ("" if none).
template <typename F> std::string errorOf(F fn) {
  try {
    fn();
  } catch (const Error &e) {
    return e.what();
  }
  return "";
}

#define EXPECT_LOAD_FAILS(path, text)                                          \
  do {                                                                         \
    std::string message = errorOf([&] { jit::load(path); });                   \
    EXPECT_NE(message.find(text), std::string::npos) << message;               \
  } while (0)

} // namespace

TEST_F(PackageTest, RoundTripRunsLikeEager) {
  jit::Package p = jit::load(path_);
  EXPECT_EQ(p.function, "forward");
  EXPECT_EQ(p.format_version, jit::kPackageFormatVersion);
  EXPECT_FALSE(p.compiler_version.empty());
  EXPECT_EQ(p.hash.size(), 64u);
  ASSERT_EQ(p.inputs.size(), 1u);
  EXPECT_EQ(p.inputs[0].name, "x");
  EXPECT_EQ(p.inputs[0].sizes, (std::vector<int64_t>{2, 4}));
  ASSERT_EQ(p.outputs.size(), 1u);
  EXPECT_EQ(p.outputs[0].name, "log_probs");
  EXPECT_EQ(p.outputs[0].dtype, kFloat32);
  ASSERT_EQ(p.weights.size(), 4u);
  EXPECT_EQ(p.weights[0].name, "fc1.weight");
  EXPECT_TRUE(tensors_equal(p.weight_values[0], mlp_.fc1.weight));
  ASSERT_EQ(p.goldens.size(), 1u);
  EXPECT_TRUE(tensors_equal(p.goldens[0].inputs[0], x_));
  EXPECT_TRUE(tensors_equal(p.goldens[0].outputs[0], y_));

  TensorList out = p.run({x_});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_TRUE(allclose(out[0], y_, 1e-5, 1e-5));
  Tensor x2 = randn({2, 4});
  EXPECT_TRUE(allclose(p({x2})[0], mlp_(x2), 1e-5, 1e-5));
  // A second load of the same file has the same hash.
  EXPECT_EQ(jit::load(path_).hash, p.hash);
}

TEST_F(PackageTest, RunChecksInputs) {
  jit::Package p = jit::load(path_);
  std::string message = errorOf([&] { p.run({randn({3, 4})}); });
  EXPECT_NE(message.find("input 0 ('x') must be float32 [2, 4]"),
            std::string::npos)
      << message;
}

TEST_F(PackageTest, FlippedDataByteFailsItsChecksum) {
  std::string bytes = read_file("test", path_);
  uint64_t header = 0;
  for (int b = 7; b >= 0; --b)
    header = (header << 8) | static_cast<unsigned char>(bytes[b]);
  bytes[8 + header + 5] ^= 0x10; // inside the first tensor's data
  EXPECT_LOAD_FAILS(withBytes(bytes), "checksum mismatch");
  std::string last = read_file("test", path_);
  last.back() ^= 0x01; // the module's bytecode (U8 data comes last)
  EXPECT_LOAD_FAILS(withBytes(last), "checksum mismatch for '__ember.module'");
}

TEST_F(PackageTest, FlippedHeaderByteFails) {
  std::string bytes = read_file("test", path_);
  bytes[9] ^= 0x40; // the JSON header's first key
  EXPECT_LOAD_FAILS(withBytes(bytes), "is not a valid ember package");
}

TEST_F(PackageTest, TruncatedFileFails) {
  std::string bytes = read_file("test", path_);
  EXPECT_LOAD_FAILS(withBytes(bytes.substr(0, bytes.size() - 7)),
                    "is not a valid ember package");
  EXPECT_LOAD_FAILS(withBytes(bytes.substr(0, 5)),
                    "is not a valid ember package");
}

TEST_F(PackageTest, FormatVersionMismatchFails) {
  std::string path = rewritten(
      [](SafetensorsFile &f) { f.metadata["ember.format_version"] = "2"; });
  EXPECT_LOAD_FAILS(path, "has package format version '2'; this ember reads "
                          "version 1");
}

TEST_F(PackageTest, CompilerVersionMismatchFails) {
  std::string path = rewritten([](SafetensorsFile &f) {
    f.metadata["ember.compiler_version"] = "ember-jit/0 LLVM 1.0";
  });
  EXPECT_LOAD_FAILS(path, "was written by compiler 'ember-jit/0 LLVM 1.0'");
}

TEST_F(PackageTest, MissingWeightFails) {
  SafetensorsFile f = load_file(path_);
  OrderedDict<Tensor> kept;
  for (const auto &item : f.tensors)
    if (item.key() != "fc1.bias")
      kept.insert(item.key(), item.value());
  std::string path = (dir_ / "edited.emberpkg").string();
  save(kept, path, f.metadata);
  EXPECT_LOAD_FAILS(path, "weight 'fc1.bias' (float32 [8]) is missing");
}

TEST_F(PackageTest, PlainSafetensorsIsNotAPackage) {
  std::string path = (dir_ / "plain.safetensors").string();
  save(mlp_.state_dict(), path);
  EXPECT_LOAD_FAILS(path, "no 'ember.format' metadata");
  EXPECT_LOAD_FAILS((dir_ / "absent.emberpkg").string(), "absent.emberpkg");
}

TEST_F(PackageTest, SaveNeedsEveryWeight) {
  std::string message = errorOf([&] {
    jit::save(jit::trace(mlp_, {x_}), (dir_ / "x.emberpkg").string(),
              jit::PackageOptions());
  });
  EXPECT_NE(message.find("no value for parameter 'fc1.weight'"),
            std::string::npos)
      << message;
  message = errorOf([&] {
    jit::save(jit::trace(mlp_, {x_}), (dir_ / "x.emberpkg").string(),
              jit::PackageOptions().module(mlp_).golden({randn({3, 4})}, {y_}));
  });
  EXPECT_NE(message.find("golden 0 input 0 is float32 [3, 4]"),
            std::string::npos)
      << message;
  EXPECT_FALSE(fs::exists(dir_ / "x.emberpkg"));
}

TEST_F(PackageTest, CompiledFunctionSavesItsTrace) {
  mlp_.eval();
  NoGradGuard no_grad;
  auto f = jit::compile([&](const Tensor &x) { return mlp_(x); },
                        {.name = "forward", .modules = {{"", &mlp_}}});
  std::string out = (dir_ / "c.emberpkg").string();
  std::string message =
      errorOf([&] { jit::save(f, out, jit::PackageOptions().module(mlp_)); });
  EXPECT_NE(message.find("has not been called yet"), std::string::npos)
      << message;
  Tensor want = f(x_);
  jit::save(f, out, jit::PackageOptions().module(mlp_));
  TensorList got = jit::load(out).run({x_});
  ASSERT_EQ(got.size(), 1u);
  EXPECT_TRUE(allclose(got[0], want, 1e-5, 1e-6));
  f(randn({5, 4})); // a second guard key: ambiguous
  message =
      errorOf([&] { jit::save(f, out, jit::PackageOptions().module(mlp_)); });
  EXPECT_NE(message.find("was traced 2 times"), std::string::npos) << message;
}

namespace {
struct Cnn : nn::Module {
  nn::Conv2d conv{nn::Conv2dOptions(1, 2, 3).padding(1)};
  nn::Linear head{2 * 2 * 2, 3};
  Cnn() {
    register_module("conv", conv);
    register_module("head", head);
  }
  Tensor forward(const Tensor &x) override {
    return head(max_pool2d(relu(conv(x)), 2).flatten(1));
  }
};
} // namespace

TEST_F(PackageTest, CnnRoundTripRunsLikeEager) {
  Cnn cnn;
  cnn.eval();
  Tensor x = randn({2, 1, 4, 4});
  std::string path = (dir_ / "cnn.emberpkg").string();
  jit::save(jit::trace(cnn, {x}), path, jit::PackageOptions().module(cnn));
  jit::Package p = jit::load(path);
  EXPECT_EQ(p.weights.size(), 4u);
  EXPECT_TRUE(p.goldens.empty());
  EXPECT_TRUE(allclose(p.run({x})[0], cnn(x), 1e-5, 1e-5));
}

TEST_F(PackageTest, SaveRefusesInPlaceUpdates) {
  nn::BatchNorm1d bn(4); // training mode: running stats are updated
  Tensor x = randn({3, 4});
  std::string message = errorOf([&] {
    jit::save(jit::trace(bn, {x}), (dir_ / "bn.emberpkg").string(),
              jit::PackageOptions().module(bn));
  });
  EXPECT_NE(message.find("argument(s) in place"), std::string::npos) << message;
  EXPECT_FALSE(fs::exists(dir_ / "bn.emberpkg"));
}
