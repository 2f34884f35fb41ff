// numpy .npy files (format 1.0/2.0/3.0, C or Fortran order, little-endian
// f4/f8/i4/i8/u1/b1), so arrays move between ember and numpy.
#pragma once

#include "ember/tensor.h"

#include <string>

namespace ember {

/// Writes atomically (temporary file in the same folder, fsync, rename).
void save_npy(const Tensor &t, const std::string &path);
/// Throws ember::Error naming the file and the problem for anything that is
/// not a well-formed, supported .npy file.
Tensor load_npy(const std::string &path);

} // namespace ember
