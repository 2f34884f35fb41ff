// The compiled-program runner (runtime/include/ember/runtime/program.h) on
// CPU tensors: verify() on malformed programs, the binary form, run() of
// hand-built programs against ember's eager ops and the CPU kernels
// (bitwise where the same kernel runs), slot lifetimes, and Launch through
// a host launcher running codegen-style kernels (program_test_kernels.h),
// whose text also goes through NVRTC where libnvrtc is present.
#include "ember/ember.h"
#include "ember/runtime/cuda.h"
#include "ember/runtime/kernels/kernels.h"
#include "program_test_kernels.h"
#include "test_util.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>

namespace {

using namespace ember;
using namespace ember::program;
using ember::program::testing::HostLauncher;
using ember::program::testing::mixed_program;
using ember::testing::allclose;
using ember::testing::tensors_equal;

using Impl = std::shared_ptr<TensorImpl>;

// A small program builder: slots and steps by value.
struct Builder {
  Program p;
  explicit Builder(std::string name) { p.name = std::move(name); }
  int32_t slot(std::vector<int64_t> sizes, DType dt = DType::Float32) {
    p.slots.push_back({dt, std::move(sizes)});
    return static_cast<int32_t>(p.slots.size() - 1);
  }
  int32_t input(std::vector<int64_t> sizes, DType dt = DType::Float32) {
    int32_t s = slot(std::move(sizes), dt);
    p.inputs.push_back(s);
    return s;
  }
  Step &step(StepKind k, int32_t out, std::vector<int32_t> in,
             std::vector<int64_t> ints = {}) {
    Step s;
    s.kind = k;
    s.out = out;
    s.in = std::move(in);
    s.ints = std::move(ints);
    p.steps.push_back(s);
    return p.steps.back();
  }
  // A new slot of `sizes` defined by step `k`.
  int32_t def(StepKind k, std::vector<int64_t> sizes, std::vector<int32_t> in,
              std::vector<int64_t> ints = {}) {
    int32_t s = slot(std::move(sizes));
    step(k, s, std::move(in), std::move(ints));
    return s;
  }
  int32_t constant(const Tensor &t) {
    Tensor c = t.contiguous();
    p.constants.emplace_back(static_cast<const char *>(c.raw_data_ptr()),
                             c.numel() * c.element_size());
    int32_t s = slot(c.sizes().vec(), c.dtype());
    step(StepKind::Constant, s, {}).constant =
        static_cast<int32_t>(p.constants.size() - 1);
    return s;
  }
};

class NoLauncher final : public KernelLauncher {
public:
  void launch(size_t, int64_t, void **) override {
    ADD_FAILURE() << "unexpected launch";
  }
};

std::vector<Tensor> run_on(const Program &p, const std::vector<Tensor> &in,
                           KernelLauncher &launcher) {
  std::vector<Impl> impls;
  for (const Tensor &t : in)
    impls.push_back(t.impl_ptr());
  std::vector<Tensor> out;
  for (Impl &i : run(p, impls, launcher))
    out.emplace_back(std::move(i));
  return out;
}
std::vector<Tensor> run_on(const Program &p, const std::vector<Tensor> &in) {
  NoLauncher none;
  return run_on(p, in, none);
}

Tensor sample(IntArrayRef shape, uint64_t seed) {
  manual_seed(seed);
  return randn(shape);
}

// Runs `fn` and checks it throws ember::Error whose message has `part`.
template <typename F> void expect_error(F &&fn, const std::string &part) {
  try {
    fn();
    ADD_FAILURE() << "no error; expected one with '" << part << "'";
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find(part), std::string::npos)
        << "message: " << e.what() << "\nexpected to contain: " << part;
  }
}

// --- verify ------------------------------------------------------------

// x [2, 3] -> clone -> output.
Builder tiny() {
  Builder b("tiny");
  int32_t x = b.input({2, 3});
  b.p.outputs = {b.def(StepKind::Clone, {2, 3}, {x})};
  return b;
}

TEST(ProgramVerify, AcceptsWellFormed) {
  EXPECT_NO_THROW(tiny().p.verify());
  EXPECT_NO_THROW(mixed_program().verify());
}

