// What emberc.cpp (options, stages) shares with the files that build its
// linked outputs: model_source.cpp (the generated model file and C API)
// and link.cpp (executables, static libraries, external weights).
#pragma once

#include "ember/jit/package.h"

#include <string>

namespace emberc {

/// What --emit=exe and --emit=lib need besides the package.
struct AotOptions {
  std::string output;           ///< -o
  std::string name;             ///< --name: a C identifier
  bool externalWeights = false; ///< --weights=external
  std::string object;           ///< the compiled object (--emit=obj's bytes)
  std::string description;      ///< --describe's text
  /// --target=cuda: the serialized device program replaces the object,
  /// with its kernels as a cubin for sm_<cudaArch> and PTX.
  bool cuda = false;
  std::string cudaProgram, cudaCubin, cudaPtx;
  int cudaArch = 0;
};

/// `name` made a C identifier: every other character becomes '_', and a
/// leading digit (or an empty name) gets a '_' prefix.
std::string cIdentifier(const std::string &name);

/// The C++ file that describes the model to aot_runtime.cpp and
/// aot_main.cpp (aot/aot_model.h): signature, goldens, the weights (as
/// bytes, or null with external weights) and ember_aot_entry.
std::string modelSource(const ember::jit::Package &p, const AotOptions &o);

/// The C header of a library (<name>.h) and the C++ file defining its
/// functions on top of aot_runtime.h.
std::string cApiHeader(const ember::jit::Package &p, const AotOptions &o);
std::string cApiSource(const ember::jit::Package &p, const AotOptions &o);

/// --emit=exe: the executable at o.output.
void writeExecutable(const ember::jit::Package &p, const AotOptions &o);
/// --emit=lib: the static library at o.output and <name>.h beside it.
void writeLibrary(const ember::jit::Package &p, const AotOptions &o);
/// --weights=external: <name>.safetensors beside o.output; returns its path.
std::string writeExternalWeights(const ember::jit::Package &p,
                                 const AotOptions &o);

} // namespace emberc
