// Logging and progress utilities: TensorBoard event files (framing and CRCs
// checked with an independent bitwise CRC32C, records parsed back with the
// generated protobuf classes), CSV/JSONL metrics, the progress bar in plain
// mode, and log level filtering.
#include "test_util.h"

#include "ember_tensorboard.pb.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace ember;
namespace fs = std::filesystem;

namespace {

// Bitwise CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), written
// independently of the table-driven one in the library.
uint32_t crc32c_bitwise(const std::string &data) {
  uint32_t crc = ~0u;
  for (unsigned char byte : data) {
    crc ^= byte;
    for (int bit = 0; bit < 8; ++bit)
      crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1u)));
  }
  return ~crc;
}
uint32_t masked(uint32_t crc) {
  return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
}
uint64_t read_le(const std::string &s, size_t pos, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i)
    v = (v << 8) | static_cast<unsigned char>(s[pos + i]);
  return v;
}

std::string slurp(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A fresh folder per test, removed afterwards.
struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() /
           detail::str_cat(
               "ember_logging_test_", getpid(), "_",
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

// Parses every TFRecord of an event file, checking the framing and both CRCs.
std::vector<tensorboard::Event> read_events(const std::string &path) {
  std::string bytes = slurp(path);
  std::vector<tensorboard::Event> events;
  size_t pos = 0;
  while (pos < bytes.size()) {
    EXPECT_LE(pos + 12, bytes.size()) << "truncated header";
    if (pos + 12 > bytes.size())
      break;
    uint64_t len = read_le(bytes, pos, 8);
    EXPECT_EQ(read_le(bytes, pos + 8, 4),
              masked(crc32c_bitwise(bytes.substr(pos, 8))))
        << "length CRC of the record at " << pos;
    EXPECT_LE(pos + 12 + len + 4, bytes.size()) << "truncated record";
    if (pos + 12 + len + 4 > bytes.size())
      break;
    std::string data = bytes.substr(pos + 12, len);
    EXPECT_EQ(read_le(bytes, pos + 12 + len, 4), masked(crc32c_bitwise(data)))
        << "data CRC of the record at " << pos;
    tensorboard::Event e;
    EXPECT_TRUE(e.ParseFromString(data));
    events.push_back(e);
    pos += 12 + len + 4;
  }
  return events;
}

std::string only_file_in(const fs::path &dir) {
  std::vector<std::string> files;
  for (const auto &entry : fs::directory_iterator(dir))
    files.push_back(entry.path().string());
  EXPECT_EQ(files.size(), 1u);
  return files.empty() ? "" : files[0];
}

} // namespace

TEST(Crc32c, KnownVectors) {
  // RFC 3720 B.4 check value and an all-zero block.
  EXPECT_EQ(tensorboard::crc32c("123456789"), 0xE3069283u);
  EXPECT_EQ(tensorboard::crc32c(std::string(32, '\0')), 0x8A9136AAu);
  EXPECT_EQ(crc32c_bitwise("123456789"), 0xE3069283u);
  std::string all;
  for (int i = 0; i < 1000; ++i)
    all += static_cast<char>(i * 7 + 3);
  EXPECT_EQ(tensorboard::crc32c(all), crc32c_bitwise(all));
  EXPECT_EQ(tensorboard::masked_crc32c(all), masked(crc32c_bitwise(all)));
}

TEST(SummaryWriter, FileNameAndVersionRecord) {
  TempDir tmp;
  std::string logdir = (tmp.path / "run1" / "nested").string();
  SummaryWriter w(logdir);
  std::string name = fs::path(w.path()).filename().string();
  EXPECT_EQ(name.rfind("events.out.tfevents.", 0), 0u) << name;
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  EXPECT_NE(name.find(std::string(".") + host), std::string::npos) << name;
  // The file exists with the version record before anything is added.
  auto events = read_events(w.path());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].file_version(), "brain.Event:2");
  EXPECT_GT(events[0].wall_time(), 1.5e9);
}