TEST(ProgramVerify, SlotOutOfRange) {
  Builder b = tiny();
  b.p.steps[0].in[0] = 7;
  expect_error([&] { b.p.verify(); },
               "program 'tiny' step 0 (clone): operand 0 is slot %7, out of "
               "range (2 slots)");
  Builder c = tiny();
  c.p.outputs[0] = -1;
  expect_error([&] { c.p.verify(); }, "output 0 is slot %-1, out of range");
  Builder d = tiny();
  d.p.steps[0].out = 2;
  expect_error([&] { d.p.verify(); }, "result slot %2 is out of range");
}

TEST(ProgramVerify, UseBeforeDefinition) {
  Builder b("ubd");
  int32_t x = b.input({2});
  int32_t later = b.slot({2});
  int32_t y = b.def(StepKind::Clone, {2}, {later});
  b.step(StepKind::Clone, later, {x});
  b.p.outputs = {y};
  expect_error([&] { b.p.verify(); },
               "step 0 (clone): operand 0 is slot %1, used before it is "
               "defined");
  Builder c = tiny();
  c.p.outputs.push_back(c.slot({1}));
  expect_error([&] { c.p.verify(); },
               "output 1 is slot %2, which no input or step defines");
}

TEST(ProgramVerify, Redefinition) {
  Builder b = tiny();
  b.step(StepKind::Clone, 1, {0});
  expect_error([&] { b.p.verify(); }, "step 1 (clone): redefines slot %1");
  Builder c = tiny();
  c.p.steps[0].out = 0;
  expect_error([&] { c.p.verify(); }, "redefines slot %0");
  Builder d = tiny();
  d.p.inputs.push_back(0);
  expect_error([&] { d.p.verify(); }, "input 1 binds slot %0, already bound");
}

TEST(ProgramVerify, WrongArity) {
  Builder b = tiny();
  b.p.steps[0].in.push_back(0);
  expect_error([&] { b.p.verify(); }, "takes 1 operands, got 2");
  Builder m("mm");
  int32_t x = m.input({2, 3});
  m.def(StepKind::Matmul, {2, 2}, {x});
  expect_error([&] { m.p.verify(); }, "takes 2 to 3 operands, got 1");
  Builder t("tr");
  int32_t y = t.input({2, 3});
  t.def(StepKind::Transpose, {3, 2}, {y}, {1});
  expect_error([&] { t.p.verify(); }, "takes 2 integer attributes, got 1");
  Builder e("tr0");
  e.def(StepKind::Transpose, {3, 2}, {});
  expect_error([&] { e.p.verify(); }, "takes 1 operands, got 0");
}

TEST(ProgramVerify, LaunchFields) {
  Program p = mixed_program();
  p.steps[1].written = {2};
  expect_error([&] { p.verify(); },
               "program 'mixed' step 1 (launch): written index 2 is not an "
               "operand (2 operands)");
  p = mixed_program();
  p.steps[1].written = {1, 1};
  expect_error([&] { p.verify(); }, "written index 1 is listed twice");
  p = mixed_program();
  p.steps[1].kernel = 3;
  expect_error([&] { p.verify(); }, "kernel 3 is out of range (3 kernels)");
  p = mixed_program();
  p.steps[1].out = 3;
  expect_error([&] { p.verify(); }, "a launch defines no slot");
}

TEST(ProgramVerify, Shapes) {
  Builder m("mm");
  int32_t a = m.input({2, 3}), b = m.input({4, 5});
  m.def(StepKind::Matmul, {2, 5}, {a, b});
  expect_error([&] { m.p.verify(); }, "f32[2,3] @ f32[4,5] is not f32[2,5]");
  Builder s("slice");
  int32_t x = s.input({4, 4});
  s.def(StepKind::Slice, {3, 2}, {x}, {2, 0, 1, 1});
  expect_error([&] { s.p.verify(); },
               "window of 3 at offset 2 stride 1 leaves dim 0 of size 4");
  Builder c("conv");
  int32_t i = c.input({1, 2, 5, 5}), w = c.input({3, 2, 3, 3});
  c.def(StepKind::Conv2d, {1, 3, 4, 3}, {i, w}, {1, 1, 1, 1});
  expect_error([&] { c.p.verify(); },
               "has 4 positions on spatial dim 0, expected 3");
  Builder k("const");
  k.constant(sample({2, 2}, 1));
  k.p.constants[0].pop_back();
  expect_error([&] { k.p.verify(); }, "constant 0 has 15 bytes, f32[2,2] "
                                      "needs 16");
  Builder r("reshape");
  int32_t y = r.input({2, 3});
  r.def(StepKind::Reshape, {7}, {y});
  expect_error([&] { r.p.verify(); }, "reshapes f32[2,3] (6 elements) to "
                                      "f32[7] (7)");
  Builder big("big");
  big.input({int64_t(1) << 40, int64_t(1) << 40});
  expect_error([&] { big.p.verify(); }, "is too large");
}

