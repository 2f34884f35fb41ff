// Built when EMBER_ENABLE_CUDA is OFF.
#include "ember/runtime/cuda.h"

namespace ember::cuda {
bool is_built() { return false; }
bool is_available() { return false; }
int device_count() { return 0; }
} // namespace ember::cuda
