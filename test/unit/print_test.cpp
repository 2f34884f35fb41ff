// ember::to_string against torch 1.13's repr() (goldens from
// test/golden/gen_print.py): every case of test/golden/print/cases.txt is
// rebuilt from its .npy input, view transform and print options, and must
// print exactly as PyTorch did, "torch." reading "ember.".
#include <cmath> // before test_util.h, which uses std::isnan

#include "test_util.h"

#include <fstream>
#include <sstream>
#include <vector>

using namespace ember;

namespace {

const std::string kDir = std::string(EMBER_GOLDEN_DIR) + "/print/";

struct Case {
  std::string name, transform;
  PrintOptions opts;
  DType default_dtype = kFloat32;
};

std::vector<Case> load_cases() {
  std::vector<Case> cases;
  std::ifstream in(kDir + "cases.txt");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty())
      continue;
    std::istringstream ls(line);
    Case c;
    std::string sci, def;
    ls >> c.name >> c.transform >> c.opts.precision >> c.opts.threshold >>
        c.opts.edgeitems >> c.opts.linewidth >> sci >> def;
    if (sci != "none")
      c.opts.sci_mode = sci == "true";
    c.default_dtype = def == "float64" ? kFloat64 : kFloat32;
    cases.push_back(c);
  }
  return cases;
}

std::string read_text(const std::string &path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string torch_to_ember(std::string s) {
  for (size_t p = s.find("torch."); p != std::string::npos;
       p = s.find("torch.", p))
    s.replace(p, 6, "ember.");
  return s;
}

// The view transforms of gen_print.py's transform().
Tensor make_view_for(const Tensor &x, const std::string &how) {
  if (how == "none")
    return x;
  if (how == "t")
    return x.t();
  if (how == "step")
    return x.slice(-1, std::nullopt, std::nullopt, 2);
  if (how == "permute")
    return x.permute({2, 0, 1});
  if (how == "select")
    return x.select(1, 1);
  if (how == "expand3")
    return x.expand({3, x.size(1)});
  if (how == "flip_slice")
    return x.slice(0, 1).slice(1, 1, std::nullopt, 3);
  ADD_FAILURE() << "unknown transform " << how;
  return x;
}

class RestoreOptions {
public:
  ~RestoreOptions() {
    set_printoptions(PrintOptions{});
    set_default_dtype(kFloat32);
  }
};

class PrintGolden : public ::testing::TestWithParam<Case> {};

TEST_P(PrintGolden, MatchesTorchRepr) {
  const Case &c = GetParam();
  RestoreOptions restore;
  Tensor x =
      make_view_for(ember::testing::golden("print", c.name), c.transform);
  if (c.transform != "none" && c.transform != "select") {
    EXPECT_FALSE(x.is_contiguous()) << "the case should print a strided view";
  }
  set_printoptions(c.opts);
  set_default_dtype(c.default_dtype);
  EXPECT_EQ(to_string(x), torch_to_ember(read_text(kDir + c.name + ".txt")));
}

INSTANTIATE_TEST_SUITE_P(Torch, PrintGolden, ::testing::ValuesIn(load_cases()),
                         [](const ::testing::TestParamInfo<Case> &i) {
                           return i.param.name;
                         });

TEST(Print, CasesLoaded) { EXPECT_GE(load_cases().size(), 80u); }

TEST(Print, StreamAndToStringAgree) {
  Tensor t = tensor({1.5, 2.25});
  std::ostringstream os;
  os << t;
  EXPECT_EQ(os.str(), "tensor([1.5000, 2.2500])");
  EXPECT_EQ(t.toString(), os.str());
}

TEST(Print, BuiltInTensors) {
  EXPECT_EQ(to_string(tensor({1.0, 2.0})), "tensor([1., 2.])");
  EXPECT_EQ(to_string(tensor({true, false})), "tensor([ True, False])");
  EXPECT_EQ(to_string(full({}, 3.5)), "tensor(3.5000)");
  EXPECT_EQ(to_string(zeros({0, 3})), "tensor([], size=(0, 3))");
  EXPECT_EQ(to_string(tensor({1.0e-5, 1.0e3})),
            "tensor([1.0000e-05, 1.0000e+03])");
  EXPECT_EQ(to_string(tensor({1, 2}, dtype(kInt32))),
            "tensor([1, 2], dtype=ember.int32)");
  EXPECT_EQ(to_string(Tensor()), "tensor(undefined)");
}

TEST(Print, OptionsRoundTrip) {
  RestoreOptions restore;
  PrintOptions o;
  o.precision = 2;
  o.sci_mode = false;
  set_printoptions(o);
  EXPECT_EQ(get_printoptions().precision, 2);
  EXPECT_EQ(get_printoptions().sci_mode, std::optional<bool>(false));
  // Widths still come from the automatic (scientific) choice, as in torch.
  EXPECT_EQ(to_string(tensor({1e-6, 1.0})), "tensor([    0.00,     1.00])");
  set_printoptions(PrintOptions{});
  EXPECT_EQ(get_printoptions().precision, 4);
  EXPECT_FALSE(get_printoptions().sci_mode.has_value());
}

TEST(Print, OptionErrors) {
  PrintOptions o;
  o.precision = -1;
  EXPECT_EMBER_ERROR(
      set_printoptions(o),
      "ember::set_printoptions: precision must be non-negative, got -1");
  o = PrintOptions{};
  o.edgeitems = -2;
  EXPECT_EMBER_ERROR(set_printoptions(o),
                     "edgeitems must be non-negative, got -2");
}

TEST(Print, CudaDeviceSuffix) {
  if (!cuda::is_available())
    GTEST_SKIP() << "no CUDA device";
  Tensor t = tensor({1.0, 2.0}).cuda();
  EXPECT_EQ(to_string(t), "tensor([1., 2.], device='cuda:0')");
  EXPECT_EQ(to_string(tensor({1, 2}, dtype(kInt32)).cuda()),
            "tensor([1, 2], device='cuda:0', dtype=ember.int32)");
}

} // namespace