// --- serialize / describe ----------------------------------------------

Program rich_program() {
  Builder b("rich");
  int32_t x = b.input({2, 3});
  int32_t c = b.constant(sample({3, 2}, 5));
  int32_t xt = b.def(StepKind::Transpose, {3, 2}, {x}, {1, 0});
  int32_t sum = b.def(StepKind::Matmul, {2, 2}, {x, c});
  int32_t acc = b.def(StepKind::Matmul, {2, 2}, {x, xt, sum});
  int32_t r = b.def(StepKind::Reshape, {4}, {acc});
  b.p.outputs = {r, xt};
  return b.p;
}

TEST(ProgramSerialize, RoundTrip) {
  Program p = rich_program();
  Program q = Program::deserialize(p.serialize());
  EXPECT_EQ(q.describe(), p.describe());
  EXPECT_EQ(q.serialize(), p.serialize());
  Tensor x = sample({2, 3}, 2);
  auto a = run_on(p, {x}), b = run_on(q, {x});
  ASSERT_EQ(a.size(), 2u);
  EXPECT_TRUE(tensors_equal(a[0], b[0]));
  EXPECT_TRUE(tensors_equal(a[1], b[1]));
  Program m = mixed_program();
  Program n = Program::deserialize(m.serialize());
  EXPECT_EQ(n.source, m.source);
  EXPECT_EQ(n.describe(), m.describe());
}

TEST(ProgramSerialize, TruncatedOrCorruptThrows) {
  std::string bytes = rich_program().serialize();
  for (size_t n = 0; n < bytes.size(); ++n)
    EXPECT_THROW(Program::deserialize(bytes.substr(0, n)), Error) << n;
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string bad = bytes;
    bad[i] = static_cast<char>(bad[i] ^ 0x5a);
    EXPECT_THROW(Program::deserialize(bad), Error) << i;
  }
  EXPECT_THROW(Program::deserialize(bytes + "x"), Error);
  expect_error([] { Program::deserialize("hello"); }, "not a serialized");
}

TEST(ProgramSerialize, CheckedCountsWithAValidChecksum) {
  // A payload whose checksum is right but whose name claims 2^60 bytes.
  std::string payload(8, '\0');
  payload[7] = 0x10;
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : payload) {
    h ^= c;
    h *= 1099511628211ull;
  }
  std::string bytes = "EMBERPRG";
  auto put = [&](uint64_t v, int n) {
    for (int i = 0; i < n; ++i)
      bytes.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  };
  put(1, 4);
  put(payload.size(), 8);
  put(h, 8);
  expect_error([&] { Program::deserialize(bytes + payload); },
               "truncated program");
}

TEST(ProgramDescribe, Listing) {
  EXPECT_EQ(rich_program().describe(),
            "program rich(%0: f32[2,3]) -> (%5, %2)\n"
            "  %1 = constant #0 : f32[3,2]\n"
            "  %2 = transpose %0 perm [1, 0] : f32[3,2]\n"
            "  %3 = matmul %0, %1 : f32[2,2]\n"
            "  %4 = matmul %0, %2, %3 : f32[2,2]\n"
            "  %5 = reshape %4 : f32[4]\n");
  std::string m = mixed_program().describe();
  EXPECT_NE(m.find("  launch k0 f_k0 (12 threads) %0, %3 -> writes %3\n"),
            std::string::npos)
      << m;
}

// --- run ---------------------------------------------------------------

