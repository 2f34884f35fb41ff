// main() of the executables emberc --emit=exe writes: the model's object
// and its generated description (aot_model.h) link with this file,
// aot_runtime.cpp (the weights and the calls), the runtime's C ABI
// (compiled_abi.h, from libember_runtime.a) and OpenBLAS. No MLIR, LLVM or
// ember frontend at run time.
//
//   model [-o DIR] in0.npy ...   run once, write DIR/<output name>.npy
//   model --raw in0.bin ...      inputs as raw little-endian bytes
//   model --weights FILE ...     weights from FILE (safetensors); with
//                                --weights=external the default is
//                                <weights file name> beside the executable
//   model --describe             the signature, compiler version, hash
//   model --self-test            run the stored goldens, compare outputs
//   model --bench N in0.npy ...  N timed runs: median and min milliseconds
//   model --save-weights FILE    after the runs, write the weights to FILE
//                                (safetensors, atomically)
//   model --steps N in0.npy ...  a training step's package: N steps on
//                                these inputs (each updates the weights);
//                                the outputs are the last step's
//
// Inputs are .npy files (little-endian, C order) of the signature's dtype
// and shape, or with --raw files of exactly the signature's byte size;
// anything else is refused with a message naming the file.
#include "aot_model.h"
#include "aot_runtime.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <malloc.h>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

const char *npyDescr(int dtype) {
  switch (dtype) {
  case EMBER_AOT_BOOL:
    return "|b1";
  case EMBER_AOT_U8:
    return "|u1";
  case EMBER_AOT_I32:
    return "<i4";
  case EMBER_AOT_I64:
    return "<i8";
  case EMBER_AOT_F32:
    return "<f4";
  default:
    return "<f8";
  }
}

std::string shapeText(const ember_aot_tensor &t) {
  std::string s = "[";
  for (int i = 0; i < t.rank; ++i)
    s += (i ? ", " : "") + std::to_string(t.sizes[i]);
  return s + "]";
}

int64_t numel(const ember_aot_tensor &t) {
  int64_t n = 1;
  for (int i = 0; i < t.rank; ++i)
    n *= t.sizes[i];
  return n;
}

// 64-byte aligned storage for one tensor.
struct Buffer {
  std::vector<unsigned char> bytes;
  unsigned char *data() {
    auto p = reinterpret_cast<uintptr_t>(bytes.data());
    return bytes.data() + ((64 - p % 64) % 64);
  }
  explicit Buffer(size_t n) : bytes(n + 64) {}
};

[[noreturn]] void fail(const std::string &message) {
  throw std::runtime_error(message);
}

std::string readFile(const std::string &path);

