//===- CUDA.h - linalg on tensors -> CUDA C kernels -------------*- C++ -*-===//
//
// ember's CUDA target (ARCHITECTURE.md: fused groups as CUDA C, compiled
// by NVRTC; GEMMs through cuBLAS). Two parts:
//   - the emitter (EmitCUDA.cpp): every linalg.generic (after elementwise
//     fusion) and linalg.fill of a function on static-shape tensors becomes
//     one __global__ function of CUDA C. One thread computes one point of
//     the op's parallel iteration space and loops over its reduction
//     dimensions; each operand is a pointer to a contiguous row-major
//     buffer, indexed through the op's indexing map (broadcasts are maps
//     that drop or fix a dimension). The scalar body (arith and math ops)
//     becomes C expressions with the same semantics: IEEE NaN rules of
//     maximumf/minimumf, ordered and unordered comparisons, signed and
//     unsigned integer ops. A sequential scf.for nest carrying tensors
//     (scatter-add) becomes a kernel of one thread.
//   - the program builder (CudaProgram.cpp): the whole function as an
//     ember::program::Program (ember/runtime/program.h) that the runtime
//     runs: the kernels, GEMMs / convolutions / max-pooling as runtime steps
//     (cuBLAS on a GPU), reshapes, transposes and slices as views, and the
//     buffers each kernel writes.
//
//===----------------------------------------------------------------------===//

#ifndef EMBER_CODEGEN_CUDA_H
#define EMBER_CODEGEN_CUDA_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

#include <memory>
#include <string>
#include <vector>

namespace ember::program {
struct Program;
} // namespace ember::program

namespace mlir::ember {

/// One emitted kernel: its name, the op it comes from, and how to launch it.
struct CudaKernel {
  std::string name;
  Operation *op = nullptr;
  /// Threads to launch: the number of points of the parallel iteration
  /// space (the kernel returns early for threads past it).
  int64_t threads = 0;
  /// The operands in parameter order: the op's inputs, then its outputs
  /// (read as the initial value where the op reads them, written).
  unsigned numInputs = 0, numOutputs = 0;
  /// Tensors the body reads at computed indices (tensor.extract: gather),
  /// passed after the operands.
  std::vector<Value> captures;
};

/// The CUDA C translation unit of `func`'s kernels (each linalg.generic,
/// linalg.fill and scf.for, see emitCudaKernel) ("extern C" __global__
/// functions named <func>_k<i>, self-contained: no headers), appended to
/// `source`, with one CudaKernel per kernel. Fails with an error at the op
/// (and its location) that has no CUDA C form: a dynamic shape, an element
/// type without a C type, or a body op the emitter does not know.
LogicalResult emitCudaKernels(func::FuncOp func, std::string &source,
                              std::vector<CudaKernel> &kernels);

/// The helpers every translation unit of emitted kernels starts with.
const char *cudaPrelude();

/// One kernel: a linalg.generic or linalg.fill on tensors, or a sequential
/// scf.for carrying tensors (a kernel of one thread that updates them in
/// place; scatter-add's loop), named `name`, appended to `body` (without
/// the prelude). Fails with an error at the op that has no CUDA C form.
LogicalResult emitCudaKernel(Operation *op, const std::string &name,
                             std::string &body, CudaKernel &kernel);

/// The device program of `func` (linalg/tensor/arith/math/scf on static
/// shapes, after elementwise fusion; see CudaProgram.cpp): its kernels as
/// one CUDA C translation unit, GEMMs, convolutions and max-pooling as
/// runtime steps (cuBLAS), reshapes, transposes and slices as views.
/// Fails with an error at the first op that has no such form.
LogicalResult buildCudaProgram(func::FuncOp func,
                               ::ember::program::Program &program);

/// `ember-print-cuda-program`: prints each function's program (its steps,
/// then its CUDA C) to stdout, for lit tests.
std::unique_ptr<Pass> createPrintCudaProgramPass();

/// `ember-print-cuda`: prints each function's CUDA C to stdout (the IR is
/// unchanged), for lit tests and IR dumps.
std::unique_ptr<Pass> createPrintCudaPass();
void registerEmberCudaPasses();

} // namespace mlir::ember

#endif // EMBER_CODEGEN_CUDA_H
