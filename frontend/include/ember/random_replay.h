// Replaying recorded random ops (jit::compile's eager steps): how many
// Philox blocks a draw took, and fresh {"seed", "offset"} attributes from
// the default generator, so a replay draws new numbers exactly as the eager
// call would have. Defined in random.cpp.
#pragma once

#include "ember/dispatch.h"

#include <cstdint>
#include <span>

namespace ember::detail {

/// How many Philox blocks a random op (OpFlag::Random) reserved, given its
/// inputs and outputs as dispatched.
uint64_t random_op_blocks(OpId op, std::span<const Tensor> inputs,
                          const TensorList &outputs);
/// `recorded` with fresh {"seed", "offset"} for `blocks` blocks reserved
/// from the default generator.
Attrs redraw_from_default_generator(OpId op, const Attrs &recorded,
                                    uint64_t blocks);

} // namespace ember::detail