// Reads `path` as the .npy of `spec`.
void readNpy(const std::string &path, const ember_aot_tensor &spec,
             unsigned char *out) {
  std::string bytes = readFile(path);
  if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0)
    fail("'" + path + "' is not a .npy file");
  size_t headerLen, start;
  if (bytes[6] == 1) {
    headerLen = static_cast<unsigned char>(bytes[8]) |
                static_cast<unsigned char>(bytes[9]) << 8;
    start = 10;
  } else {
    if (bytes.size() < 12)
      fail("'" + path + "' is truncated");
    headerLen = 0;
    for (int b = 3; b >= 0; --b)
      headerLen = headerLen << 8 | static_cast<unsigned char>(bytes[8 + b]);
    start = 12;
  }
  if (bytes.size() < start + headerLen)
    fail("'" + path + "' is truncated");
  std::string header = bytes.substr(start, headerLen);
  // The header is a Python dict literal: compare it without whitespace
  // ("(2,)" and "(2, )" are the same tuple), the shape by its numbers.
  std::string dict;
  for (char c : header)
    if (c != ' ' && c != '\n' && c != '\t')
      dict += c;
  std::vector<int64_t> dims;
  bool shapeOk = false;
  size_t at = dict.find("'shape':(");
  if (at != std::string::npos) {
    size_t i = at + 9;
    shapeOk = true;
    while (i < dict.size() && dict[i] != ')') {
      size_t end = i;
      while (end < dict.size() && dict[end] >= '0' && dict[end] <= '9')
        ++end;
      if (end == i || end - i > 18) {
        shapeOk = false;
        break;
      }
      dims.push_back(std::stoll(dict.substr(i, end - i)));
      i = end;
      if (i < dict.size() && dict[i] == ',')
        ++i;
    }
    shapeOk = shapeOk && i < dict.size() &&
              static_cast<int>(dims.size()) == spec.rank &&
              std::equal(dims.begin(), dims.end(), spec.sizes);
  }
  if (dict.find(std::string("'descr':'") + npyDescr(spec.dtype) + "'") ==
          std::string::npos ||
      dict.find("'fortran_order':False") == std::string::npos || !shapeOk)
    fail("'" + path + "' must hold " + npyDescr(spec.dtype) + " " +
         shapeText(spec) + " in C order for input '" + spec.name +
         "'; its header is " + header);
  size_t nbytes = static_cast<size_t>(spec.nbytes);
  if (bytes.size() - start - headerLen != nbytes)
    fail("'" + path + "' has " +
         std::to_string(bytes.size() - start - headerLen) +
         " data bytes, expected " + std::to_string(nbytes));
  std::memcpy(out, bytes.data() + start + headerLen, nbytes);
}

void writeNpy(const std::string &path, const ember_aot_tensor &spec,
              const unsigned char *data, size_t nbytes) {
  std::string dict = std::string("{'descr': '") + npyDescr(spec.dtype) +
                     "', 'fortran_order': False, 'shape': (";
  for (int i = 0; i < spec.rank; ++i)
    dict += std::to_string(spec.sizes[i]) + (spec.rank == 1      ? ","
                                             : i + 1 < spec.rank ? ", "
                                                                 : "");
  dict += "), }";
  size_t total = 10 + dict.size() + 1;
  dict.append((64 - total % 64) % 64, ' ');
  dict += '\n';
  std::string out = "\x93NUMPY";
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(dict.size() & 0xff);
  out += static_cast<char>(dict.size() >> 8);
  out += dict;
  out.append(reinterpret_cast<const char *>(data), nbytes);
  std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary);
    if (!f.write(out.data(), static_cast<std::streamsize>(out.size())))
      fail("cannot write '" + tmp + "'");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0)
    fail("cannot rename '" + tmp + "' to '" + path + "'");
}

// One call of the compiled function on `inputs` (contiguous buffers);
// writes the outputs.
void run(const std::vector<unsigned char *> &inputs,
         const std::vector<unsigned char *> &outputs) {
  std::vector<const void *> in(inputs.begin(), inputs.end());
  std::vector<void *> out(outputs.begin(), outputs.end());
  if (ember_aot_run(in.data(), out.data()) != 0)
    fail(ember_aot_last_error());
}

std::string readFile(const std::string &path) {
  // One read (istreambuf_iterator goes byte by byte).
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in)
    fail("cannot open '" + path + "'");
  std::string bytes(static_cast<size_t>(in.tellg()), '\0');
  in.seekg(0);
  if (!in.read(bytes.data(), static_cast<std::streamsize>(bytes.size())))
    fail("cannot read '" + path + "'");
  return bytes;
}

// Reads `path` as raw little-endian bytes of `spec` (--raw).
void readRaw(const std::string &path, const ember_aot_tensor &spec,
             unsigned char *out) {
  std::string bytes = readFile(path);
  if (bytes.size() != static_cast<size_t>(spec.nbytes))
    fail("'" + path + "' has " + std::to_string(bytes.size()) +
         " bytes; --raw input '" + spec.name + "' (" + npyDescr(spec.dtype) +
         " " + shapeText(spec) + ") needs exactly " +
         std::to_string(spec.nbytes));
  std::memcpy(out, bytes.data(), bytes.size());
}

