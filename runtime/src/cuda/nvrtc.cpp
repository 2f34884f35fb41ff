// Eager kernels: NVRTC compilation, the on-disk cubin cache, loading and
// launching (see module.h for why NVRTC).
#include "check.h"
#include "dynlib.h"
#include "ember/runtime/cuda.h"
#include "ember/runtime/file_io.h"
#include "module.h"

#include <dlfcn.h>
#include <nvrtc.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace ember::cuda::detail {

void *open_cuda_library(const char *soname) {
  if (void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL))
    return h;
#ifdef EMBER_CUDA_LIBDIR
  std::string path = std::string(EMBER_CUDA_LIBDIR) + "/" + soname;
  if (void *h = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL))
    return h;
#endif
  return nullptr;
}

void *cuda_symbol(void *handle, const char *lib, const char *name) {
  void *s = dlsym(handle, name);
  EMBER_CHECK(s != nullptr, lib, "symbol ", name, " is missing from ", lib);
  return s;
}

namespace {

// The NVRTC entry points ember uses, resolved from the library by name.
struct Nvrtc {
  decltype(&nvrtcVersion) version;
  decltype(&nvrtcGetNumSupportedArchs) num_archs;
  decltype(&nvrtcGetSupportedArchs) archs;
  decltype(&nvrtcCreateProgram) create;
  decltype(&nvrtcCompileProgram) compile;
  decltype(&nvrtcGetProgramLogSize) log_size;
  decltype(&nvrtcGetProgramLog) log;
  decltype(&nvrtcGetCUBINSize) cubin_size;
  decltype(&nvrtcGetCUBIN) cubin;
  decltype(&nvrtcGetPTXSize) ptx_size;
  decltype(&nvrtcGetPTX) ptx;
  decltype(&nvrtcDestroyProgram) destroy;
  decltype(&nvrtcGetErrorString) error;
};

const Nvrtc *load_nvrtc() {
  static const Nvrtc *lib = []() -> const Nvrtc * {
    void *h = open_cuda_library("libnvrtc.so." EMBER_NVRTC_SOVERSION);
    if (!h)
      h = open_cuda_library("libnvrtc.so");
    if (!h)
      return nullptr;
    auto *n = new Nvrtc;
#define EMBER_NVRTC_SYM(field, name)                                           \
  n->field =                                                                   \
      reinterpret_cast<decltype(n->field)>(cuda_symbol(h, "libnvrtc", #name))
    EMBER_NVRTC_SYM(version, nvrtcVersion);
    EMBER_NVRTC_SYM(num_archs, nvrtcGetNumSupportedArchs);
    EMBER_NVRTC_SYM(archs, nvrtcGetSupportedArchs);
    EMBER_NVRTC_SYM(create, nvrtcCreateProgram);
    EMBER_NVRTC_SYM(compile, nvrtcCompileProgram);
    EMBER_NVRTC_SYM(log_size, nvrtcGetProgramLogSize);
    EMBER_NVRTC_SYM(log, nvrtcGetProgramLog);
    EMBER_NVRTC_SYM(cubin_size, nvrtcGetCUBINSize);
    EMBER_NVRTC_SYM(cubin, nvrtcGetCUBIN);
    EMBER_NVRTC_SYM(ptx_size, nvrtcGetPTXSize);
    EMBER_NVRTC_SYM(ptx, nvrtcGetPTX);
    EMBER_NVRTC_SYM(destroy, nvrtcDestroyProgram);
    EMBER_NVRTC_SYM(error, nvrtcGetErrorString);
#undef EMBER_NVRTC_SYM
    return n;
  }();
  return lib;
}

const Nvrtc &nvrtc() {
  const Nvrtc *n = load_nvrtc();
  EMBER_CHECK(n != nullptr, "nvrtc",
              "cannot load libnvrtc (the CUDA toolkit's runtime compiler), "
              "which compiles ember's CUDA kernels: install the CUDA toolkit "
              "or put libnvrtc.so on the library path");
  return *n;
}

#define EMBER_NVRTC_CHECK(expr, what)                                          \
  do {                                                                         \
    nvrtcResult r_ = (expr);                                                   \
    EMBER_CHECK(r_ == NVRTC_SUCCESS, "nvrtc", what,                            \
                " failed: ", nv.error(r_));                                    \
  } while (0)

uint64_t fnv1a(std::string_view s, uint64_t h = 1469598103934665603ull) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string cache_dir() {
  std::string dir;
  if (const char *env = std::getenv("EMBER_CACHE_DIR"))
    dir = env;
  else if (const char *home = std::getenv("HOME"); home && *home)
    dir = std::string(home) + "/.cache/ember";
  return dir == "0" || dir.empty() ? "" : dir + "/cuda";
}

// A cache file is 8 bytes of FNV-1a over the payload, then the payload; a
// file whose checksum fails is treated as absent and rewritten.
bool read_cached(const std::string &path, std::vector<char> &out) {
  std::FILE *f = std::fopen(path.c_str(), "rb");
  if (!f)
    return false;
  std::vector<char> all;
  char buf[65536];
  size_t got;
  while ((got = std::fread(buf, 1, sizeof buf, f)) > 0)
    all.insert(all.end(), buf, buf + got);
  std::fclose(f);
  if (all.size() < 8)
    return false;
  uint64_t sum;
  std::memcpy(&sum, all.data(), 8);
  std::string_view payload(all.data() + 8, all.size() - 8);
  if (fnv1a(payload) != sum)
    return false;
  out.assign(payload.begin(), payload.end());
  return true;
}

void write_cached(const std::string &path, const std::vector<char> &bin) {
  std::string_view payload(bin.data(), bin.size());
  uint64_t sum = fnv1a(payload);
  std::string bytes(reinterpret_cast<const char *>(&sum), 8);
  bytes.append(payload);
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(),
                                      ec);
  try {
    atomic_write_file("nvrtc", path, bytes);
  } catch (const Error &) {
    // A read-only or full cache folder costs a recompile next time, no more.
  }
}

} // namespace

bool nvrtc_available() { return load_nvrtc() != nullptr; }

const char *c_type(DType t) {
  switch (t) {
  case DType::Bool:
    return "bool";
  case DType::UInt8:
    return "unsigned char";
  case DType::Int32:
    return "int";
  case DType::Int64:
    return "long long";
  case DType::Float32:
    return "float";
  case DType::Float64:
    return "double";
  default:
    EMBER_FAIL("cuda", "dtype ", t, " has no CUDA kernels");
  }
}

std::string module_source(std::string_view family, std::string_view prelude) {
  std::string_view common = kernel_source("common");
  std::string_view body = kernel_source(family);
  EMBER_CHECK(!body.empty() && !common.empty(), "cuda",
              "no CUDA kernel source named '", family, "'");
  std::string src;
  src.reserve(common.size() + prelude.size() + body.size() + 64);
  src.append(common).append("\n// prelude\n").append(prelude);
  src.append("\n// ").append(family).append(".cuh\n").append(body);
  return src;
}

std::vector<char> nvrtc_compile(const std::string &source,
                                const std::string &name, int arch, bool ptx) {
  const Nvrtc &nv = nvrtc();
  nvrtcProgram prog = nullptr;
  EMBER_NVRTC_CHECK(
      nv.create(&prog, source.c_str(), name.c_str(), 0, nullptr, nullptr),
      "nvrtcCreateProgram");
  std::string arch_opt = std::string("--gpu-architecture=") +
                         (ptx ? "compute_" : "sm_") + std::to_string(arch);
  // --fmad=false: no contraction of a*b+c into fma, so results match the
  // CPU reference kernels as closely as the math library allows.
  const char *opts[] = {arch_opt.c_str(), "-std=c++17", "--fmad=false"};
  nvrtcResult r = nv.compile(prog, 3, opts);
  size_t log_n = 0;
  nv.log_size(prog, &log_n);
  std::string log(log_n, '\0');
  if (log_n > 1)
    nv.log(prog, log.data());
  if (r != NVRTC_SUCCESS) {
    nv.destroy(&prog);
    EMBER_FAIL("nvrtc", "compiling ", name, " for ", arch_opt,
               " failed: ", nv.error(r), "\n", log);
  }
  size_t n = 0;
  std::vector<char> out;
  if (ptx) {
    EMBER_NVRTC_CHECK(nv.ptx_size(prog, &n), "nvrtcGetPTXSize");
    out.resize(n);
    EMBER_NVRTC_CHECK(nv.ptx(prog, out.data()), "nvrtcGetPTX");
  } else {
    EMBER_NVRTC_CHECK(nv.cubin_size(prog, &n), "nvrtcGetCUBINSize");
    out.resize(n);
    EMBER_NVRTC_CHECK(nv.cubin(prog, out.data()), "nvrtcGetCUBIN");
  }
  nv.destroy(&prog);
  return out;
}

namespace {

// The newest architecture NVRTC knows that the device runs: a cubin for
// the device's own one, else PTX the driver compiles for the device.
std::pair<int, bool> target_for(int device_arch) {
  const Nvrtc &nv = nvrtc();
  int count = 0;
  EMBER_NVRTC_CHECK(nv.num_archs(&count), "nvrtcGetNumSupportedArchs");
  std::vector<int> archs(count);
  EMBER_NVRTC_CHECK(nv.archs(archs.data()), "nvrtcGetSupportedArchs");
  int best = 0;
  for (int a : archs)
    if (a <= device_arch)
      best = std::max(best, a);
  EMBER_CHECK(best > 0, "nvrtc", "this NVRTC supports no architecture up to ",
              "sm_", device_arch, " (the current device)");
  return {best, best != device_arch};
}

struct Loaded {
  cudaLibrary_t lib = nullptr;
  std::map<std::string, void *, std::less<>> kernels;
};

std::mutex g_mu;
std::map<std::tuple<int, std::string>, Loaded> g_modules;

// The module for `key` on the current device, compiled from source()
// (named `tag` in NVRTC's messages and the cache file) on first use; the
// disk cache's name hashes the source text itself. Called under g_mu.
template <typename Source>
Loaded &load_module(const std::string &key, std::string_view tag,
                    Source &&source) {
  require_device("cuda");
  const int dev = current_device();
  Loaded &m = g_modules[{dev, key}];
  if (m.lib)
    return m;
  Capability cap = get_device_capability(dev);
  auto [arch, ptx] = target_for(cap.major * 10 + cap.minor);
  std::string src = source();
  int vmaj = 0, vmin = 0;
  nvrtc().version(&vmaj, &vmin);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx",
                static_cast<unsigned long long>(
                    fnv1a(src + "\n" + std::to_string(vmaj) + "." +
                          std::to_string(vmin) + (ptx ? " ptx" : " cubin"))));
  std::string dir = cache_dir();
  std::string path = dir.empty()
                         ? ""
                         : dir + "/" + std::string(tag) + "-" + hex + "-sm" +
                               std::to_string(arch) + (ptx ? ".ptx" : ".cubin");
  std::vector<char> bin;
  bool cached = !path.empty() && read_cached(path, bin);
  if (cached && cudaLibraryLoadData(&m.lib, bin.data(), nullptr, nullptr, 0,
                                    nullptr, nullptr, 0) != cudaSuccess) {
    cudaGetLastError(); // a corrupt or stale entry: rebuild it
    m.lib = nullptr;
    cached = false;
  }
  if (!cached) {
    bin = nvrtc_compile(src, std::string(tag) + ".cu", arch, ptx);
    if (ptx)
      bin.push_back('\0');
    EMBER_CUDA_CHECK(cudaLibraryLoadData(&m.lib, bin.data(), nullptr, nullptr,
                                         0, nullptr, nullptr, 0),
                     "cuda");
    if (!path.empty())
      write_cached(path, bin);
  }
  return m;
}

void *kernel_of(Loaded &m, const char *kernel) {
  auto it = m.kernels.find(kernel);
  if (it != m.kernels.end())
    return it->second;
  cudaKernel_t k = nullptr;
  EMBER_CUDA_CHECK(cudaLibraryGetKernel(&k, m.lib, kernel), "cuda");
  m.kernels.emplace(kernel, reinterpret_cast<void *>(k));
  return reinterpret_cast<void *>(k);
}

} // namespace