TEST(ProgramRun, InputChecks) {
  Program p = tiny().p;
  expect_error([&] { run_on(p, {}); }, "program 'tiny' takes 1 inputs, got 0");
  expect_error(
      [&] {
        run_on(p, {sample({3, 2}, 1)});
      },
      "program 'tiny' input 0: expected float32 of shape [2, 3], "
      "got float32 of shape [3, 2]");
  expect_error(
      [&] {
        run_on(p, {sample({2, 3}, 1).to(kFloat64)});
      },
      "expected float32");
  Builder two("two");
  two.input({2});
  two.input({2});
  expect_error(
      [&] {
        NoLauncher none;
        run(two.p, {sample({2}, 1).impl_ptr(), sample({2}, 2).impl_ptr()}, none,
            Device("cuda"));
      },
      "input 0 is on cpu, expected cuda");
}

TEST(ProgramRun, MatmulPlainTransposedBatchedAccumulate) {
  Builder b("mm");
  int32_t a = b.input({5, 7}), w = b.input({4, 7}), c = b.input({5, 4});
  int32_t x = b.input({3, 5, 7}), y = b.input({3, 7, 2});
  int32_t z = b.input({3, 2, 7});
  int32_t wt = b.def(StepKind::Transpose, {7, 4}, {w}, {1, 0});
  int32_t plain = b.def(StepKind::Matmul, {5, 4}, {a, wt});
  int32_t acc = b.def(StepKind::Matmul, {5, 4}, {a, wt, c});
  int32_t bat = b.def(StepKind::Matmul, {3, 5, 2}, {x, y});
  int32_t zt = b.def(StepKind::Transpose, {3, 7, 2}, {z}, {0, 2, 1});
  int32_t bat_t = b.def(StepKind::Matmul, {3, 5, 2}, {x, zt});
  b.p.outputs = {plain, acc, bat, bat_t};
  Tensor ta = sample({7, 5}, 1).transpose(0, 1); // a strided input
  Tensor tw = sample({4, 7}, 2), tc = sample({5, 4}, 3);
  Tensor tx = sample({3, 5, 7}, 4), ty = sample({3, 7, 2}, 5);
  Tensor tz = sample({3, 2, 7}, 6);
  auto out = run_on(b.p, {ta, tw, tc, tx, ty, tz});
  // The same CPU GEMM on the same layouts: bitwise.
  Tensor want = matmul(ta.contiguous(), tw.transpose(0, 1));
  EXPECT_TRUE(tensors_equal(out[0], want));
  EXPECT_TRUE(tensors_equal(out[1], tc + want));
  EXPECT_TRUE(tensors_equal(out[2], matmul(tx, ty)));
  EXPECT_TRUE(tensors_equal(out[3], matmul(tx, tz.transpose(1, 2))));
}

TEST(ProgramRun, Conv2dPaddedByInsertSlice) {
  // conv2d with padding 1 and stride 2 as the builder emits it: zeros (a
  // Constant), cloned, the input inserted, then an unpadded conv plus bias.
  Tensor x = sample({2, 3, 5, 6}, 7), w = sample({4, 3, 3, 3}, 8);
  Tensor bias = sample({4}, 9);
  Tensor want = conv2d(x, w, bias, {2, 2}, {1, 1});
  Builder b("conv");
  int32_t xi = b.input({2, 3, 5, 6}), wi = b.input({4, 3, 3, 3});
  int32_t acc = b.input({2, 4, 3, 3});
  int32_t zeros = b.constant(ember::zeros({2, 3, 7, 8}));
  int32_t dst = b.def(StepKind::Clone, {2, 3, 7, 8}, {zeros});
  int32_t padded = b.def(StepKind::InsertSlice, {2, 3, 7, 8}, {dst, xi},
                         {0, 0, 1, 1, 1, 1, 1, 1});
  int32_t y =
      b.def(StepKind::Conv2d, {2, 4, 3, 3}, {padded, wi, acc}, {2, 2, 1, 1});
  b.p.outputs = {y};
  Tensor bias_map = bias.reshape({1, 4, 1, 1}).expand({2, 4, 3, 3});
  auto out = run_on(b.p, {x, w, bias_map});
  EXPECT_TRUE(allclose(out[0], want, 1e-5, 1e-5));
  // Dilation 2, no accumulator: against the CPU kernel directly.
  Builder d("dil");
  int32_t di = d.input({2, 3, 5, 6}), dw = d.input({4, 3, 3, 3});
  d.p.outputs = {d.def(StepKind::Conv2d, {2, 4, 1, 1}, {di, dw}, {1, 2, 2, 2})};
  Tensor direct = empty({2, 4, 1, 1});
  kernels::Conv2dParams cp;
  cp.stride[1] = 2;
  cp.dilation[0] = cp.dilation[1] = 2;
  kernels::conv2d(*direct.unsafe_impl(), *x.unsafe_impl(), *w.unsafe_impl(),
                  nullptr, cp);
  EXPECT_TRUE(tensors_equal(run_on(d.p, {x, w})[0], direct));
}

