// A compiled program for a device: what codegen's CUDA target produces
// (codegen/lib/CUDA/CudaProgram.cpp) and the runtime runs, in-process
// (jit::compile on CUDA tensors) or linked into an emberc --target=cuda
// binary. It is a straight-line list of steps over value slots (SSA
// tensors of static shape): generated kernels (one CUDA C translation
// unit, `source`), GEMMs, convolutions and pooling through the runtime's
// kernels (cuBLAS on CUDA), and views. The runner is device-agnostic: it
// allocates on the inputs' device and calls the runtime's kernel dispatch;
// only launching a generated kernel goes through a KernelLauncher (NVRTC
// and cudart on CUDA; tests run the same source as host C++).
#pragma once

#include "ember/runtime/dtype.h"
#include "ember/runtime/tensor_impl.h"

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace ember::program {

namespace detail {
/// The runner's uploaded constants, per device (type, index): one tensor
/// per Program::constants entry, made on first use. A copy or move of a
/// Program starts with an empty cache (it may then be edited).
class ConstantCache {
public:
  ConstantCache() = default;
  ConstantCache(const ConstantCache &) {}
  ConstantCache(ConstantCache &&) noexcept {}
  ConstantCache &operator=(const ConstantCache &) { return *this; }
  ConstantCache &operator=(ConstantCache &&) noexcept { return *this; }

  std::mutex mu;
  std::map<std::pair<int, int>, std::vector<std::shared_ptr<TensorImpl>>>
      by_device;
  /// Whether verify() passed: run() verifies once per Program (about 90 us
  /// for a training step's program: too much to pay on every step).
  bool verified = false;
};
} // namespace detail

/// The static type of a slot: a tensor of these sizes and dtype.
struct SlotType {
  DType dtype = DType::Float32;
  std::vector<int64_t> sizes;
};

enum class StepKind : uint8_t {
  /// out = uninitialized contiguous tensor of out's type.
  Empty,
  /// out = a contiguous copy of in[0] (a kernel writes it next and reads
  /// its old contents, or in[0] must stay intact).
  Clone,
  /// out = constants[constant] (raw little-endian bytes of out's type,
  /// row-major), on the program's device (uploaded once per device).
  Constant,
  /// out = a view of in[0] with out's sizes: in[0] is contiguous; a
  /// row-major reshape (tensor.expand_shape / collapse_shape).
  Reshape,
  /// out = the view of in[0] with dims permuted: out dim i is in[0] dim
  /// ints[i] (linalg.transpose; no copy).
  Transpose,
  /// out = the view in[0][offsets : offsets + sizes*strides : strides] with
  /// ints = offsets (rank values) then strides (rank values) and out's
  /// sizes; rank-reducing slices are out of scope (same rank).
  Slice,
  /// Copies in[1] into the view of in[0] given by ints (offsets, strides,
  /// as Slice, with in[1]'s sizes); out = in[0] (tensor.insert_slice on a
  /// destination the builder cloned or allocated: in[0] is not read again).
  InsertSlice,
  /// Launches kernels[kernel] over `threads` threads with one pointer
  /// argument per slot of `in`, in order: contiguous data pointers (the
  /// runner makes a non-contiguous slot contiguous first). The kernel
  /// writes the slots listed in `written` (indices into in), which are
  /// contiguous tensors no other live slot aliases. out = -1.
  Launch,
  /// out = in[0] @ in[1] (2-D, or 3-D batched: linalg.batch_matmul); with
  /// in[2], out = in[2] + in[0] @ in[1]. Operands may be strided views.
  Matmul,
  /// out = conv2d(in[0], in[1]) without padding or bias (the input is
  /// already padded), NCHW / FCHW, groups 1; ints = stride h, w, dilation
  /// h, w; with in[2], out = in[2] + conv.
  Conv2d,
  /// out = max-pool of in[0] (NCHW) without padding; ints = kernel h, w,
  /// stride h, w, dilation h, w; with in[1], out = max(in[1], pool)
  /// elementwise (the linalg init, usually -inf: then in[1] is omitted).
  MaxPool2d,
};

struct Step {
  StepKind kind = StepKind::Empty;
  int32_t out = -1;
  std::vector<int32_t> in;
  std::vector<int64_t> ints;
  int32_t kernel = -1;          // Launch: index into Program::kernels
  int64_t threads = 0;          // Launch
  std::vector<int32_t> written; // Launch: indices into `in`
  int32_t constant = -1;        // Constant: index into Program::constants
};

struct Program {
  std::string name;
  std::vector<SlotType> slots;
  /// Slots bound to the arguments, in order (any strides: the runner
  /// makes them contiguous), and the slots returned.
  std::vector<int32_t> inputs, outputs;
  std::vector<Step> steps;
  /// The CUDA C of every generated kernel (extern "C" __global__, no
  /// headers) and their names, which Launch steps index.
  std::string source;
  std::vector<std::string> kernels;
  std::vector<std::string> constants;

  /// Checks the program is well formed (slot indices in range, every slot
  /// defined once before use, arities); throws ember::Error naming the
  /// first problem. The runner calls it once.
  void verify() const;
  /// A stable binary form (for emberc and the disk cache) and back;
  /// deserialize throws ember::Error on truncated or corrupt input.
  std::string serialize() const;
  static Program deserialize(const std::string &bytes);
  /// Human-readable listing of the steps (EMBER_DUMP_IR, lit tests).
  std::string describe() const;

  /// Filled by run(): constants uploaded once per device. Edit a Program
  /// only before its first run (or run a copy).
  mutable detail::ConstantCache constant_cache;
};

/// Launches a program's generated kernels on some device.
class KernelLauncher {
public:
  virtual ~KernelLauncher() = default;
  /// Launches kernel `index` of the program over `threads` threads
  /// (a 1-D grid; each thread with tid >= threads returns at once), with
  /// `args[i]` pointing at the i-th pointer argument.
  virtual void launch(size_t index, int64_t threads, void **args) = 0;
};

/// Runs `program` on `inputs` (their device is the program's; one
/// TensorImpl per Program::inputs, with the slot's dtype and sizes) and
/// returns the outputs (fresh contiguous tensors, or views of them).
/// Throws ember::Error naming the program and the first mismatching input.
std::vector<std::shared_ptr<TensorImpl>>
run(const Program &program,
    const std::vector<std::shared_ptr<TensorImpl>> &inputs,
    KernelLauncher &launcher);
/// The same on `device` (every input must be on it): for a program
/// without inputs, whose device the inputs cannot say (the other overload
/// uses the CPU then).
std::vector<std::shared_ptr<TensorImpl>>
run(const Program &program,
    const std::vector<std::shared_ptr<TensorImpl>> &inputs,
    KernelLauncher &launcher, Device device);

/// A launcher for `program`'s kernels on the current CUDA device: its
/// source compiled by NVRTC for the device's architecture (PTX for one
/// newer than NVRTC knows), cached on disk under $EMBER_CACHE_DIR/cuda as
/// the eager kernels are. Throws ember::Error when CUDA is unavailable or
/// the source does not compile (with NVRTC's log).
std::unique_ptr<KernelLauncher> cuda_launcher(const Program &program);
/// The same from an image compiled ahead of time (emberc --target=cuda):
/// a cubin or PTX text for the device.
std::unique_ptr<KernelLauncher> cuda_launcher(const Program &program,
                                              const std::string &image);
/// NVRTC, for ahead-of-time use: `source` as a cubin for sm_<arch>, or PTX
/// for compute_<arch> when `ptx` is set. Needs libnvrtc, not a GPU.
std::string nvrtc_compile(const std::string &source, const std::string &name,
                          int arch, bool ptx);

} // namespace ember::program
