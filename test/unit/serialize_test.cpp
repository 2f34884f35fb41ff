// safetensors save/load and training checkpoints (ember/serialize.h).
#include "test_util.h"

#include <ember/runtime/file_io.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace ember;
using namespace ember::testing;
namespace fs = std::filesystem;

namespace {

// A fresh folder per test under the system temp dir.
struct TempDir {
  fs::path dir;
  TempDir() {
    const auto *info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir = fs::temp_directory_path() /
          (std::string("ember_serialize_") + info->name() + "_" +
           std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~TempDir() { fs::remove_all(dir); }
  std::string operator/(const std::string &name) const {
    return (dir / name).string();
  }
};

std::string read_bytes(const std::string &path) {
  return read_file("test", path);
}
void write_bytes(const std::string &path, const std::string &bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// A file with the given JSON header (padded as the writer pads it) and data.
std::string raw_file(std::string header, const std::string &data) {
  header.append((8 - header.size() % 8) % 8, ' ');
  std::string out;
  uint64_t n = header.size();
  for (int b = 0; b < 8; ++b)
    out.push_back(static_cast<char>((n >> (8 * b)) & 0xff));
  return out + header + data;
}

uint64_t header_len(const std::string &bytes) {
  uint64_t n = 0;
  for (int b = 7; b >= 0; --b)
    n = (n << 8) | static_cast<unsigned char>(bytes[static_cast<size_t>(b)]);
  return n;
}

OrderedDict<Tensor> sample() {
  manual_seed(3);
  OrderedDict<Tensor> d;
  d.insert("f32", randn({2, 3}));
  d.insert("f64", randn({4}, dtype(kFloat64)));
  d.insert("i32", randint(-50, 50, {3, 1}, dtype(kInt32)));
  d.insert("i64", randint(-1000, 1000, {2, 2}));
  d.insert("u8", randint(0, 256, {5}, dtype(kUInt8)));
  d.insert("bool", randn({3}) > 0);
  d.insert("scalar", tensor(2.5));
  d.insert("scalar_i64", full({}, 7, dtype(kInt64)));
  d.insert("empty", empty({0, 4}));
  d.insert("empty_bool", empty({2, 0}, dtype(kBool)));
  d.insert("transposed", randn({3, 4}, dtype(kFloat64)).transpose(0, 1));
  d.insert("strided", arange(20, dtype(kInt32)).slice(0, 1, 20, 3));
  return d;
}

} // namespace

TEST(Serialize, RoundTripEveryDtype) {
  TempDir tmp;
  auto d = sample();
  EXPECT_FALSE(d["transposed"].is_contiguous());
  EXPECT_FALSE(d["strided"].is_contiguous());
  std::map<std::string, std::string> meta = {
      {"format", "pt"}, {"quote \"\\\n", "caf\xc3\xa9 \x01"}};
  save(d, tmp / "a.safetensors", meta);
  SafetensorsFile f = load_file(tmp / "a.safetensors");
  ASSERT_EQ(f.tensors.size(), d.size());
  size_t i = 0;
  for (const auto &item : d) {
    // Names come back in the order they were saved.
    EXPECT_EQ(f.tensors.keys()[i++], item.key());
    EXPECT_TRUE(tensors_equal(f.tensors[item.key()], item.value()))
        << item.key();
    EXPECT_TRUE(f.tensors[item.key()].is_contiguous());
  }
  EXPECT_EQ(f.metadata, meta);
  EXPECT_EQ(load_metadata(tmp / "a.safetensors"), meta);
  EXPECT_EQ(load(tmp / "a.safetensors").size(), d.size());
}

TEST(Serialize, LayoutMatchesReference) {
  TempDir tmp;
  OrderedDict<Tensor> d;
  d.insert("b", arange(3, dtype(kUInt8)));
  d.insert("a", tensor(std::vector<double>{1.0, 2.0}));
  save(d, tmp / "x.safetensors");
  std::string bytes = read_bytes(tmp / "x.safetensors");
  uint64_t n = header_len(bytes);
  EXPECT_EQ(n % 8, 0u);
  std::string header = bytes.substr(8, n);
  // No __metadata__ when none is given; larger dtypes first in the data.
  EXPECT_EQ(header.substr(0, header.find_last_not_of(' ') + 1),
            "{\"b\":{\"dtype\":\"U8\",\"shape\":[3],\"data_offsets\":[16,19]},"
            "\"a\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]}}");
  EXPECT_EQ(bytes.size(), 8 + n + 19);
  EXPECT_EQ(bytes.substr(8 + n + 16), std::string("\x00\x01\x02", 3));
}

TEST(Serialize, LoadsPythonReferenceFile) {
  std::string path =
      std::string(EMBER_GOLDEN_DIR) + "/serialize/ref.safetensors";
  SafetensorsFile f = load_file(path);
  for (const char *name :
       {"weight", "bias", "ids", "steps", "pixels", "mask", "empty", "count"}) {
    const Tensor *t = f.tensors.find(name);
    ASSERT_TRUE(t) << name;
    EXPECT_TRUE(tensors_equal(*t, golden("serialize", name))) << name;
  }
  EXPECT_EQ(f.tensors.size(), 8u);
  EXPECT_EQ(f.metadata.at("format"), "pt");
  EXPECT_EQ(f.metadata.at("note"), "caf\xc3\xa9 \"q\"");
  EXPECT_EQ(f.tensors["steps"].dim(), 0);
  // Saved again, the data section is byte-identical (same data order).
  TempDir tmp;
  save(f.tensors, tmp / "again.safetensors", f.metadata);
  std::string ref = read_bytes(path),
              ours = read_bytes(tmp / "again.safetensors");
  size_t ref_data = 8 + header_len(ref), our_data = 8 + header_len(ours);
  EXPECT_EQ(ours.substr(our_data), ref.substr(ref_data));
  EXPECT_EQ(header_len(ours) % 8, 0u);
}

TEST(Serialize, ModuleStateDict) {
  TempDir tmp;
  manual_seed(1);
  nn::Sequential a(nn::Linear(3, 4), nn::BatchNorm1d(4), nn::Linear(4, 2));
  manual_seed(2);
  nn::Sequential b(nn::Linear(3, 4), nn::BatchNorm1d(4), nn::Linear(4, 2));
  a.train();
  a.forward(randn({5, 3})); // moves the running stats (buffers)
  save(a.state_dict(), tmp / "model.safetensors");
  b.load_state_dict(load(tmp / "model.safetensors"));
  a.eval();
  b.eval();
  Tensor x = randn({2, 3});
  EXPECT_TRUE(tensors_equal(a.forward(x), b.forward(x)));
}

TEST(Serialize, HostileHeaders) {
  TempDir tmp;
  std::string p = tmp / "h.safetensors";
  write_bytes(p, raw_file("{\"a\":" + std::string(100, '[') +
                              std::string(100, ']') + "}",
                          ""));
  EXPECT_EMBER_ERROR(load(p), "nesting too deep");
  write_bytes(p, raw_file(R"({"x":{"dtype":"U8","shape":[4294967296,)"
                          R"(4294967296,4294967296],"data_offsets":[0,0]}})",
                          ""));
  EXPECT_EMBER_ERROR(load(p), "does not match data_offsets [0, 0]");
  write_bytes(p, raw_file(R"({"x":{"dtype":"U8","shape":[1],)"
                          R"("data_offsets":[0,18446744073709551616]}})",
                          ""));
  EXPECT_EMBER_ERROR(load(p), "data_offsets is not a list of two");
  write_bytes(p, raw_file(R"({"x":{"dtype":"U8","shape":[1.5],)"
                          R"("data_offsets":[0,1]}})",
                          "a"));
  EXPECT_EMBER_ERROR(load(p), "shape holds '1.5'");
  write_bytes(p, raw_file(R"({"\ud800":1})", ""));
  EXPECT_EMBER_ERROR(load(p), "unpaired surrogate");
  write_bytes(p, raw_file(R"({"\ud83d\ude00\n":{"dtype":"U8","shape":[],)"
                          R"("data_offsets":[0,1]}})",
                          "a"));
  EXPECT_TRUE(load(p).find("\xf0\x9f\x98\x80\n"));
}

TEST(Serialize, TruncatedFiles) {
  TempDir tmp;
  save(sample(), tmp / "ok.safetensors", {{"k", "v"}});
  std::string bytes = read_bytes(tmp / "ok.safetensors");
  uint64_t n = header_len(bytes);
  std::string p = tmp / "t.safetensors";
  auto cut = [&](size_t size) { write_bytes(p, bytes.substr(0, size)); };
  cut(0);
  EXPECT_EMBER_ERROR(load(p), "t.safetensors' is not a valid safetensors "
                              "file: the file is 0 bytes, too short");
  cut(5);
  EXPECT_EMBER_ERROR(load(p), "the file is 5 bytes, too short for the 8-byte");
  cut(8);
  EXPECT_EMBER_ERROR(load(p), "header length " + std::to_string(n) +
                                  " exceeds the 0 bytes after it");
  cut(8 + n / 2);
  EXPECT_EMBER_ERROR(load(p), "exceeds the " + std::to_string(n / 2) +
                                  " bytes after it (truncated");
  cut(8 + n);
  EXPECT_EMBER_ERROR(load(p), "out of bounds of the 0-byte data buffer "
                              "(truncated file?)");
  cut(bytes.size() - 1);
  EXPECT_EMBER_ERROR(load(p), "out of bounds of the");
  // Extra bytes at the end are not covered by any tensor.
  write_bytes(p, bytes + "xy");
  EXPECT_EMBER_ERROR(load(p), "bytes but the tensors cover");
  EXPECT_EMBER_ERROR(load(tmp / "missing.safetensors"), "missing.safetensors");
}

TEST(Serialize, CorruptedHeader) {
  TempDir tmp;
  OrderedDict<Tensor> d;
  d.insert("w", arange(6, dtype(kFloat32)).reshape({2, 3}));
  d.insert("v", arange(2, dtype(kInt64)));
  save(d, tmp / "ok.safetensors");
  std::string bytes = read_bytes(tmp / "ok.safetensors");
  std::string p = tmp / "c.safetensors";
  auto corrupt = [&](size_t at, char c) {
    std::string b = bytes;
    b[at] = c;
    write_bytes(p, b);
  };
  // Header length: a flipped high byte is far too large; a low bit short.
  corrupt(3, '\x01');
  EXPECT_EMBER_ERROR(load(p), "c.safetensors' is not a valid safetensors "
                              "file: header length");
  corrupt(5, '\x40');
  EXPECT_EMBER_ERROR(load(p), "exceeds the limit of 100000000 bytes");
  corrupt(0, static_cast<char>(bytes[0] - 8));
  EXPECT_EMBER_ERROR(load(p), "invalid JSON header");
  // JSON syntax.
  size_t colon = bytes.find(':');
  corrupt(colon, ';');
  EXPECT_EMBER_ERROR(load(p), "invalid JSON header: expected ':' in object "
                              "at byte");
  corrupt(8, '[');
  EXPECT_EMBER_ERROR(load(p), "does not start with '{'");
  // Offsets: a digit changed.
  // (v, the larger dtype, comes first in the data: [0, 16], w [16, 40].)
  size_t off = bytes.find("[16,40]");
  ASSERT_NE(off, std::string::npos);
  corrupt(off + 4, '2');
  EXPECT_EMBER_ERROR(load(p), "tensor 'w' of dtype F32 and shape [2, 3] does "
                              "not match data_offsets [16, 20]");
  corrupt(off + 1, '9');
  EXPECT_EMBER_ERROR(load(p), "data_offsets [96, 40] end before they begin");
  corrupt(off + 2, '0');
  EXPECT_EMBER_ERROR(load(p), "shape [2, 3] does not match data_offsets "
                              "[10, 40] (30 bytes)");
}

TEST(Serialize, InvalidHeaders) {
  TempDir tmp;
  std::string p = tmp / "h.safetensors";
  auto check = [&](const std::string &header, const std::string &data,
                   const std::string &msg) {
    write_bytes(p, raw_file(header, data));
    EXPECT_EMBER_ERROR(load(p), msg);
  };
  std::string d8(8, '\0');
  check(R"({"x":{"dtype":"F33","shape":[2],"data_offsets":[0,8]}})", d8,
        "tensor 'x' has unknown dtype 'F33'");
  check(R"({"x":{"dtype":"F16","shape":[4],"data_offsets":[0,8]}})", d8,
        "tensor 'x' has dtype 'F16', which ember does not support");
  check(R"({"x":{"dtype":"f32","shape":[2],"data_offsets":[0,8]}})", d8,
        "unknown dtype 'f32'");
  check(R"({"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
        R"("y":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
        d8, "data ranges of tensors 'x' [0, 8] and 'y' [4, 8] overlap");
  check(R"({"x":{"dtype":"U8","shape":[4],"data_offsets":[4,8]}})", d8,
        "gap in the data buffer before tensor 'x' [4, 8]");
  check(R"({"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
        R"("x":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
        d8, "duplicate name 'x'");
  check(R"({"x":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", d8,
        "tensor 'x' of dtype F32 and shape [3] does not match data_offsets "
        "[0, 8] (8 bytes)");
  check(R"({"x":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", d8,
        "shape holds '-2', not a non-negative integer");
  check(R"({"x":{"dtype":"F32","shape":[2],"data_offsets":[0]}})", d8,
        "data_offsets is not a list of two non-negative integers");
  check(R"({"x":{"dtype":"F32","shape":[2]}})", d8, "lacks 'data_offsets'");
  check(R"({"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"o":1}})", d8,
        "tensor 'x' has unknown key 'o'");
  check(R"({"__metadata__":{"a":1}})", "",
        "__metadata__ value of 'a' is not a string");
  check(R"({"x":{"dtype":"BOOL","shape":[2],"data_offsets":[0,2]}})",
        std::string("\x01\x02", 2), "dtype BOOL holds byte 2");
  check("{\"x\xff\":1}", "", "not valid UTF-8");
  check(R"({"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]})", d8,
        "invalid JSON header: unexpected end of input in object");
  check(R"([1])", "", "does not start with '{'");
  check(R"({} x)", "", "invalid JSON header: trailing characters at byte 3");
  // A valid hand-made file loads.
  write_bytes(p, raw_file(R"({"x":{"dtype":"I32","shape":[1,2],)"
                          R"("data_offsets":[0,8]}})",
                          std::string("\x01\0\0\0\xff\xff\xff\xff", 8)));
  EXPECT_TRUE(tensors_equal(
      load(p)["x"], tensor(std::vector<int32_t>{1, -1}).reshape({1, 2})));
}