TEST(ProgramRun, MaxPool2dAndNaNPropagatingAccumulate) {
  Tensor x = sample({2, 3, 6, 7}, 11);
  Builder b("pool");
  int32_t xi = b.input({2, 3, 6, 7}), init = b.input({2, 3, 3, 3});
  int32_t p =
      b.def(StepKind::MaxPool2d, {2, 3, 3, 3}, {xi}, {2, 2, 2, 2, 1, 1});
  int32_t q =
      b.def(StepKind::MaxPool2d, {2, 3, 3, 3}, {xi, init}, {2, 3, 2, 2, 1, 1});
  b.p.outputs = {p, q};
  Tensor init_t = full({2, 3, 3, 3}, -std::numeric_limits<double>::infinity());
  init_t.data_ptr<float>()[5] = std::nanf("");
  init_t.data_ptr<float>()[6] = 100.0f;
  auto out = run_on(b.p, {x, init_t});
  EXPECT_TRUE(tensors_equal(out[0], max_pool2d(x, {2, 2}, {2, 2})));
  Tensor want = max_pool2d(x, {2, 3}, {2, 2}).contiguous();
  want.data_ptr<float>()[5] = std::nanf("");
  want.data_ptr<float>()[6] = 100.0f;
  EXPECT_TRUE(tensors_equal(out[1], want));
  EXPECT_TRUE(std::isnan(out[1].contiguous().data_ptr<float>()[5]));
}

TEST(ProgramRun, ViewsInsertSliceCloneReshape) {
  Tensor x = sample({4, 6}, 13), y = sample({2, 3}, 14);
  Builder b("views");
  int32_t xi = b.input({4, 6}), yi = b.input({2, 3});
  // s = x[1:4:2, 0:6:2]
  int32_t s = b.def(StepKind::Slice, {2, 3}, {xi}, {1, 0, 2, 2});
  int32_t c = b.def(StepKind::Clone, {4, 6}, {xi});
  // c[0:2, 3:6] = y (x itself must stay intact: the builder cloned it)
  int32_t ins = b.def(StepKind::InsertSlice, {4, 6}, {c, yi}, {0, 3, 1, 1});
  int32_t r = b.def(StepKind::Reshape, {2, 12}, {ins});
  int32_t t = b.def(StepKind::Transpose, {12, 2}, {r}, {1, 0});
  b.p.outputs = {s, r, t};
  Tensor x_before = x.clone();
  auto out = run_on(b.p, {x, y});
  EXPECT_TRUE(tensors_equal(x, x_before));
  Tensor ws = empty({2, 3});
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      ws.data_ptr<float>()[i * 3 + j] =
          x.data_ptr<float>()[(1 + 2 * i) * 6 + 2 * j];
  EXPECT_TRUE(tensors_equal(out[0], ws));
  Tensor wc = x.clone();
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      wc.data_ptr<float>()[i * 6 + 3 + j] = y.data_ptr<float>()[i * 3 + j];
  EXPECT_TRUE(tensors_equal(out[1], wc.reshape({2, 12})));
  EXPECT_TRUE(tensors_equal(out[2], wc.reshape({2, 12}).transpose(0, 1)));
  // Views share the result's storage.
  EXPECT_EQ(out[1].impl_ptr()->storage(), out[2].impl_ptr()->storage());
}

