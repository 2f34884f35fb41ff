// SummaryWriter: TensorBoard event files (see ember/utils/summary_writer.h).
//
// An event file is a sequence of TFRecords, each holding one serialized
// Event proto (ember_tensorboard.proto, TensorFlow's field numbers). The
// first record is the file_version event. Histograms use the bucket edges of
// TensorFlow's default histogram (and torch's bins="tensorflow"): 0 and
// +-1e-12 * 1.1^k up to 1e20, trimmed to the range of non-empty buckets plus
// one empty bucket on the left, as torch.utils.tensorboard does.
#include "ember/utils/summary_writer.h"
#include "ember/runtime/error.h"
#include "ember/runtime/file_io.h"

#include "ember_tensorboard.pb.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <system_error>
#include <unistd.h>
#include <vector>

namespace ember {

namespace tensorboard {

namespace {
constexpr uint32_t kCastagnoliReflected = 0x82f63b78u;

std::array<uint32_t, 256> make_crc_table() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k)
      c = (c & 1) ? (c >> 1) ^ kCastagnoliReflected : c >> 1;
    table[i] = c;
  }
  return table;
}
} // namespace

uint32_t crc32c(std::string_view data) {
  static const std::array<uint32_t, 256> table = make_crc_table();
  uint32_t crc = 0xffffffffu;
  for (unsigned char b : data)
    crc = table[(crc ^ b) & 0xff] ^ (crc >> 8);
  return crc ^ 0xffffffffu;
}

uint32_t masked_crc32c(std::string_view data) {
  uint32_t crc = crc32c(data);
  return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
}

namespace {
template <typename T> void put_le(std::string &out, T v) {
  for (size_t i = 0; i < sizeof(T); ++i)
    out += static_cast<char>((static_cast<uint64_t>(v) >> (8 * i)) & 0xff);
}
} // namespace

std::string frame_record(std::string_view data) {
  std::string out;
  out.reserve(data.size() + 16);
  std::string len;
  put_le<uint64_t>(len, data.size());
  out += len;
  put_le<uint32_t>(out, masked_crc32c(len));
  out += data;
  put_le<uint32_t>(out, masked_crc32c(data));
  return out;
}

} // namespace tensorboard

namespace {

constexpr const char *kOp = "SummaryWriter";

double wall_time() {
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}

std::string hostname() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0')
    return "localhost";
  return buf;
}

const std::vector<double> &default_bucket_edges() {
  static const std::vector<double> edges = [] {
    std::vector<double> pos;
    for (double v = 1e-12; v < 1e20; v *= 1.1)
      pos.push_back(v);
    std::vector<double> e;
    e.reserve(2 * pos.size() + 1);
    for (auto it = pos.rbegin(); it != pos.rend(); ++it)
      e.push_back(-*it);
    e.push_back(0.0);
    e.insert(e.end(), pos.begin(), pos.end());
    return e;
  }();
  return edges;
}

std::string serialize(const tensorboard::Event &event) {
  std::string out;
  if (!event.SerializeToString(&out))
    EMBER_FAIL(kOp, "cannot serialize an event");
  return out;
}

tensorboard::Event make_event(int64_t step) {
  tensorboard::Event event;
  event.set_wall_time(wall_time());
  event.set_step(step);
  return event;
}

} // namespace

SummaryWriter::SummaryWriter(const std::string &logdir, int max_queue)
    : logdir_(logdir), max_queue_(std::max(1, max_queue)) {
  EMBER_CHECK(!logdir.empty(), kOp, "logdir is empty");
  std::error_code ec;
  std::filesystem::create_directories(logdir, ec);
  EMBER_CHECK(!ec, kOp, "cannot create log folder '", logdir,
              "': ", ec.message());
  EMBER_CHECK(std::filesystem::is_directory(logdir), kOp, "'", logdir,
              "' is not a folder");
  auto secs = static_cast<int64_t>(wall_time());
  std::string base =
      detail::str_cat(logdir, "/events.out.tfevents.", secs, ".", hostname());
  // Two writers opened in the same second on one folder get distinct files.
  path_ = base;
  for (int n = 1; std::filesystem::exists(path_); ++n)
    path_ = detail::str_cat(base, ".", n);

  file_ = std::make_unique<AppendFile>(kOp, path_);
  tensorboard::Event first = make_event(0);
  first.set_file_version("brain.Event:2");
  append_record(serialize(first));
  flush();
}

