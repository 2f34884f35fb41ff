// The weights and the calls of emberc's executables and libraries (see
// aot_runtime.h): the compiled entry point takes memref descriptors of the
// inputs, the weights and the outputs; this file builds them from plain
// pointers. Weights come from the generated model file (embedded bytes) or
// from a safetensors file, read here with a small parser of its header
// (the format: an 8-byte little-endian header length N, N bytes of JSON
// {"name": {"dtype", "shape", "data_offsets": [begin, end]}, ...}, then
// the data), so that nothing of ember's frontend is linked.
#include "aot_runtime.h"

#include "aot_model.h"
#include "ember/runtime/memref_copy.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

extern "C" void memrefCopy(int64_t elemSize, ember::rt::UnrankedDescriptor *src,
                           ember::rt::UnrankedDescriptor *dst) {
  ember::rt::memref_copy(elemSize, src, dst);
}

namespace {

thread_local std::string lastError;

[[noreturn]] void fail(const std::string &message) {
  throw std::runtime_error(message);
}

// --- the safetensors header -------------------------------------------

struct Entry {
  std::string dtype;
  std::vector<int64_t> shape;
  int64_t begin = -1, end = -1;
};

// A reader of the JSON safetensors headers hold: objects, arrays, strings,
// integers; anything else in a tensor's record is refused, other records
// (__metadata__) are skipped whole.
class Header {
public:
  Header(const std::string &text, const std::string &path)
      : s_(text), path_(path) {}

  std::map<std::string, Entry> parse() {
    std::map<std::string, Entry> entries;
    expect('{');
    if (peek() == '}') {
      ++i_;
      return entries;
    }
    do {
      std::string name = string();
      expect(':');
      if (name == "__metadata__")
        skipValue();
      else
        entries[name] = entry(name);
    } while (next(',', '}'));
    return entries;
  }

private:
  const std::string &s_;
  const std::string &path_;
  size_t i_ = 0;

  [[noreturn]] void bad(const std::string &what) {
    fail("'" + path_ + "': not a safetensors file (" + what + " at byte " +
         std::to_string(i_ + 8) + " of the header)");
  }
  char peek() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' ||
                              s_[i_] == '\t' || s_[i_] == '\r'))
      ++i_;
    if (i_ >= s_.size())
      bad("truncated JSON");
    return s_[i_];
  }
  void expect(char c) {
    if (peek() != c)
      bad(std::string("expected '") + c + "'");
    ++i_;
  }
  // After an item: true on ',', false on `close`.
  bool next(char comma, char close) {
    char c = peek();
    if (c != comma && c != close)
      bad(std::string("expected '") + comma + "' or '" + close + "'");
    ++i_;
    return c == comma;
  }
  std::string string() {
    expect('"');
    std::string out;
    while (i_ < s_.size() && s_[i_] != '"') {
      if (s_[i_] == '\\') {
        if (++i_ >= s_.size())
          bad("truncated string");
        if (s_[i_] == 'u')
          bad("\\u escape in a name");
        char c = s_[i_];
        out += c == 'n' ? '\n' : c == 't' ? '\t' : c;
      } else {
        out += s_[i_];
      }
      ++i_;
    }
    if (i_ >= s_.size())
      bad("truncated string");
    ++i_;
    return out;
  }
  int64_t integer() {
    peek();
    size_t start = i_;
    while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9')
      ++i_;
    if (start == i_ || i_ - start > 18)
      bad("expected a non-negative integer");
    return std::stoll(s_.substr(start, i_ - start));
  }
  std::vector<int64_t> integers() {
    std::vector<int64_t> out;
    expect('[');
    if (peek() == ']') {
      ++i_;
      return out;
    }
    do
      out.push_back(integer());
    while (next(',', ']'));
    return out;
  }
  Entry entry(const std::string &name) {
    Entry e;
    expect('{');
    do {
      std::string key = string();
      expect(':');
      if (key == "dtype") {
        e.dtype = string();
      } else if (key == "shape") {
        e.shape = integers();
      } else if (key == "data_offsets") {
        std::vector<int64_t> o = integers();
        if (o.size() != 2 || o[0] > o[1])
          bad("bad data_offsets of '" + name + "'");
        e.begin = o[0];
        e.end = o[1];
      } else {
        skipValue();
      }
    } while (next(',', '}'));
    if (e.dtype.empty() || e.begin < 0)
      bad("'" + name + "' lacks dtype or data_offsets");
    return e;
  }
  void skipValue() {
    char c = peek();
    if (c == '"') {
      string();
    } else if (c == '{' || c == '[') {
      char close = c == '{' ? '}' : ']';
      ++i_;
      if (peek() == close) {
        ++i_;
        return;
      }
      do {
        if (close == '}') {
          string();
          expect(':');
        }
        skipValue();
      } while (next(',', close));
    } else {
      while (i_ < s_.size() && s_[i_] != ',' && s_[i_] != '}' && s_[i_] != ']')
        ++i_;
    }
  }
};

