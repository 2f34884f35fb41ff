// Built when EMBER_ENABLE_CUDA is OFF.
#include "ember/runtime/cuda.h"
#include "ember/runtime/error.h"

namespace ember::cuda {
bool is_built() { return false; }
bool is_available() { return false; }
int device_count() { return 0; }
void *host_alloc_pinned(size_t nbytes) {
  EMBER_FAIL("pin_memory", "cannot allocate ", nbytes,
             " bytes of page-locked memory: this build of ember has no CUDA");
}
void host_free_pinned(void *) noexcept {}
bool is_pinned(const void *) { return false; }
} // namespace ember::cuda
