// The CUDA half of emberc --target=cuda executables: ember_aot_entry runs
// the model's device program (ember/runtime/program.h), embedded by emberc
// in the generated model file with its kernels compiled ahead of time (a
// cubin for one architecture and PTX for it and newer ones), on the current
// CUDA device. aot_runtime.cpp calls it with host buffers as flattened
// memref descriptors, as it calls the CPU target's compiled code: inputs
// and weights are copied to the device, the program runs (its GEMMs and
// convolutions through cuBLAS), the outputs and step results come back.
// It links the runtime (libember_runtime.a) and cudart; NVRTC is not needed
// at run time, cuBLAS is opened on first use.
#include "aot_model.h"

#include "ember/runtime/cuda.h"
#include "ember/runtime/error.h"
#include "ember/runtime/kernels/kernels.h"
#include "ember/runtime/program.h"
#include "ember/runtime/storage.h"

#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

extern "C" {
/* Written by emberc into the model file (see model_source.cpp). */
extern const unsigned char ember_aot_cuda_program[];
extern const int64_t ember_aot_cuda_program_size;
extern const unsigned char ember_aot_cuda_cubin[];
extern const int64_t ember_aot_cuda_cubin_size;
extern const char ember_aot_cuda_ptx[];
extern const int ember_aot_cuda_arch;
}

namespace {

using ember::TensorImpl;

struct Loaded {
  ember::program::Program program;
  std::unique_ptr<ember::program::KernelLauncher> launcher;
  ember::Device device{ember::DeviceType::CUDA, 0};
};

// The program and its kernels, loaded once: the cubin when the device is
// the architecture it was built for, else the PTX (the driver compiles it
// for a newer device, once; an older one is an error from the loader).
Loaded &loaded() {
  static std::once_flag once;
  static std::unique_ptr<Loaded> l;
  std::call_once(once, [] {
    EMBER_CHECK(ember::cuda::is_available(), "ember_aot_run",
                "this executable runs on a CUDA GPU, and none is available");
    auto x = std::make_unique<Loaded>();
    x->program = ember::program::Program::deserialize(
        std::string(reinterpret_cast<const char *>(ember_aot_cuda_program),
                    static_cast<size_t>(ember_aot_cuda_program_size)));
    x->program.verify();
    x->device =
        ember::Device(ember::DeviceType::CUDA, ember::cuda::current_device());
    ember::cuda::Capability cap = ember::cuda::get_device_capability();
    bool cubin = ember_aot_cuda_cubin_size > 0 &&
                 cap.major * 10 + cap.minor == ember_aot_cuda_arch;
    x->launcher = ember::program::cuda_launcher(
        x->program,
        cubin
            ? std::string(reinterpret_cast<const char *>(ember_aot_cuda_cubin),
                          static_cast<size_t>(ember_aot_cuda_cubin_size))
            : std::string(ember_aot_cuda_ptx));
    l = std::move(x);
  });
  return *l;
}

// One host buffer of the signature's type (contiguous, C order).
std::shared_ptr<TensorImpl> hostTensor(void *data,
                                       const ember_aot_tensor &spec) {
  ember::DimVector sizes(spec.sizes, spec.sizes + spec.rank);
  ember::DimVector strides(sizes.size());
  int64_t stride = 1;
  for (size_t i = sizes.size(); i-- > 0;) {
    strides[i] = stride;
    stride *= sizes[i] > 0 ? sizes[i] : 1;
  }
  auto storage = std::make_shared<ember::StorageImpl>(
      data, static_cast<size_t>(spec.nbytes), ember::Device(),
      std::function<void(void *)>());
  return std::make_shared<TensorImpl>(std::move(storage),
                                      static_cast<ember::DType>(spec.dtype),
                                      std::move(sizes), std::move(strides), 0);
}

} // namespace

// args: per tensor (inputs, weights, outputs, step results) a flattened
// memref descriptor: allocated, aligned, offset, sizes[rank], strides[rank].
extern "C" void ember_aot_entry(void **args) {
  Loaded &l = loaded();
  ember::cuda::DeviceGuard guard(l.device.index());
  size_t slot = 0;
  auto next = [&](const ember_aot_tensor &spec) {
    void *data = *static_cast<void **>(args[slot + 1]);
    slot += 3 + 2 * static_cast<size_t>(spec.rank);
    return hostTensor(data, spec);
  };
  std::vector<std::shared_ptr<TensorImpl>> inputs;
  auto upload = [&](const ember_aot_tensor &spec) {
    std::shared_ptr<TensorImpl> host = next(spec);
    auto dev = ember::make_tensor_impl(host->sizes(), host->dtype(), l.device);
    ember::cuda::copy_bytes(dev->data(), true, host->data(), false,
                            static_cast<size_t>(spec.nbytes), l.device.index());
    inputs.push_back(std::move(dev));
  };
  for (int i = 0; i < ember_aot_num_inputs; ++i)
    upload(ember_aot_inputs[i]);
  for (int i = 0; i < ember_aot_num_weights; ++i)
    upload(ember_aot_weights[i]);
  std::vector<std::shared_ptr<TensorImpl>> results =
      ember::program::run(l.program, inputs, *l.launcher, l.device);
  size_t expected = static_cast<size_t>(ember_aot_num_outputs) +
                    static_cast<size_t>(ember_aot_num_step_results);
  EMBER_CHECK(results.size() == expected, "ember_aot_run", "the program gave ",
              results.size(), " results, the model has ", expected);
  for (size_t k = 0; k < results.size(); ++k) {
    const ember_aot_tensor &spec =
        k < static_cast<size_t>(ember_aot_num_outputs)
            ? ember_aot_outputs[k]
            : ember_aot_step_results[k - static_cast<size_t>(
                                             ember_aot_num_outputs)];
    std::shared_ptr<TensorImpl> host = next(spec);
    std::shared_ptr<TensorImpl> r = results[k];
    if (!r->is_contiguous()) {
      auto c = ember::make_tensor_impl(r->sizes(), r->dtype(), l.device);
      ember::kernels::copy(*c, *r);
      r = c;
    }
    ember::cuda::copy_bytes(host->data(), false, r->data(), true,
                            static_cast<size_t>(spec.nbytes), l.device.index());
  }
}