TEST(Serialize, SaveErrors) {
  TempDir tmp;
  OrderedDict<Tensor> d;
  d.insert("u", Tensor());
  EXPECT_EMBER_ERROR(save(d, tmp / "u.safetensors"),
                     "ember::save: '" + (tmp / "u.safetensors") +
                         "': tensor 'u' is undefined");
  OrderedDict<Tensor> m;
  m.insert("__metadata__", zeros({1}));
  EXPECT_EMBER_ERROR(save(m, tmp / "m.safetensors"),
                     "cannot be named '__metadata__'");
  OrderedDict<Tensor> n;
  n.insert("bad\xff", zeros({1}));
  EXPECT_EMBER_ERROR(save(n, tmp / "n.safetensors"),
                     "tensor names must be valid UTF-8");
  EXPECT_EMBER_ERROR(save({}, tmp / "n.safetensors", {{"k", "\xc3"}}),
                     "metadata must be valid UTF-8 (key 'k')");
  EXPECT_FALSE(fs::exists(tmp / "u.safetensors"));
}

TEST(Serialize, WritesAreAtomic) {
  TempDir tmp;
  std::string p = tmp / "model.safetensors";
  OrderedDict<Tensor> first;
  first.insert("w", ones({3}));
  save(first, p);
  std::string before = read_bytes(p);
  // A failing save (bad input) leaves the previous file as it was.
  OrderedDict<Tensor> bad;
  bad.insert("w", zeros({3}));
  bad.insert("x", Tensor());
  EXPECT_ANY_THROW(save(bad, p));
  EXPECT_EQ(read_bytes(p), before);
  // A failing write (the target is a folder) leaves no temporary behind.
  fs::create_directories(tmp.dir / "taken" / "inner");
  EXPECT_EMBER_ERROR(save(first, tmp / "taken"), "taken");
  // A folder that does not exist.
  EXPECT_EMBER_ERROR(save(first, tmp / "nope/model.safetensors"),
                     "nope/model.safetensors");
  // Overwriting replaces the file; only the saved files remain.
  save(bad.size() ? OrderedDict<Tensor>{{"w", zeros({3})}} : first, p);
  EXPECT_TRUE(tensors_equal(load(p)["w"], zeros({3})));
  std::vector<std::string> names;
  for (const auto &e : fs::directory_iterator(tmp.dir))
    names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"model.safetensors", "taken"}));
}