void *get_kernel(std::string_view family, std::string_view prelude,
                 const char *kernel) {
  std::string key = std::string(family) + "\n" + std::string(prelude);
  std::lock_guard<std::mutex> lock(g_mu);
  Loaded &m =
      load_module(key, family, [&] { return module_source(family, prelude); });
  return kernel_of(m, kernel);
}

void *get_source_kernel(const std::string &source, std::string_view tag,
                        const char *kernel) {
  // "\x01" keeps these keys apart from the eager families' names.
  std::string key = "\x01" + source;
  std::lock_guard<std::mutex> lock(g_mu);
  Loaded &m = load_module(key, tag, [&] { return source; });
  return kernel_of(m, kernel);
}

void launch(void *kernel, unsigned grid, unsigned block, void **args,
            size_t shared_bytes) {
  if (grid == 0)
    return;
  cudaStream_t s = static_cast<cudaStream_t>(current_stream().handle());
  // A cudaKernel_t is launched through the runtime API by casting it to the
  // function pointer argument (CUDA runtime API, cudaLibraryGetKernel).
  EMBER_CUDA_CHECK(cudaLaunchKernel(static_cast<const void *>(kernel),
                                    dim3(grid), dim3(block), args, shared_bytes,
                                    s),
                   "cuda launch");
}

