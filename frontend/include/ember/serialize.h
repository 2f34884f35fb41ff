// Checkpoints in the safetensors format (https://github.com/huggingface/
// safetensors): an 8-byte little-endian header length N, N bytes of JSON
//   {"__metadata__": {"k": "v"},
//    "name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}}
// padded with spaces to a multiple of 8 bytes, then the tensors' bytes
// (little-endian, row-major, back to back). dtypes: F32, F64, I32, I64, U8,
// BOOL.
//
//   ember::save(model.state_dict(), "model.safetensors");
//   model.load_state_dict(ember::load("model.safetensors"));
//
// Files are written atomically (ember::atomic_write_file). Loading validates
// the whole file (header length, JSON, dtypes, shapes vs offsets, offsets in
// bounds and contiguous, duplicate names) and throws ember::Error naming the
// file and the problem.
//
// save_checkpoint()/load_checkpoint() keep a whole training state in one
// safetensors file: model tensors as "model.<name>", optimizer state tensors
// as "optim.state.<param index>.<key>", and the optimizer's param groups,
// the scheduler state, the epoch and the RNG state as JSON strings in
// __metadata__.
#pragma once

#include "ember/nn/ordered_dict.h"
#include "ember/optim/optimizer.h"
#include "ember/tensor.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>

namespace ember {

/// Writes `tensors` (each made contiguous and moved to the CPU) and
/// `metadata` to `path`. Throws for an undefined tensor or a dtype safetensors
/// has no name for here.
void save(const OrderedDict<Tensor> &tensors, const std::string &path,
          const std::map<std::string, std::string> &metadata = {});

/// A loaded safetensors file: tensors in file (data offset) order and the
/// __metadata__ strings.
struct SafetensorsFile {
  OrderedDict<Tensor> tensors;
  std::map<std::string, std::string> metadata;
};

/// The tensors of a safetensors file (CPU, contiguous), in data order.
OrderedDict<Tensor> load(const std::string &path);
/// The tensors and the __metadata__ of a safetensors file.
SafetensorsFile load_file(const std::string &path);
/// Only the __metadata__ (the file is still fully validated).
std::map<std::string, std::string> load_metadata(const std::string &path);

/// Everything needed to resume training.
struct Checkpoint {
  OrderedDict<Tensor> model; ///< Module::state_dict()
  std::optional<optim::OptimizerStateDict>
      optimizer;                                  ///< Optimizer::state_dict()
  std::optional<optim::StateValueDict> scheduler; ///< LRScheduler::state_dict()
  int64_t epoch = 0;
  /// default_generator().get_state() (restore with set_state()).
  std::optional<std::pair<uint64_t, uint64_t>> rng_state;
  /// Free-form user strings (stored under "user." keys).
  std::map<std::string, std::string> extra;
};

void save_checkpoint(const std::string &path, const Checkpoint &ckpt);
/// Throws ember::Error naming the file for anything that is not a checkpoint
/// written by save_checkpoint().
Checkpoint load_checkpoint(const std::string &path);

} // namespace ember