// The weights file beside the executable (--weights=external's default).
std::string besideExecutable(const char *argv0, const char *name) {
  std::error_code ec;
  std::filesystem::path self =
      std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec)
    self = argv0;
  return (self.parent_path() / name).string();
}

double toDouble(const unsigned char *p, int dtype, int64_t i) {
  switch (dtype) {
  case EMBER_AOT_F32: {
    float v;
    std::memcpy(&v, p + 4 * i, 4);
    return v;
  }
  case EMBER_AOT_F64: {
    double v;
    std::memcpy(&v, p + 8 * i, 8);
    return v;
  }
  case EMBER_AOT_I32: {
    int32_t v;
    std::memcpy(&v, p + 4 * i, 4);
    return v;
  }
  case EMBER_AOT_I64: {
    int64_t v;
    std::memcpy(&v, p + 8 * i, 8);
    return static_cast<double>(v);
  }
  default:
    return p[i];
  }
}

struct Outputs {
  std::vector<Buffer> buffers;
  std::vector<unsigned char *> ptrs;
  Outputs() {
    for (int j = 0; j < ember_aot_num_outputs; ++j)
      buffers.emplace_back(static_cast<size_t>(ember_aot_outputs[j].nbytes));
    for (Buffer &b : buffers)
      ptrs.push_back(b.data());
  }
};

// The goldens through the compiled code; |got - want| <= 1e-5 + 1e-4|want|
// (the compiled GEMMs and reductions sum in another order than eager).
int selfTest() {
  if (ember_aot_num_goldens == 0) {
    std::cerr << "self-test: the package holds no goldens\n";
    return 1;
  }
  int failures = 0;
  for (int k = 0; k < ember_aot_num_goldens; ++k) {
    std::vector<unsigned char *> in;
    for (int i = 0; i < ember_aot_num_inputs; ++i)
      in.push_back(const_cast<unsigned char *>(
          ember_aot_golden_inputs[k * ember_aot_num_inputs + i].data));
    Outputs out;
    run(in, out.ptrs);
    for (int j = 0; j < ember_aot_num_outputs; ++j) {
      const ember_aot_tensor &want =
          ember_aot_golden_outputs[k * ember_aot_num_outputs + j];
      double worst = 0;
      bool ok = true;
      for (int64_t e = 0; e < numel(want); ++e) {
        double g = toDouble(out.ptrs[static_cast<size_t>(j)], want.dtype, e);
        double w = toDouble(want.data, want.dtype, e);
        double err = std::fabs(g - w);
        worst = std::max(worst, err);
        if (!(err <= 1e-5 + 1e-4 * std::fabs(w)) &&
            !(std::isnan(g) && std::isnan(w)))
          ok = false;
      }
      std::cout << "self-test: golden " << k << " output '"
                << ember_aot_outputs[j].name
                << "': " << (ok ? "ok" : "MISMATCH") << " (max abs error "
                << worst << ")\n";
      failures += !ok;
    }
  }
  std::cout << "self-test: " << (failures ? "FAILED" : "passed") << "\n";
  return failures ? 1 : 0;
}

} // namespace