void launch_elementwise(void *kernel, int64_t n, void **args) {
  if (n <= 0)
    return;
  static thread_local int sms = 0;
  if (sms == 0) {
    if (cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount,
                               current_device()) != cudaSuccess) {
      cudaGetLastError();
      sms = 80;
    }
  }
  constexpr int64_t kBlock = 256;
  // Grid-stride loops: enough blocks to fill every SM several times over.
  int64_t grid = std::min<int64_t>((n + kBlock - 1) / kBlock, sms * 32);
  launch(kernel, static_cast<unsigned>(grid), kBlock, args);
}

Geom make_geom(const char *op, std::vector<const TensorImpl *> operands) {
  EMBER_CHECK(operands.size() <= kMaxOperands, op, "too many operands");
  const TensorImpl &out = *operands[0];
  Geom g{};
  // Drop size-1 dims, then merge dim d into d+1 where every operand's
  // stride allows it (stride[d] == stride[d+1] * size[d+1]).
  std::vector<int64_t> sizes;
  std::vector<std::vector<int64_t>> strides(operands.size());
  for (int64_t d = 0; d < out.dim(); ++d) {
    if (out.size(d) == 1)
      continue;
    sizes.push_back(out.size(d));
    for (size_t k = 0; k < operands.size(); ++k)
      strides[k].push_back(operands[k]->stride(d));
  }
  for (int64_t d = static_cast<int64_t>(sizes.size()) - 2; d >= 0; --d) {
    bool ok = true;
    for (auto &st : strides)
      ok = ok && st[d] == st[d + 1] * sizes[d + 1];
    if (!ok)
      continue;
    sizes[d] *= sizes[d + 1];
    sizes.erase(sizes.begin() + d + 1);
    for (auto &st : strides) {
      st[d] = st[d + 1];
      st.erase(st.begin() + d + 1);
    }
  }
  bool flat = sizes.size() <= 1;
  for (auto &st : strides)
    flat = flat && (sizes.empty() || st[0] == 1);
  if (flat) {
    g.ndim = 0;
    return g;
  }
  EMBER_CHECK(sizes.size() <= kMaxDims, op, "CUDA kernels take at most ",
              kMaxDims, " dims after merging contiguous ones, got ",
              sizes.size(), " for a tensor of shape ", out.sizes());
  g.ndim = static_cast<int32_t>(sizes.size());
  for (size_t d = 0; d < sizes.size(); ++d) {
    g.sizes[d] = sizes[d];
    for (size_t k = 0; k < operands.size(); ++k)
      g.strides[k][d] = strides[k][d];
  }
  return g;
}

} // namespace ember::cuda::detail
