// Printing like PyTorch: tensor([[1.0000, 2.0000]]), dtype suffixes where
// PyTorch prints them, summarised with "..." when large.
#pragma once

#include "ember/tensor.h"

#include <ostream>
#include <string>

namespace ember {

struct PrintOptions {
  int precision = 4;
  int64_t threshold = 1000; // summarise above this many elements
  int64_t edgeitems = 3;
  int64_t linewidth = 80;
  bool sci_mode_auto = true;
};
void set_printoptions(const PrintOptions &opts);
const PrintOptions &get_printoptions();

/// The text PyTorch's repr() gives for this tensor.
std::string to_string(const Tensor &t);

} // namespace ember