int main(int argc, char **argv) {
  // The compiled code mallocs and frees its intermediate buffers on every
  // run; glibc serves big ones with fresh mmaps, so every run would fault
  // in (and zero) megabytes again (the Fashion-MNIST CNN at batch 128: 35%
  // slower than the same code in the JIT's long-lived process). Keep them
  // in the heap. A process-wide choice: main()'s to make, not the library's.
  mallopt(M_MMAP_THRESHOLD, 256 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  try {
    std::string outDir = ".";
    long bench = 0;
    bool describe = false, self = false, raw = false;
    long steps = 1;
    std::string weights, saveWeights;
    std::vector<std::string> files;
    for (int i = 1; i < argc; ++i) {
      std::string a = argv[i];
      if (a == "--describe")
        describe = true;
      else if (a == "--self-test")
        self = true;
      else if (a == "--raw")
        raw = true;
      else if (a == "--weights" && i + 1 < argc)
        weights = argv[++i];
      else if (a == "-o" && i + 1 < argc)
        outDir = argv[++i];
      else if (a == "--bench" && i + 1 < argc)
        bench = std::atol(argv[++i]);
      else if (a == "--steps" && i + 1 < argc)
        steps = std::atol(argv[++i]);
      else if (a == "--save-weights" && i + 1 < argc)
        saveWeights = argv[++i];
      else if (a.rfind("-", 0) == 0)
        fail("unknown option '" + a +
             "' (use: [-o DIR] [--bench N] [--steps N] [--raw] [--weights "
             "FILE] [--save-weights FILE] [--describe] [--self-test] "
             "inputs...)");
      else
        files.push_back(a);
    }
    if (describe) {
      std::cout << ember_aot_description;
      return 0;
    }
    if (weights.empty() && ember_aot_weights_external)
      weights = besideExecutable(argv[0], ember_aot_weights_file);
    if (!weights.empty() && ember_aot_load_weights(weights.c_str()) != 0)
      fail(ember_aot_last_error());
    if (self)
      return selfTest();
    if (steps != 1 && ember_aot_num_step_results == 0)
      fail("--steps applies to a training step's package; this model is "
           "an inference function");
    if (steps < 1)
      fail("--steps must be at least 1");
    if (static_cast<int>(files.size()) != ember_aot_num_inputs)
      fail("expected " + std::to_string(ember_aot_num_inputs) + " input " +
           (raw ? "raw" : ".npy") + " file(s), got " +
           std::to_string(files.size()));
    std::vector<Buffer> inputs;
    std::vector<unsigned char *> in;
    for (int i = 0; i < ember_aot_num_inputs; ++i) {
      inputs.emplace_back(static_cast<size_t>(ember_aot_inputs[i].nbytes));
      (raw ? readRaw : readNpy)(files[static_cast<size_t>(i)],
                                ember_aot_inputs[i], inputs.back().data());
      in.push_back(inputs.back().data());
    }
    Outputs out;
    if (bench > 0) {
      std::vector<double> ms;
      for (long r = 0; r < bench; ++r) {
        auto t0 = std::chrono::steady_clock::now();
        run(in, out.ptrs);
        ms.push_back(std::chrono::duration<double, std::milli>(
                         std::chrono::steady_clock::now() - t0)
                         .count());
      }
      std::sort(ms.begin(), ms.end());
      std::cout << "bench: " << bench << " runs, median " << ms[ms.size() / 2]
                << " ms, min " << ms.front() << " ms\n";
    } else {
      for (long k = 0; k < steps; ++k)
        run(in, out.ptrs);
    }
    if (!saveWeights.empty()) {
      if (ember_aot_save_weights(saveWeights.c_str()) != 0)
        fail(ember_aot_last_error());
      std::cout << "wrote " << saveWeights << "\n";
    }
    // The output folder is made as needed, as `-o` of a compiler would.
    std::error_code ec;
    std::filesystem::create_directories(outDir, ec);
    if (ec)
      throw std::runtime_error("cannot create the output folder '" + outDir +
                               "': " + ec.message());
    for (int j = 0; j < ember_aot_num_outputs; ++j) {
      std::string path = outDir + "/" + ember_aot_outputs[j].name + ".npy";
      writeNpy(path, ember_aot_outputs[j], out.ptrs[static_cast<size_t>(j)],
               static_cast<size_t>(ember_aot_outputs[j].nbytes));
      std::cout << "wrote " << path << "\n";
    }
  } catch (const std::exception &e) {
    std::cerr << argv[0] << ": error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
