// jit::trace and the trace importer: what a traced MLP and CNN record (ops,
// values, parameter names, module paths, the user's source lines), that
// tracing leaves eager results alone, constants folded or lifted, in-place
// ops and views, the imported MLIR and its locations, EMBER_DUMP_IR, and
// clear errors. Built only with EMBER_ENABLE_COMPILER.
#include "test_util.h"

#include "ember/Import/TraceImporter.h"

#include <cstdlib>
#include <filesystem>

using namespace ember;
using namespace ember::testing;

namespace {

int g_fc1_line = 0, g_relu_line = 0;

struct Net : nn::Module {
  nn::Linear fc1{8, 16}, fc2{16, 4};
  Net() {
    register_module("fc1", fc1);
    register_module("fc2", fc2);
  }
  Tensor forward(const Tensor &x) override {
    g_fc1_line = __LINE__ + 1;
    Tensor h = fc1(x);
    g_relu_line = __LINE__ + 1;
    h = relu(h);
    return fc2(h);
  }
};

std::string file_name() {
  std::string f = __FILE__;
  return f.substr(f.rfind('/') + 1);
}

const jit::TracedOp *find_op(const jit::Trace &t, OpId id) {
  for (const auto &op : t.ops)
    if (op.op == id)
      return &op;
  return nullptr;
}

TEST(Trace, MlpOpsNamesPathsAndLocations) {
  manual_seed(0);
  Net net;
  Tensor x = randn({4, 8});
  jit::Trace t = jit::trace(net, {x});

  // Arguments: the input, then the parameters by dotted name.
  ASSERT_EQ(t.arguments.size(), 5u);
  EXPECT_EQ(t.values[t.arguments[0]].kind, jit::ValueKind::Input);
  std::vector<std::string> names;
  for (size_t i = 1; i < t.arguments.size(); ++i) {
    EXPECT_EQ(t.values[t.arguments[i]].kind, jit::ValueKind::Parameter);
    names.push_back(t.values[t.arguments[i]].name);
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"fc1.bias", "fc1.weight",
                                             "fc2.bias", "fc2.weight"}));
  ASSERT_EQ(t.outputs.size(), 1u);
  EXPECT_EQ(t.values[t.outputs[0]].sizes, (std::vector<int64_t>{4, 4}));

  // Ops inside nn::Linear are placed at the user's fc1(x) call, in "fc1";
  // the relu the user wrote is at its own line, in the root module ("").
  const jit::TracedOp *relu_op = find_op(t, OpId::relu);
  ASSERT_NE(relu_op, nullptr);
  EXPECT_EQ(relu_op->line, static_cast<uint32_t>(g_relu_line));
  EXPECT_EQ(relu_op->module_path, "");
  int in_fc1 = 0;
  for (const auto &op : t.ops)
    if (op.module_path == "fc1") {
      ++in_fc1;
      EXPECT_EQ(op.line, static_cast<uint32_t>(g_fc1_line)) << op_name(op.op);
      EXPECT_NE(op.file.find(file_name()), std::string::npos) << op.file;
    }
  EXPECT_GE(in_fc1, 1);

  std::string listing = t.str();
  EXPECT_NE(listing.find("fc1.weight: float32[16, 8] parameter"),
            std::string::npos)
      << listing;
  EXPECT_NE(listing.find(file_name() + ":" + std::to_string(g_relu_line)),
            std::string::npos)
      << listing;
}

TEST(Trace, TracingChangesNothing) {
  manual_seed(1);
  Net net;
  Tensor x = randn({3, 8});
  Tensor plain = net(x);
  Tensor traced;
  jit::trace(
      [&](const TensorList &in) {
        traced = net(in[0]);
        return TensorList{traced};
      },
      {x});
  EXPECT_TRUE(tensors_equal(plain, traced));
  // Autograd still works on the traced run's result.
  traced.sum().backward();
  EXPECT_TRUE(net.fc1.weight.grad().defined());
}

TEST(Trace, ConstantsFoldedOrLifted) {
  Tensor small = tensor({1.f, 2.f, 3.f});
  Tensor big = ones({64});
  jit::Trace t = jit::trace(
      [&](const TensorList &in) {
        return TensorList{in[0] * small, in[1] + big};
      },
      {ones({3}), zeros({64})});
  int constants = 0, lifted = 0;
  for (const auto &v : t.values) {
    constants += v.kind == jit::ValueKind::Constant;
    lifted += v.kind == jit::ValueKind::Lifted;
  }
  EXPECT_EQ(constants, 1);
  EXPECT_EQ(lifted, 1);
  // Operators (a * b) cannot capture their caller's line: the location is
  // unknown, never a line inside ember.
  for (const auto &op : t.ops)
    EXPECT_EQ(op.file, "") << op_name(op.op) << " at " << op.file;
  EXPECT_EQ(t.arguments.size(), 3u); // two inputs and the lifted tensor
  EXPECT_EQ(t.values[t.arguments[2]].name, "lifted0");
  std::string ir = t.to_mlir();
  EXPECT_NE(ir.find("ember.constant dense<[1.000000e+00, 2.000000e+00, "
                    "3.000000e+00]> : tensor<3xf32>"),
            std::string::npos)
      << ir;
  EXPECT_NE(ir.find("ember.name = \"lifted0\""), std::string::npos) << ir;
}