// ---------------------------------------------------------------------------
// Checkpoints

namespace {

struct Net : nn::Module {
  nn::Linear fc1{3, 5}, fc2{5, 2};
  Net() {
    register_module("fc1", fc1);
    register_module("fc2", fc2);
  }
  Tensor forward(const Tensor &x) override { return fc2(tanh(fc1(x))); }
};

// One step on a fresh random batch (so the RNG state matters).
void train_step(Net &net, optim::Optimizer &opt) {
  Tensor x = randn({4, 3});
  Tensor y = randn({4, 2});
  opt.zero_grad();
  Tensor loss = ((net(x) - y) * (net(x) - y)).mean();
  loss.backward();
  opt.step();
}

template <typename Opt, typename Options>
void check_resume(const Options &options) {
  TempDir tmp;
  std::string p = tmp / "ckpt.safetensors";
  manual_seed(11);
  Net a;
  Opt opt_a(a.parameters(), options);
  optim::lr_scheduler::StepLR sched_a(opt_a, 2, 0.5);
  for (int epoch = 0; epoch < 3; ++epoch) {
    train_step(a, opt_a);
    sched_a.step();
  }
  Checkpoint c;
  c.model = a.state_dict();
  c.optimizer = opt_a.state_dict();
  c.scheduler = sched_a.state_dict();
  c.epoch = 3;
  c.rng_state = default_generator().get_state();
  save_checkpoint(p, c);
  for (int epoch = 3; epoch < 6; ++epoch) {
    train_step(a, opt_a);
    sched_a.step();
  }

  // A fresh process: different init and RNG, then resume.
  manual_seed(999);
  Net b;
  Opt opt_b(b.parameters(), options);
  optim::lr_scheduler::StepLR sched_b(opt_b, 2, 0.5);
  Checkpoint r = load_checkpoint(p);
  EXPECT_EQ(r.epoch, 3);
  b.load_state_dict(r.model);
  opt_b.load_state_dict(*r.optimizer);
  sched_b.load_state_dict(*r.scheduler);
  default_generator().set_state(*r.rng_state);
  for (int64_t epoch = r.epoch; epoch < 6; ++epoch) {
    train_step(b, opt_b);
    sched_b.step();
  }
  auto pa = a.state_dict(), pb = b.state_dict();
  for (const auto &item : pa)
    EXPECT_TRUE(tensors_equal(pb[item.key()], item.value())) << item.key();
  EXPECT_EQ(sched_b.get_last_lr(), sched_a.get_last_lr());
  auto sa = opt_a.state_dict(), sb = opt_b.state_dict();
  ASSERT_EQ(sa.state.size(), sb.state.size());
  for (const auto &[i, st] : sa.state)
    for (const auto &item : st)
      EXPECT_TRUE(tensors_equal(sb.state.at(i)[item.key()], item.value()))
          << i << "." << item.key();
}

} // namespace