SummaryWriter::~SummaryWriter() {
  try {
    close();
  } catch (...) {
  }
}

void SummaryWriter::check_open(const char *op) const {
  EMBER_CHECK(!closed_, kOp, op, "('", path_, "'): the writer is closed");
}

void SummaryWriter::append_record(const std::string &event_bytes) {
  pending_bytes_ += tensorboard::frame_record(event_bytes);
  if (++pending_ >= max_queue_)
    flush();
}

void SummaryWriter::add_scalar(const std::string &tag, double value,
                               int64_t step) {
  check_open("add_scalar");
  tensorboard::Event event = make_event(step);
  auto *v = event.mutable_summary()->add_value();
  v->set_tag(tag);
  v->set_simple_value(static_cast<float>(value));
  append_record(serialize(event));
}

void SummaryWriter::add_histogram(const std::string &tag, const Tensor &values,
                                  int64_t step) {
  check_open("add_histogram");
  EMBER_CHECK(values.defined(), kOp, "add_histogram('", tag,
              "'): the tensor is undefined");
  EMBER_CHECK(values.numel() > 0, kOp, "add_histogram('", tag,
              "'): the tensor is empty (shape ", values.sizes(), ")");
  Tensor t = values.detach().to(Device(kCPU), kFloat64).contiguous();
  const double *x = t.data_ptr<double>();
  int64_t n = t.numel();

  const std::vector<double> &edges = default_bucket_edges();
  std::vector<double> counts(edges.size() - 1, 0.0);
  double mn = x[0], mx = x[0], sum = 0, sum_sq = 0;
  for (int64_t i = 0; i < n; ++i) {
    double v = x[i];
    EMBER_CHECK(std::isfinite(v), kOp, "add_histogram('", tag, "'): element ",
                i, " is ", v, " (histograms need finite values)");
    mn = std::min(mn, v);
    mx = std::max(mx, v);
    sum += v;
    sum_sq += v * v;
    // numpy.histogram: [e_j, e_j+1) buckets, the last one closed; values
    // outside the edges are not counted.
    if (v < edges.front() || v > edges.back())
      continue;
    auto j = static_cast<size_t>(
        std::upper_bound(edges.begin(), edges.end(), v) - edges.begin());
    counts[j == edges.size() ? counts.size() - 1 : j - 1] += 1;
  }
  // Keep buckets from the first to the last non-empty one, plus the empty
  // bucket left of them: TensorBoard only stores right edges.
  size_t first = 0, last = 0;
  bool any = false;
  for (size_t j = 0; j < counts.size(); ++j)
    if (counts[j] > 0) {
      if (!any)
        first = j;
      last = j;
      any = true;
    }
  EMBER_CHECK(any, kOp, "add_histogram('", tag,
              "'): all values lie outside +-1e20");

  tensorboard::Event event = make_event(step);
  auto *v = event.mutable_summary()->add_value();
  v->set_tag(tag);
  auto *h = v->mutable_histo();
  h->set_min(mn);
  h->set_max(mx);
  h->set_num(static_cast<double>(n));
  h->set_sum(sum);
  h->set_sum_squares(sum_sq);
  if (first == 0)
    h->add_bucket(0.0);
  for (size_t j = first == 0 ? 0 : first - 1; j <= last; ++j)
    h->add_bucket(counts[j]);
  for (size_t j = first; j <= last + 1; ++j)
    h->add_bucket_limit(edges[j]);
  append_record(serialize(event));
}

void SummaryWriter::add_text(const std::string &tag, std::string_view text,
                             int64_t step) {
  check_open("add_text");
  tensorboard::Event event = make_event(step);
  auto *v = event.mutable_summary()->add_value();
  v->set_tag(tag + "/text_summary");
  // TextPluginData{version: 0} serializes to no bytes.
  v->mutable_metadata()->mutable_plugin_data()->set_plugin_name("text");
  auto *t = v->mutable_tensor();
  t->set_dtype(tensorboard::DT_STRING);
  t->mutable_tensor_shape()->add_dim()->set_size(1);
  t->add_string_val(std::string(text));
  append_record(serialize(event));
}

void SummaryWriter::flush() {
  if (closed_ || pending_ == 0)
    return;
  file_->append(pending_bytes_);
  pending_bytes_.clear();
  pending_ = 0;
}

void SummaryWriter::close() {
  if (closed_)
    return;
  flush();
  closed_ = true;
  file_->close();
}

} // namespace ember