TEST(SummaryWriter, ScalarsHistogramsText) {
  TempDir tmp;
  std::string path;
  {
    SummaryWriter w(tmp.path.string());
    path = w.path();
    for (int step = 0; step < 25; ++step)
      w.add_scalar("loss/train", 1.0 / (step + 1), step);
    w.add_histogram("weights", tensor({-1.0, 0.5, 2.0, 2.0, 0.0}), 7);
    w.add_text("notes", "lr=0.1, \"quoted\"", 3);
    w.flush();
    EXPECT_EQ(read_events(path).size(), 28u);
    w.add_scalar("after_flush", 42.0, 100);
  } // the destructor closes (and flushes)
  EXPECT_EQ(only_file_in(tmp.path), path);
  auto events = read_events(path);
  ASSERT_EQ(events.size(), 29u);
  EXPECT_EQ(events[0].file_version(), "brain.Event:2");
  for (int step = 0; step < 25; ++step) {
    const auto &e = events[1 + step];
    EXPECT_EQ(e.step(), step);
    ASSERT_TRUE(e.has_summary());
    ASSERT_EQ(e.summary().value_size(), 1);
    EXPECT_EQ(e.summary().value(0).tag(), "loss/train");
    EXPECT_FLOAT_EQ(e.summary().value(0).simple_value(), 1.0f / (step + 1));
  }

  const auto &hv = events[26].summary().value(0);
  EXPECT_EQ(events[26].step(), 7);
  EXPECT_EQ(hv.tag(), "weights");
  ASSERT_TRUE(hv.has_histo());
  const auto &h = hv.histo();
  EXPECT_EQ(h.min(), -1.0);
  EXPECT_EQ(h.max(), 2.0);
  EXPECT_EQ(h.num(), 5.0);
  EXPECT_EQ(h.sum(), 3.5);
  EXPECT_EQ(h.sum_squares(), 9.25);
  // Expected from torch.utils.tensorboard's make_histogram with
  // bins="tensorflow" (numpy.histogram over the default edges, trimmed).
  ASSERT_EQ(h.bucket_size(), 591);
  ASSERT_EQ(h.bucket_limit_size(), 591);
  for (int i = 0; i < h.bucket_size(); ++i) {
    double want = i == 1 || i == 292 || i == 575 ? 1 : i == 590 ? 2 : 0;
    EXPECT_EQ(h.bucket(i), want) << "bucket " << i;
  }
  EXPECT_DOUBLE_EQ(h.bucket_limit(0), -1.0089710279437536);
  EXPECT_DOUBLE_EQ(h.bucket_limit(1), -0.917246389039776);
  EXPECT_DOUBLE_EQ(h.bucket_limit(292), 1e-12);
  EXPECT_DOUBLE_EQ(h.bucket_limit(575), 0.5177616740489182);
  EXPECT_DOUBLE_EQ(h.bucket_limit(590), 2.1628190051144287);

  const auto &tv = events[27].summary().value(0);
  EXPECT_EQ(events[27].step(), 3);
  EXPECT_EQ(tv.tag(), "notes/text_summary");
  EXPECT_EQ(tv.metadata().plugin_data().plugin_name(), "text");
  ASSERT_TRUE(tv.has_tensor());
  EXPECT_EQ(tv.tensor().dtype(), tensorboard::DT_STRING);
  ASSERT_EQ(tv.tensor().tensor_shape().dim_size(), 1);
  EXPECT_EQ(tv.tensor().tensor_shape().dim(0).size(), 1);
  ASSERT_EQ(tv.tensor().string_val_size(), 1);
  EXPECT_EQ(tv.tensor().string_val(0), "lr=0.1, \"quoted\"");

  EXPECT_EQ(events[28].summary().value(0).tag(), "after_flush");
  EXPECT_EQ(events[28].step(), 100);
}

TEST(SummaryWriter, HistogramOfNonContiguousIntTensor) {
  TempDir tmp;
  SummaryWriter w(tmp.path.string());
  Tensor t = arange(12, TensorOptions().dtype(kInt64)).reshape({3, 4}).t();
  w.add_histogram("ints", t, 1);
  w.flush();
  auto events = read_events(w.path());
  ASSERT_EQ(events.size(), 2u);
  const auto &h = events[1].summary().value(0).histo();
  EXPECT_EQ(h.num(), 12);
  EXPECT_EQ(h.min(), 0);
  EXPECT_EQ(h.max(), 11);
  EXPECT_EQ(h.sum(), 66);
  EXPECT_EQ(h.sum_squares(), 506);
  double total = 0;
  for (double c : h.bucket())
    total += c;
  EXPECT_EQ(total, 12);
}