TEST(ProgramRun, EmptyWindowAtTheEnd) {
  Builder b("empty");
  int32_t x = b.input({4, 6});
  int32_t s = b.def(StepKind::Slice, {0, 6}, {x}, {4, 0, 1, 1});
  int32_t c = b.def(StepKind::Clone, {0, 6}, {s});
  b.p.outputs = {c};
  auto out = run_on(b.p, {sample({4, 6}, 1)});
  EXPECT_EQ(out[0].sizes(), IntArrayRef({0, 6}));
}

TEST(ProgramRun, ConstantsAreCachedAndNeverHandedOut) {
  Tensor k = sample({2, 3}, 17);
  Builder b("const");
  int32_t c = b.constant(k);
  b.p.outputs = {c, b.def(StepKind::Reshape, {6}, {c})};
  auto first = run_on(b.p, {});
  EXPECT_TRUE(tensors_equal(first[0], k));
  EXPECT_TRUE(tensors_equal(first[1], k.reshape({6})));
  EXPECT_EQ(b.p.constant_cache.by_device.size(), 1u);
  first[0].data_ptr<float>()[0] = 1e6f; // a copy, not the cache
  first[1].data_ptr<float>()[1] = 1e6f;
  auto second = run_on(b.p, {});
  EXPECT_TRUE(tensors_equal(second[0], k));
  EXPECT_TRUE(tensors_equal(second[1], k.reshape({6})));
  // One constant that two steps read as two types.
  Builder two("shared");
  int32_t as_matrix = two.constant(k);
  int32_t flat = two.slot({6});
  two.step(StepKind::Constant, flat, {}).constant = 0;
  two.p.outputs = {as_matrix, flat};
  auto both = run_on(two.p, {});
  EXPECT_TRUE(tensors_equal(both[0], k));
  EXPECT_TRUE(tensors_equal(both[1], k.reshape({6})));
  // Writing into a constant is refused.
  Builder w("write");
  int32_t wc = w.constant(k);
  int32_t y = w.input({1, 3});
  w.p.outputs = {w.def(StepKind::InsertSlice, {2, 3}, {wc, y}, {0, 0, 1, 1})};
  expect_error(
      [&] {
        run_on(w.p, {sample({1, 3}, 1)});
      },
      "step 1: writes into a constant");
}

TEST(ProgramRun, SlotsAreReleasedAfterTheirLastUse) {
  Tensor x = sample({3, 4}, 19), bias = sample({4}, 20);
  // m (a Matmul result) is last used by launch 1 (step 5); o lives on.
  Program p = mixed_program();
  HostLauncher host;
  std::vector<long> x_uses;
  host.on_launch = [&](size_t) { x_uses.push_back(x.impl_ptr().use_count()); };
  Tensor w = sample({4, 4}, 21);
  long before = x.impl_ptr().use_count();
  std::vector<Impl> in = {x.impl_ptr(), w.impl_ptr(), bias.impl_ptr()};
  run(p, in, host);
  // x's slot is held during launch 0 (its only use), released by launch 1.
  ASSERT_EQ(x_uses.size(), 3u);
  EXPECT_EQ(x_uses[0], before + 3); // `in`, the slot, the launch's operand
  EXPECT_EQ(x_uses[1], before + 1); // `in` only
  EXPECT_EQ(x_uses[2], before + 1);
  // A dead intermediate's memory is reused: in a chain of clones only two
  // are live at a time, so the CPU block cache serves all but two of the
  // 1 MiB allocations (without liveness every one would be new).
  Builder b("chain");
  constexpr int64_t n = kCpuCacheMinBytes / sizeof(float);
  int32_t s = b.input({n});
  for (int i = 0; i < 6; ++i)
    s = b.def(StepKind::Clone, {n}, {s});
  b.p.outputs = {s};
  Tensor chain_in = sample({n}, 1);
  cpu_empty_cache();
  reset_cpu_cache_stats();
  Tensor out = run_on(b.p, {chain_in})[0];
  EXPECT_EQ(out.impl_ptr().use_count(), 1);
  CpuCacheStats st = cpu_cache_stats();
  if (st.limit_bytes == 0)
    GTEST_SKIP() << "the CPU block cache is off (ASan build or "
                    "EMBER_CPU_CACHE_BYTES=0)";
  EXPECT_EQ(st.misses, 2u);
  EXPECT_EQ(st.hits, 4u);
}

