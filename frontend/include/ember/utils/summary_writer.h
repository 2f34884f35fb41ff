// TensorBoard event files, like torch.utils.tensorboard.SummaryWriter.
//
//   ember::SummaryWriter tb("runs/exp1");
//   tb.add_scalar("loss/train", loss, step);
//   tb.add_histogram("fc1/weight", model.fc1.weight, step);
//   tb.add_text("notes", "lr=0.1", step);
//
// The file is logdir/events.out.tfevents.<secs>.<hostname>: TFRecord framing
// (uint64 length, masked CRC32C of the length, the serialized Event, masked
// CRC32C of the data) around Event protos, the first one carrying
// file_version "brain.Event:2". Records are buffered and written every
// `max_queue` records, on flush() and on close(), appended to the file with
// one write(2) each (ember::AppendFile), so a crashed process leaves whole
// records; close() fsyncs. TensorBoard reads a file while it grows.
#pragma once

#include "ember/runtime/file_io.h"
#include "ember/tensor.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace ember {

class SummaryWriter {
public:
  /// Creates `logdir` (and parents) and the event file; throws ember::Error
  /// naming the folder when it cannot.
  explicit SummaryWriter(const std::string &logdir, int max_queue = 10);
  ~SummaryWriter(); ///< close(), errors swallowed
  SummaryWriter(const SummaryWriter &) = delete;
  SummaryWriter &operator=(const SummaryWriter &) = delete;

  /// Summary.Value{tag, simple_value}.
  void add_scalar(const std::string &tag, double value, int64_t step);
  /// A HistogramProto of all elements of `values` with TensorBoard's default
  /// exponential buckets (the same edges as torch's bins="tensorflow").
  /// Throws on empty tensors and on NaN/inf elements.
  void add_histogram(const std::string &tag, const Tensor &values,
                     int64_t step);
  /// The text plugin's record, tagged "<tag>/text_summary" like torch.
  void add_text(const std::string &tag, std::string_view text, int64_t step);

  /// Writes everything buffered so far to the file.
  void flush();
  /// flush(); later add_* calls throw.
  void close();

  const std::string &logdir() const { return logdir_; }
  /// Full path of the event file.
  const std::string &path() const { return path_; }

private:
  void append_record(const std::string &event_bytes);
  void check_open(const char *op) const;

  std::string logdir_;
  std::string path_;
  std::unique_ptr<AppendFile> file_;
  std::string pending_bytes_; ///< framed records not yet written
  int max_queue_;
  int pending_ = 0;
  bool closed_ = false;
};

namespace tensorboard {
/// CRC-32C (Castagnoli), as TFRecord uses it.
uint32_t crc32c(std::string_view data);
/// TFRecord's masking: ((crc >> 15) | (crc << 17)) + 0xa282ead8.
uint32_t masked_crc32c(std::string_view data);
/// One TFRecord: length, masked CRC of the length, data, masked CRC of data.
std::string frame_record(std::string_view data);
} // namespace tensorboard

} // namespace ember