const char *safetensorsDtype(int dtype) {
  switch (dtype) {
  case EMBER_AOT_BOOL:
    return "BOOL";
  case EMBER_AOT_U8:
    return "U8";
  case EMBER_AOT_I32:
    return "I32";
  case EMBER_AOT_I64:
    return "I64";
  case EMBER_AOT_F32:
    return "F32";
  default:
    return "F64";
  }
}

std::string shapeText(const std::vector<int64_t> &shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

// --- the weights ------------------------------------------------------

// Loaded weights: one 64-byte aligned block (the compiled code expects
// aligned data, as the embedded arrays are), with each weight's pointer.
struct Weights {
  std::unique_ptr<unsigned char, void (*)(void *)> block{nullptr, std::free};
  std::vector<unsigned char *> data;
};
Weights loaded;

size_t roundUp(size_t n) { return (n + 63) / 64 * 64; }

void loadWeights(const std::string &path) {
  // The header, then each weight read straight into its aligned place:
  // no copy of the whole file (a small model's startup is milliseconds).
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in)
    fail("cannot open the weights file '" + path + "'");
  uint64_t fileSize = static_cast<uint64_t>(in.tellg());
  in.seekg(0);
  unsigned char length[8];
  if (fileSize < 8 || !in.read(reinterpret_cast<char *>(length), 8))
    fail("'" + path + "': not a safetensors file (shorter than 8 bytes)");
  uint64_t n = 0;
  for (int b = 7; b >= 0; --b)
    n = n << 8 | length[b];
  if (n > fileSize - 8)
    fail("'" + path + "': not a safetensors file (header length " +
         std::to_string(n) + " exceeds the file)");
  std::string text(static_cast<size_t>(n), '\0');
  if (!in.read(text.data(), static_cast<std::streamsize>(n)))
    fail("cannot read the weights file '" + path + "'");
  std::map<std::string, Entry> entries = Header(text, path).parse();
  uint64_t dataStart = 8 + n, dataSize = fileSize - dataStart;

  size_t total = 0;
  for (int w = 0; w < ember_aot_num_weights; ++w)
    total += roundUp(static_cast<size_t>(ember_aot_weights[w].nbytes));
  Weights next;
  next.block.reset(static_cast<unsigned char *>(
      std::aligned_alloc(64, std::max<size_t>(total, 64))));
  if (!next.block)
    fail("out of memory loading '" + path + "'");
  size_t offset = 0;
  for (int w = 0; w < ember_aot_num_weights; ++w) {
    const ember_aot_tensor &spec = ember_aot_weights[w];
    std::vector<int64_t> want(spec.sizes, spec.sizes + spec.rank);
    std::string wantText =
        std::string(safetensorsDtype(spec.dtype)) + " " + shapeText(want);
    auto it = entries.find(spec.name);
    if (it == entries.end())
      fail("'" + path + "' has no tensor '" + spec.name + "' (" + wantText +
           ")");
    const Entry &e = it->second;
    if (e.dtype != safetensorsDtype(spec.dtype) || e.shape != want)
      fail("'" + path + "': tensor '" + spec.name + "' is " + e.dtype + " " +
           shapeText(e.shape) + ", expected " + wantText);
    if (static_cast<uint64_t>(e.end) > dataSize ||
        e.end - e.begin != spec.nbytes)
      fail("'" + path + "': tensor '" + spec.name + "' has data offsets [" +
           std::to_string(e.begin) + ", " + std::to_string(e.end) +
           "], which do not hold its " + std::to_string(spec.nbytes) +
           " bytes in the file's " + std::to_string(dataSize));
    unsigned char *dst = next.block.get() + offset;
    in.seekg(static_cast<std::streamoff>(dataStart) + e.begin);
    if (!in.read(reinterpret_cast<char *>(dst), spec.nbytes))
      fail("cannot read tensor '" + std::string(spec.name) + "' of '" + path +
           "'");
    next.data.push_back(dst);
    offset += roundUp(static_cast<size_t>(spec.nbytes));
  }
  loaded = std::move(next);
}