TEST(ProgramLaunch, MixedProgramMatchesEager) {
  Tensor x = sample({3, 4}, 23), w = sample({4, 4}, 24), b = sample({4}, 25);
  HostLauncher host;
  auto out = run_on(mixed_program(), {x, w, b}, host);
  Tensor want = relu(matmul(x * 2.0 + 1.0, w.transpose(0, 1)) + b);
  EXPECT_TRUE(allclose(out[0], want, 1e-6, 1e-6));
  EXPECT_TRUE(tensors_equal(out[0], want));
  ASSERT_EQ(host.launches.size(), 3u);
  EXPECT_EQ(host.launches[0], (std::pair<size_t, int64_t>{0, 12}));
  EXPECT_EQ(host.launches[2], (std::pair<size_t, int64_t>{2, 12}));
}

TEST(ProgramLaunch, NonContiguousOperands) {
  // A read operand that is a view is passed as a contiguous copy.
  Builder b("nc");
  b.p.source = kProgramSource;
  b.p.kernels = {"f_k0"};
  int32_t x = b.input({4, 3});
  int32_t xt = b.def(StepKind::Transpose, {3, 4}, {x}, {1, 0});
  int32_t o = b.def(StepKind::Empty, {3, 4}, {});
  Step &l = b.step(StepKind::Launch, -1, {xt, o});
  l.kernel = 0;
  l.threads = 12;
  l.written = {1};
  b.p.outputs = {o};
  HostLauncher host;
  Tensor tx = sample({4, 3}, 27);
  auto out = run_on(b.p, {tx}, host);
  EXPECT_TRUE(tensors_equal(out[0], tx.transpose(0, 1) * 2.0 + 1.0));
  // A written operand must already be contiguous.
  Builder bad("bad");
  bad.p.source = kProgramSource;
  bad.p.kernels = {"f_k0", "f_k1", "f_k2"};
  int32_t y = bad.input({4, 3});
  int32_t c = bad.def(StepKind::Clone, {4, 3}, {y});
  int32_t ct = bad.def(StepKind::Transpose, {3, 4}, {c}, {1, 0});
  Step &k = bad.step(StepKind::Launch, -1, {ct});
  k.kernel = 2;
  k.threads = 12;
  k.written = {0};
  bad.p.outputs = {c};
  expect_error([&] { run_on(bad.p, {tx}, host); },
               "program 'bad' step 2: kernel f_k2 writes operand 0 (%2), "
               "which is not contiguous");
}

TEST(ProgramLaunch, SourceCompilesWithNvrtc) {
  std::string ptx, cubin;
  try {
    ptx = nvrtc_compile(kProgramSource, "mixed.cu", 90, true);
    cubin = nvrtc_compile(kProgramSource, "mixed.cu", 90, false);
  } catch (const Error &e) {
    std::string m = e.what();
    if (m.find("cannot load libnvrtc") != std::string::npos ||
        m.find("no CUDA support") != std::string::npos)
      GTEST_SKIP() << m;
    FAIL() << m;
  }
  for (const char *k : {"f_k0", "f_k1", "f_k2"})
    EXPECT_NE(ptx.find(std::string(".entry ") + k), std::string::npos) << k;
  EXPECT_EQ(ptx.find('\0'), std::string::npos);
  ASSERT_GE(cubin.size(), 4u);
  EXPECT_EQ(cubin.substr(0, 4), std::string("\x7f"
                                            "ELF"));
  expect_error(
      [] {
        nvrtc_compile("extern \"C\" __global__ void f( {", "bad.cu", 90, true);
      },
      "bad.cu");
}

// Without a GPU (or without CUDA in the build) the CUDA launchers refuse
// cleanly.
TEST(ProgramLaunch, CudaLauncherWithoutAGpuThrows) {
  if (ember::cuda::is_available())
    GTEST_SKIP() << "a GPU is present (cuda_device_test runs the launcher)";
  const Program p = mixed_program();
  EXPECT_THROW(cuda_launcher(p), Error);
  EXPECT_THROW(cuda_launcher(p, "not an image"), Error);
}

} // namespace