TEST(Checkpoint, ResumeSgdMomentumIsBitIdentical) {
  check_resume<optim::SGD>(optim::SGDOptions(0.1).momentum(0.9).nesterov(true));
}

TEST(Checkpoint, ResumeAdamIsBitIdentical) {
  check_resume<optim::Adam>(optim::AdamOptions(0.01).amsgrad(true));
}

TEST(Checkpoint, RoundTripOfEveryField) {
  TempDir tmp;
  Checkpoint c;
  c.model.insert("w", arange(4, dtype(kFloat64)));
  optim::OptimizerStateDict o;
  o.state[1].insert("exp_avg", ones({2}));
  o.state[1].insert("step", tensor(3.0f));
  o.state[3].insert("momentum_buffer", zeros({1}));
  optim::OptimizerStateDict::Group g;
  g.params = {0, 1};
  g.options.insert("lr", 0.1);
  g.options.insert("betas", std::vector<double>{0.9, 0.999});
  g.options.insert("amsgrad", false);
  g.options.insert("count", int64_t{-4});
  g.options.insert("mode", std::string("min \"x\""));
  g.options.insert("whole", 1.0);
  g.options.insert("inf", std::vector<double>{INFINITY, -INFINITY, 1e-300});
  g.options.insert("ms", std::vector<int64_t>{});
  o.param_groups.push_back(g);
  o.param_groups.push_back({{2, 3}, {}});
  c.optimizer = std::move(o);
  c.scheduler = optim::StateValueDict{};
  c.scheduler->insert("last_epoch", int64_t{5});
  c.scheduler->insert("base_lrs", std::vector<double>{0.1, 1.0 / 3});
  c.epoch = 42;
  c.rng_state = std::make_pair(~uint64_t{0}, uint64_t{12345});
  c.extra["run"] = "exp-1";
  save_checkpoint(tmp / "c.safetensors", c);
  Checkpoint r = load_checkpoint(tmp / "c.safetensors");
  EXPECT_TRUE(tensors_equal(r.model["w"], c.model["w"]));
  ASSERT_TRUE(r.optimizer);
  ASSERT_EQ(r.optimizer->state.size(), 2u);
  EXPECT_EQ(r.optimizer->state[1].keys(),
            (std::vector<std::string>{"exp_avg", "step"}));
  EXPECT_TRUE(tensors_equal(r.optimizer->state[1]["step"], tensor(3.0f)));
  EXPECT_TRUE(
      tensors_equal(r.optimizer->state[3]["momentum_buffer"], zeros({1})));
  ASSERT_EQ(r.optimizer->param_groups.size(), 2u);
  EXPECT_EQ(r.optimizer->param_groups[1].params, (std::vector<int64_t>{2, 3}));
  const auto &ro = r.optimizer->param_groups[0].options;
  EXPECT_EQ(r.optimizer->param_groups[0].params, g.params);
  EXPECT_EQ(ro.keys(), g.options.keys());
  for (const auto &item : g.options)
    EXPECT_TRUE(ro[item.key()] == item.value()) << item.key();
  ASSERT_TRUE(r.scheduler);
  EXPECT_TRUE((*r.scheduler)["base_lrs"] == (*c.scheduler)["base_lrs"]);
  EXPECT_TRUE((*r.scheduler)["last_epoch"] == optim::StateValue(int64_t{5}));
  EXPECT_EQ(r.epoch, 42);
  EXPECT_EQ(r.rng_state, c.rng_state);
  EXPECT_EQ(r.extra, c.extra);
  // A model-only checkpoint has no optimizer, scheduler or RNG state.
  Checkpoint m;
  m.model.insert("w", c.model["w"]);
  save_checkpoint(tmp / "m.safetensors", m);
  Checkpoint rm = load_checkpoint(tmp / "m.safetensors");
  EXPECT_FALSE(rm.optimizer || rm.scheduler || rm.rng_state);
  EXPECT_EQ(rm.epoch, 0);
}