const unsigned char *weightData(int w);

// A training step writes its weights: embedded ones (read-only data) are
// copied into a block of their own on the first run.
void makeWeightsWritable() {
  if (!loaded.data.empty() || ember_aot_num_weights == 0)
    return;
  size_t total = 0;
  for (int w = 0; w < ember_aot_num_weights; ++w)
    total += roundUp(static_cast<size_t>(ember_aot_weights[w].nbytes));
  Weights next;
  next.block.reset(static_cast<unsigned char *>(
      std::aligned_alloc(64, std::max<size_t>(total, 64))));
  if (!next.block)
    fail("out of memory copying the weights");
  size_t offset = 0;
  for (int w = 0; w < ember_aot_num_weights; ++w) {
    unsigned char *dst = next.block.get() + offset;
    std::memcpy(dst, ember_aot_weights[w].data,
                static_cast<size_t>(ember_aot_weights[w].nbytes));
    next.data.push_back(dst);
    offset += roundUp(static_cast<size_t>(ember_aot_weights[w].nbytes));
  }
  loaded = std::move(next);
}

// weight += value, elementwise (a .grad: float32 or float64).
void addInto(unsigned char *weight, const unsigned char *value,
             const ember_aot_tensor &spec) {
  int64_t n = 1;
  for (int i = 0; i < spec.rank; ++i)
    n *= spec.sizes[i];
  if (spec.dtype == EMBER_AOT_F32) {
    auto *w = reinterpret_cast<float *>(weight);
    auto *v = reinterpret_cast<const float *>(value);
    for (int64_t i = 0; i < n; ++i)
      w[i] += v[i];
  } else if (spec.dtype == EMBER_AOT_F64) {
    auto *w = reinterpret_cast<double *>(weight);
    auto *v = reinterpret_cast<const double *>(value);
    for (int64_t i = 0; i < n; ++i)
      w[i] += v[i];
  } else {
    fail(std::string("cannot accumulate into weight '") + spec.name +
         "' of a non-float dtype");
  }
}

// Writes the current weights as a safetensors file, atomically (a
// temporary file beside it, renamed over it).
void saveWeights(const std::string &path) {
  std::string header = "{";
  uint64_t offset = 0;
  for (int w = 0; w < ember_aot_num_weights; ++w) {
    const ember_aot_tensor &t = ember_aot_weights[w];
    if (w)
      header += ',';
    header += '"';
    for (const char *c = t.name; *c; ++c) {
      if (*c == '"' || *c == '\\')
        header += '\\';
      header += *c;
    }
    header += "\":{\"dtype\":\"";
    header += safetensorsDtype(t.dtype);
    header += "\",\"shape\":[";
    for (int i = 0; i < t.rank; ++i) {
      if (i)
        header += ',';
      header += std::to_string(t.sizes[i]);
    }
    header += "],\"data_offsets\":[";
    header += std::to_string(offset);
    header += ',';
    header += std::to_string(offset + static_cast<uint64_t>(t.nbytes));
    header += "]}";
    offset += static_cast<uint64_t>(t.nbytes);
  }
  header += "}";
  // The data starts 8-byte aligned, as safetensors writers pad it.
  header.append((8 - header.size() % 8) % 8, ' ');
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out)
      fail("cannot write '" + tmp + "'");
    unsigned char length[8];
    uint64_t n = header.size();
    for (int b = 0; b < 8; ++b)
      length[b] = static_cast<unsigned char>(n >> (8 * b));
    out.write(reinterpret_cast<const char *>(length), 8);
    out.write(header.data(), static_cast<std::streamsize>(header.size()));
    for (int w = 0; w < ember_aot_num_weights; ++w)
      out.write(reinterpret_cast<const char *>(weightData(w)),
                static_cast<std::streamsize>(ember_aot_weights[w].nbytes));
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      fail("cannot write '" + tmp + "'");
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    fail("cannot rename '" + tmp + "' to '" + path + "'");
  }
}

const unsigned char *weightData(int w) {
  if (!loaded.data.empty())
    return loaded.data[static_cast<size_t>(w)];
  return ember_aot_weights[w].data;
}

bool weightsReady() {
  return !loaded.data.empty() || !ember_aot_weights_external ||
         ember_aot_num_weights == 0;
}

