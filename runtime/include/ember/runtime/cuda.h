// What this process can see of CUDA. In a build without CUDA, or on a
// machine without a driver/GPU, is_available() is false and nothing throws.
#pragma once

namespace ember::cuda {

bool is_available();
int device_count();
/// Whether this build of ember was compiled with CUDA support.
bool is_built();

} // namespace ember::cuda