TEST(Checkpoint, Errors) {
  TempDir tmp;
  save({{"w", zeros({1})}}, tmp / "plain.safetensors");
  EXPECT_EMBER_ERROR(load_checkpoint(tmp / "plain.safetensors"),
                     "ember::load_checkpoint: '" + (tmp / "plain.safetensors") +
                         "' is not a valid ember checkpoint: no "
                         "'ember.format' in __metadata__");
  save({{"model.w", zeros({1})}}, tmp / "e.safetensors",
       {{"ember.format", "checkpoint/1"}, {"ember.epoch", "x"}});
  EXPECT_EMBER_ERROR(load_checkpoint(tmp / "e.safetensors"),
                     "metadata 'ember.epoch' is not valid JSON");
  save({{"other", zeros({1})}}, tmp / "o.safetensors",
       {{"ember.format", "checkpoint/1"}, {"ember.epoch", "1"}});
  EXPECT_EMBER_ERROR(load_checkpoint(tmp / "o.safetensors"),
                     "unexpected tensor 'other'");
  save(
      {}, tmp / "g.safetensors",
      {{"ember.format", "checkpoint/1"},
       {"ember.epoch", "1"},
       {"ember.optim.groups", R"([{"params":[0],"options":{"lr":["q",1]}}])"}});
  EXPECT_EMBER_ERROR(load_checkpoint(tmp / "g.safetensors"),
                     "value of 'lr' has a bad tag 'q'");
}