TEST(SummaryWriter, Errors) {
  TempDir tmp;
  SummaryWriter w(tmp.path.string());
  EXPECT_EMBER_ERROR(w.add_histogram("h", zeros({0}), 0), "tensor is empty");
  EXPECT_EMBER_ERROR(w.add_histogram("h", tensor({1.0, NAN}), 0),
                     "element 1 is nan");
  EXPECT_EMBER_ERROR(w.add_histogram("h", Tensor(), 0), "undefined");
  w.close();
  EXPECT_EMBER_ERROR(w.add_scalar("x", 1, 0), "the writer is closed");
  // A logdir that is a file.
  std::string file = (tmp.path / "plain_file").string();
  std::ofstream(file) << "x";
  EXPECT_EMBER_ERROR(SummaryWriter{file}, "SummaryWriter");
}

TEST(MetricsLogger, CSV) {
  TempDir tmp;
  std::string path = (tmp.path / "m.csv").string();
  CSVLogger csv(path);
  EXPECT_EQ(slurp(path), "");
  csv.log(0, {{"loss", 0.5}, {"acc, top1", 0.25}});
  EXPECT_EQ(slurp(path), "step,loss,\"acc, top1\"\n0,0.5,0.25\n");
  csv.log(10, {{"acc, top1", 0.1}});
  csv.log(20, {{"loss", NAN}, {"acc, top1", INFINITY}});
  EXPECT_EQ(slurp(path), "step,loss,\"acc, top1\"\n0,0.5,0.25\n10,,0.1\n"
                         "20,nan,inf\n");
  EXPECT_EMBER_ERROR(csv.log(30, {{"lr", 0.1}}),
                     "metric 'lr' is not a column of the header");
  EXPECT_EMBER_ERROR(csv.log(30, {{"loss", 1}, {"loss", 2}}), "given twice");
  EXPECT_EMBER_ERROR(csv.log(30, {{"step", 1}}), "'step' is the step column");
  EXPECT_EMBER_ERROR(CSVLogger((tmp.path / "no/such/dir/m.csv").string()),
                     "m.csv");
}

TEST(MetricsLogger, JSONL) {
  TempDir tmp;
  std::string path = (tmp.path / "m.jsonl").string();
  JSONLLogger jl(path);
  jl.log(1, {{"loss", 0.1}, {"a\"b", 3}});
  jl.log(2, {{"loss", -INFINITY}, {"acc", NAN}});
  jl.log(3, {});
  EXPECT_EQ(slurp(path), "{\"step\": 1, \"loss\": 0.1, \"a\\\"b\": 3}\n"
                         "{\"step\": 2, \"loss\": -Infinity, \"acc\": NaN}\n"
                         "{\"step\": 3}\n");
}

TEST(ProgressBar, PlainModeLines) {
  std::ostringstream os;
  double t = 0;
  ProgressBarOptions opt;
  opt.desc = "epoch 1/2";
  opt.bar_width = 10;
  opt.print_percent = 25;
  opt.clock = [&] { return t; };
  {
    ProgressBar bar(8, opt, &os);
    EXPECT_FALSE(bar.terminal());
    for (int i = 0; i < 8; ++i) {
      t += 0.5;
      bar.set_postfix({{"loss", 1.0 / (i + 1)}, {"acc", 0.125 * i}});
      bar.update();
    }
    bar.close();
    bar.close(); // idempotent
  }
  EXPECT_EQ(os.str(), "epoch 1/2:  12%|#         | 1/8 [00:00<00:03, 2.00it/s, "
                      "loss=1, acc=0]\n"
                      "epoch 1/2:  25%|##        | 2/8 [00:01<00:03, 2.00it/s, "
                      "loss=0.5, acc=0.125]\n"
                      "epoch 1/2:  50%|#####     | 4/8 [00:02<00:02, 2.00it/s, "
                      "loss=0.25, acc=0.375]\n"
                      "epoch 1/2:  75%|#######   | 6/8 [00:03<00:01, 2.00it/s, "
                      "loss=0.1667, acc=0.625]\n"
                      "epoch 1/2: 100%|##########| 8/8 [00:04<00:00, 2.00it/s, "
                      "loss=0.125, acc=0.875]\n");
}