TEST(Trace, InPlaceAndViewsRecordedFaithfully) {
  jit::Trace t = jit::trace(
      [](const TensorList &in) {
        Tensor y = in[0].clone();
        Tensor v = y.view({2, 3});
        v.mul_(2); // writes y's storage through a view
        return TensorList{y.add(1)};
      },
      {ones({6})});
  ASSERT_EQ(t.ops.size(), 4u);
  EXPECT_EQ(t.ops[0].op, OpId::clone);
  EXPECT_EQ(t.ops[1].op, OpId::view);
  EXPECT_EQ(t.ops[2].op, OpId::mul_);
  EXPECT_EQ(t.ops[3].op, OpId::add);
  // clone, view and mul_'s results share one storage; the input another.
  int64_t y = t.ops[0].outputs[0], v = t.ops[1].outputs[0],
          w = t.ops[2].outputs[0];
  EXPECT_EQ(t.values[y].storage_id, t.values[v].storage_id);
  EXPECT_EQ(t.values[v].storage_id, t.values[w].storage_id);
  EXPECT_NE(t.values[y].storage_id, t.values[t.arguments[0]].storage_id);
  EXPECT_EQ(t.ops[2].inputs[0], v); // mul_ writes the view's value
  EXPECT_NE(w, v);                  // and makes a new one
  // add reads y: the value from before the write (functionalize's job).
  EXPECT_EQ(t.ops[3].inputs[0], y);
  std::string ir = t.to_mlir();
  EXPECT_NE(ir.find("ember.mul_"), std::string::npos) << ir;
}

TEST(Import, MlpToMlirWithLocations) {
  manual_seed(2);
  Net net;
  jit::Trace t = jit::trace(net, {randn({2, 8})});
  std::string ir = t.to_mlir(/*debug_info=*/true);
  EXPECT_NE(ir.find("func.func @forward(%arg0: tensor<2x8xf32> {ember.kind = "
                    "\"input\", ember.name = \"arg0\"}"),
            std::string::npos)
      << ir;
  EXPECT_NE(ir.find("{ember.kind = \"parameter\", ember.name = "
                    "\"fc1.weight\"}"),
            std::string::npos)
      << ir;
  EXPECT_NE(ir.find("ember.relu"), std::string::npos) << ir;
  std::string fc1_loc = "loc(fused[\"fc1\", \"" + std::string(__FILE__) +
                        "\":" + std::to_string(g_fc1_line) + ":";
  EXPECT_NE(ir.find(fc1_loc), std::string::npos) << fc1_loc << "\n" << ir;
  // Without debug info no locations are printed.
  EXPECT_EQ(t.to_mlir().find("loc("), std::string::npos);
}

TEST(Import, CnnImportsAndVerifies) {
  manual_seed(3);
  nn::Sequential features{
      {"0", nn::Conv2d(nn::Conv2dOptions(1, 4, 3).padding(1))},
      {"1", nn::ReLU()},
      {"2", nn::MaxPool2d(2)},
      {"3", nn::Flatten()},
      {"4", nn::Linear(4 * 4 * 4, 10)},
  };
  Tensor x = randn({2, 1, 8, 8});
  jit::Trace t = jit::trace(
      [&](const TensorList &in) {
        return TensorList{log_softmax(features(in[0]), 1)};
      },
      {x}, {.modules = {{"features", &features}}});
  std::set<std::string> paths;
  for (const auto &op : t.ops)
    paths.insert(op.module_path);
  EXPECT_TRUE(paths.count("features.0")) << t;
  EXPECT_TRUE(paths.count("features.2")) << t;
  EXPECT_TRUE(paths.count("features.4")) << t;
  std::string ir = t.to_mlir(true);
  for (const char *op :
       {"ember.conv2d", "ember.max_pool2d", "ember.relu", "ember.log_softmax"})
    EXPECT_NE(ir.find(op), std::string::npos) << op << "\n" << ir;
  EXPECT_NE(ir.find("ember.name = \"features.0.weight\""), std::string::npos)
      << ir;
  EXPECT_NE(ir.find("loc(fused[\"features.0\""), std::string::npos) << ir;
}

TEST(Import, DumpIR) {
  auto dir = std::filesystem::temp_directory_path() /
             ("ember-dump-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  ::setenv("EMBER_DUMP_IR", dir.c_str(), 1);
  jit::Trace t =
      jit::trace([](const TensorList &in) { return TensorList{in[0].exp()}; },
                 {ones({2})}, {.name = "dumped"});
  t.to_mlir();
  ::unsetenv("EMBER_DUMP_IR");
  int files = 0;
  for (const auto &e : std::filesystem::directory_iterator(dir)) {
    ++files;
    EXPECT_NE(e.path().filename().string().find("dumped."), std::string::npos);
    std::string text = read_file("test", e.path().string());
    EXPECT_NE(text.find("ember.exp"), std::string::npos);
    EXPECT_NE(text.find("loc("), std::string::npos); // with locations
  }
  EXPECT_EQ(files, 1);
  std::filesystem::remove_all(dir);
}

TEST(Import, Errors) {
  // An index with an empty slot (x[:, i]) cannot be an operand yet.
  jit::Trace t = jit::trace(
      [](const TensorList &in) {
        return TensorList{in[0].index({Slice(), tensor({int64_t{0}})})};
      },
      {ones({2, 3})});
  EXPECT_EMBER_ERROR(t.to_mlir(), "ember.index_tensor at ");
  EXPECT_EMBER_ERROR(t.to_mlir(), "cannot be imported yet");
  EXPECT_EMBER_ERROR(jit::trace([](const TensorList &in) { return in; },
                                {ones({2}), Tensor()}),
                     "example input 1 is an undefined tensor");
  Tensor a = ones({2});
  EXPECT_EMBER_ERROR(
      jit::trace([](const TensorList &in) { return in; }, {a, a}),
      "example inputs 0 and 1 are the same tensor");
  Net net;
  EXPECT_EMBER_ERROR(jit::trace(net, {ones({1, 8}), ones({1, 8})}),
                     "a module's forward takes one tensor, got 2");
}

} // namespace