// --- one call ---------------------------------------------------------

void run(const void *const *inputs, void *const *outputs) {
  if (!weightsReady())
    fail(std::string("the weights are not loaded (the model was compiled "
                     "with --weights=external: load '") +
         ember_aot_weights_file + "' first)");
  union Slot {
    void *ptr;
    int64_t value;
  };
  std::vector<Slot> slots;
  // One ranked memref descriptor, flattened: allocated, aligned, offset,
  // sizes[rank], strides[rank] (C order).
  auto pass = [&](const void *data, const ember_aot_tensor &t,
                  const char *kind) {
    if (!data)
      fail(std::string("the ") + kind + " '" + t.name + "' is a null pointer");
    slots.push_back({const_cast<void *>(data)});
    slots.push_back({const_cast<void *>(data)});
    Slot s;
    s.value = 0;
    slots.push_back(s);
    for (int i = 0; i < t.rank; ++i) {
      s.value = t.sizes[i];
      slots.push_back(s);
    }
    std::vector<int64_t> strides(static_cast<size_t>(t.rank));
    int64_t stride = 1;
    for (int i = t.rank - 1; i >= 0; --i) {
      strides[static_cast<size_t>(i)] = stride;
      stride *= std::max<int64_t>(t.sizes[i], 1);
    }
    for (int64_t st : strides) {
      s.value = st;
      slots.push_back(s);
    }
  };
  for (int i = 0; i < ember_aot_num_inputs; ++i)
    pass(inputs[i], ember_aot_inputs[i], "input");
  for (int i = 0; i < ember_aot_num_weights; ++i)
    pass(weightData(i), ember_aot_weights[i], "weight");
  for (int i = 0; i < ember_aot_num_outputs; ++i)
    pass(outputs[i], ember_aot_outputs[i], "output");
  // A training step's new state lands in buffers of its own (the compiled
  // code may still read a weight after writing a result), then goes back
  // into the weights.
  static std::vector<std::unique_ptr<unsigned char, void (*)(void *)>> step;
  if (ember_aot_num_step_results > 0) {
    makeWeightsWritable();
    if (step.empty())
      for (int r = 0; r < ember_aot_num_step_results; ++r) {
        size_t n = roundUp(static_cast<size_t>(
            std::max<int64_t>(ember_aot_step_results[r].nbytes, 1)));
        step.emplace_back(
            static_cast<unsigned char *>(std::aligned_alloc(64, n)), std::free);
        if (!step.back())
          fail("out of memory for the step's results");
      }
    for (int r = 0; r < ember_aot_num_step_results; ++r)
      pass(step[static_cast<size_t>(r)].get(), ember_aot_step_results[r],
           "step result");
  }
  std::vector<void *> args(slots.size());
  for (size_t i = 0; i < slots.size(); ++i)
    args[i] = &slots[i];
  ember_aot_entry(args.data());
  for (int u = 0; u < ember_aot_num_updates; ++u) {
    const ember_aot_update &up = ember_aot_updates[u];
    unsigned char *weight = loaded.data[static_cast<size_t>(up.weight)];
    const unsigned char *value = step[static_cast<size_t>(up.result)].get();
    const ember_aot_tensor &spec = ember_aot_weights[up.weight];
    if (up.add)
      addInto(weight, value, spec);
    else
      std::memcpy(weight, value, static_cast<size_t>(spec.nbytes));
  }
}

// Runs `f`, turning any exception into a return code and a message.
template <typename F> int guarded(F &&f) {
  try {
    f();
    lastError.clear();
    return 0;
  } catch (const std::exception &e) {
    lastError = e.what();
  } catch (...) {
    lastError = "unknown error";
  }
  return 1;
}

} // namespace

extern "C" int ember_aot_load_weights(const char *path) {
  return guarded([&] {
    if (!path)
      fail("no weights file given (a null path)");
    loadWeights(path);
  });
}

extern "C" int ember_aot_weights_ready(void) { return weightsReady(); }

extern "C" int ember_aot_save_weights(const char *path) {
  return guarded([&] {
    if (!path)
      fail("no weights file given (a null path)");
    if (!weightsReady())
      fail("the weights are not loaded");
    saveWeights(path);
  });
}

extern "C" int ember_aot_run(const void *const *inputs, void *const *outputs) {
  return guarded([&] { run(inputs, outputs); });
}

extern "C" const char *ember_aot_last_error(void) { return lastError.c_str(); }