TEST(ProgressBar, UnknownTotalAndSlowRate) {
  std::ostringstream os;
  double t = 0;
  ProgressBarOptions opt;
  opt.unit = "batch";
  opt.print_interval_s = 10;
  opt.clock = [&] { return t; };
  ProgressBar bar(0, opt, &os);
  t = 4;
  bar.update(); // first update prints
  t = 8;
  bar.update(); // within 10 s: nothing
  t = 20;
  bar.update();
  bar.close(); // already current: nothing more
  EXPECT_EQ(os.str(), "1batch [00:04, 4.00s/batch]\n"
                      "3batch [00:20, 6.67s/batch]\n");
}

TEST(ProgressBar, TerminalModeRedraws) {
  std::ostringstream os;
  double t = 0;
  ProgressBarOptions opt;
  opt.mode = ProgressBarOptions::Mode::Terminal;
  opt.bar_width = 0;
  opt.clock = [&] { return t; };
  ProgressBar bar(2, opt, &os);
  t = 1;
  bar.update();
  t = 2;
  bar.update();
  bar.close();
  EXPECT_EQ(os.str(), "\r  0% 0/2 [00:00<?, 0.00it/s]"
                      "\r 50% 1/2 [00:01<00:01, 1.00it/s]"
                      "\r100% 2/2 [00:02<00:00, 1.00it/s]"
                      "\r100% 2/2 [00:02<00:00, 1.00it/s]\n");
  EXPECT_EQ(format_duration(3725), "1:02:05");
}

TEST(Log, LevelFiltering) {
  std::ostringstream os;
  log::Level saved = log::level();
  log::set_sink(os);
  log::set_level(log::Level::Warn);
  log::debug("d");
  log::info("i ", 1);
  log::warn("w ", 2);
  log::error("e ", 3.5);
  log::set_level(log::Level::Debug);
  log::debug("d2");
  log::reset_sink();
  log::set_level(saved);
  std::string out = os.str();
  EXPECT_EQ(out.find(" i 1"), std::string::npos);
  EXPECT_EQ(out.find("] d\n"), std::string::npos);
  EXPECT_NE(out.find(" [WARN] w 2\n"), std::string::npos) << out;
  EXPECT_NE(out.find(" [ERROR] e 3.5\n"), std::string::npos) << out;
  EXPECT_NE(out.find(" [DEBUG] d2\n"), std::string::npos) << out;
  // "YYYY-MM-DD HH:MM:SS.mmm [LEVEL] ..."
  EXPECT_EQ(out[4], '-');
  EXPECT_EQ(out[19], '.');
  EXPECT_EQ(out.substr(23, 7), " [WARN]");

  EXPECT_EQ(log::parse_level("DEBUG"), log::Level::Debug);
  EXPECT_EQ(log::parse_level("warning"), log::Level::Warn);
  EXPECT_EQ(log::parse_level("error"), log::Level::Error);
  EXPECT_EMBER_ERROR(log::parse_level("loud"), "unknown level 'loud'");
}

TEST(Log, LevelFromEnvironment) {
  log::Level saved = log::level();
  std::ostringstream os;
  log::set_sink(os);
  setenv("EMBER_LOG_LEVEL", "error", 1);
  log::reload_level_from_env();
  EXPECT_EQ(log::level(), log::Level::Error);
  setenv("EMBER_LOG_LEVEL", "bogus", 1);
  log::reload_level_from_env(); // falls back to info, says so
  EXPECT_EQ(log::level(), log::Level::Info);
  EXPECT_NE(os.str().find("unknown level 'bogus'"), std::string::npos);
  unsetenv("EMBER_LOG_LEVEL");
  log::reload_level_from_env();
  EXPECT_EQ(log::level(), log::Level::Info);
  log::reset_sink();
  log::set_level(saved);
}
