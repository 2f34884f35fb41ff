// Printing like PyTorch: tensor([[1.0000, 2.0000]]), dtype suffixes where
// PyTorch prints them, summarised with "..." when large.
#pragma once

#include "ember/tensor.h"

#include <optional>
#include <ostream>
#include <string>

namespace ember {

struct PrintOptions {
  int precision = 4;
  int64_t threshold = 1000; // summarise above this many elements
  int64_t edgeitems = 3;
  int64_t linewidth = 80;
  /// Scientific notation forced on or off; nullopt chooses per tensor as
  /// PyTorch does (torch.set_printoptions(sci_mode=None)).
  std::optional<bool> sci_mode;
};
/// Replaces every option (set_printoptions(PrintOptions{}) restores the
/// defaults).
void set_printoptions(const PrintOptions &opts);
const PrintOptions &get_printoptions();

/// The text PyTorch's repr() gives for this tensor.
std::string to_string(const Tensor &t);

} // namespace ember
