// safetensors reader/writer; see ember/serialize.h. The checks follow the
// reference implementation (huggingface/safetensors, validate()), plus
// duplicate names, unknown keys and BOOL bytes other than 0/1.
#include "ember/factory.h"
#include "ember/runtime/file_io.h"
#include "ember/serialize.h"
#include "json.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <set>
#include <sstream>

namespace ember {

namespace {

constexpr uint64_t kMaxHeader = 100'000'000; // the reference's limit

const char *st_dtype_name(DType t) {
  switch (t) {
  case DType::Float32:
    return "F32";
  case DType::Float64:
    return "F64";
  case DType::Int32:
    return "I32";
  case DType::Int64:
    return "I64";
  case DType::UInt8:
    return "U8";
  case DType::Bool:
    return "BOOL";
  default:
    return nullptr;
  }
}

// The position of a dtype in the reference's Dtype enum (its sort order).
int dtype_rank(DType t) {
  switch (t) {
  case DType::Int64:
    return 5;
  case DType::Float64:
    return 4;
  case DType::Float32:
    return 3;
  case DType::Int32:
    return 2;
  case DType::UInt8:
    return 1;
  default:
    return 0;
  }
}

bool dtype_from_name(const std::string &s, DType &out) {
  static const std::pair<const char *, DType> table[] = {
      {"F32", kFloat32}, {"F64", kFloat64}, {"I32", kInt32},
      {"I64", kInt64},   {"U8", kUInt8},    {"BOOL", kBool}};
  for (auto &[n, t] : table)
    if (s == n) {
      out = t;
      return true;
    }
  return false;
}

bool known_unsupported_dtype(const std::string &s) {
  static const char *names[] = {"F16",     "BF16", "I8",         "I16",
                                "U16",     "U32",  "U64",        "F8_E4M3",
                                "F8_E5M2", "F4",   "F6_E2M3",    "F6_E3M2",
                                "F8_E8M0", "C64",  "F8_E4M3FNUZ"};
  for (const char *n : names)
    if (s == n)
      return true;
  return false;
}

std::string shape_str(const std::vector<int64_t> &shape) {
  std::ostringstream o;
  o << IntArrayRef(shape);
  return o.str();
}

[[noreturn]] void bad(const std::string &path, const std::string &what) {
  EMBER_FAIL("load", "'", path, "' is not a valid safetensors file: ", what);
}

bool valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80         ? 0
               : (c >> 5) == 6  ? 1
               : (c >> 4) == 14 ? 2
               : (c >> 3) == 30 ? 3
                                : 4;
    if (n == 4 || i + n >= s.size())
      return false;
    for (size_t k = 1; k <= n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2)
        return false;
    i += n + 1;
  }
  return true;
}

struct Entry {
  std::string name;
  DType dtype;
  std::vector<int64_t> shape;
  uint64_t begin, end;
};

} // namespace

void save(const OrderedDict<Tensor> &tensors, const std::string &path,
          const std::map<std::string, std::string> &metadata) {
  struct Item {
    const std::string *name;
    Tensor t;
    size_t order;
  };
  std::vector<Item> items;
  for (const auto &it : tensors) {
    const std::string &name = it.key();
    const Tensor &t = it.value();
    EMBER_CHECK(name != "__metadata__", "save", "'", path,
                "': a tensor cannot be named '__metadata__'");
    EMBER_CHECK(valid_utf8(name), "save", "'", path,
                "': tensor names must be valid UTF-8");
    EMBER_CHECK(t.defined(), "save", "'", path, "': tensor '", name,
                "' is undefined");
    EMBER_CHECK(st_dtype_name(t.dtype()), "save", "'", path, "': tensor '",
                name, "' has dtype ", t.dtype(),
                ", which has no safetensors name here (supported: F32, F64, "
                "I32, I64, U8, BOOL)");
    items.push_back({&name, t.detach().cpu().contiguous(), items.size()});
  }
  // Data order as the reference writes it: by its dtype order, largest
  // alignment first (I64, F64, F32, I32, U8, BOOL), then by name, so every
  // tensor starts aligned.
  std::vector<Item *> data_order;
  for (auto &i : items)
    data_order.push_back(&i);
  std::stable_sort(
      data_order.begin(), data_order.end(), [](const Item *a, const Item *b) {
        int ra = dtype_rank(a->t.dtype()), rb = dtype_rank(b->t.dtype());
        return ra != rb ? ra > rb : *a->name < *b->name;
      });
  std::vector<uint64_t> begin(items.size()), end(items.size());
  uint64_t offset = 0;
  for (Item *i : data_order) {
    begin[i->order] = offset;
    offset += i->t.nbytes();
    end[i->order] = offset;
  }

  for (const auto &[k, v] : metadata)
    EMBER_CHECK(valid_utf8(k) && valid_utf8(v), "save", "'", path,
                "': metadata must be valid UTF-8 (key '", k, "')");
  std::string header = "{";
  bool first = true;
  if (!metadata.empty()) {
    header += "\"__metadata__\":{";
    for (const auto &[k, v] : metadata) {
      if (!first)
        header += ',';
      first = false;
      json::write_string(header, k);
      header += ':';
      json::write_string(header, v);
    }
    header += '}';
    first = false;
  }
  for (const Item &i : items) {
    if (!first)
      header += ',';
    first = false;
    json::write_string(header, *i.name);
    header += ":{\"dtype\":\"";
    header += st_dtype_name(i.t.dtype());
    header += "\",\"shape\":[";
    for (int64_t d = 0; d < i.t.dim(); ++d) {
      if (d)
        header += ',';
      header += std::to_string(i.t.size(d));
    }
    header += "],\"data_offsets\":[" + std::to_string(begin[i.order]) + "," +
              std::to_string(end[i.order]) + "]}";
  }
  header += '}';
  header.append((8 - header.size() % 8) % 8, ' ');

  std::string out;
  out.reserve(8 + header.size() + offset);
  uint64_t n = header.size();
  for (int b = 0; b < 8; ++b)
    out.push_back(static_cast<char>((n >> (8 * b)) & 0xff));
  out += header;
  for (Item *i : data_order)
    out.append(static_cast<const char *>(i->t.raw_data_ptr()), i->t.nbytes());
  atomic_write_file("save", path, out);
}

SafetensorsFile load_file(const std::string &path) {
  std::string bytes = read_file("load", path);
  if (bytes.size() < 8)
    bad(path, "the file is " + std::to_string(bytes.size()) +
                  " bytes, too short for the 8-byte header length");
  uint64_t n = 0;
  for (int b = 7; b >= 0; --b)
    n = (n << 8) | static_cast<unsigned char>(bytes[static_cast<size_t>(b)]);
  uint64_t rest = bytes.size() - 8;
  if (n > kMaxHeader)
    bad(path, "header length " + std::to_string(n) + " exceeds the limit of " +
                  std::to_string(kMaxHeader) + " bytes");
  if (n > rest)
    bad(path, "header length " + std::to_string(n) + " exceeds the " +
                  std::to_string(rest) +
                  " bytes after it (truncated or corrupted file)");
  std::string_view header(bytes.data() + 8, n);
  if (n == 0 || header[0] != '{')
    bad(path, "the JSON header does not start with '{'");
  if (!valid_utf8(header))
    bad(path, "the JSON header is not valid UTF-8");
  json::Value root;
  std::string err;
  if (!json::parse(header, root, err))
    bad(path, "invalid JSON header: " + err);
  if (!root.is_object())
    bad(path, "the JSON header is not an object");

  SafetensorsFile result;
  std::vector<Entry> entries;
  std::set<std::string> seen;
  uint64_t buffer = rest - n;
  for (const auto &[name, v] : root.members) {
    if (!seen.insert(name).second)
      bad(path, "duplicate name '" + name + "' in the header");
    if (name == "__metadata__") {
      if (!v.is_object())
        bad(path, "__metadata__ is not an object");
      for (const auto &[k, s] : v.members) {
        if (!s.is_string())
          bad(path, "__metadata__ value of '" + k + "' is not a string");
        if (!result.metadata.emplace(k, s.text).second)
          bad(path, "duplicate key '" + k + "' in __metadata__");
      }
      continue;
    }
    std::string who = "tensor '" + name + "'";
    if (!v.is_object())
      bad(path, who + " is not an object");
    for (const auto &[k, unused] : v.members)
      if (k != "dtype" && k != "shape" && k != "data_offsets")
        bad(path, who + " has unknown key '" + k + "'");
    const json::Value *dt = v.find("dtype"), *sh = v.find("shape"),
                      *off = v.find("data_offsets");
    if (!dt || !sh || !off)
      bad(path, who + " lacks '" +
                    (!dt   ? "dtype"
                     : !sh ? "shape"
                           : "data_offsets") +
                    "'");
    Entry e;
    e.name = name;
    if (!dt->is_string())
      bad(path, who + ": dtype is not a string");
    if (!dtype_from_name(dt->text, e.dtype)) {
      if (known_unsupported_dtype(dt->text))
        bad(path, who + " has dtype '" + dt->text +
                      "', which ember does not support (supported: F32, F64, "
                      "I32, I64, U8, BOOL)");
      bad(path, who + " has unknown dtype '" + dt->text + "'");
    }
    if (!sh->is_array())
      bad(path, who + ": shape is not a list");
    uint64_t numel = 1;
    bool overflow = false;
    for (const json::Value &d : sh->items) {
      uint64_t s;
      if (!json::to_uint64(d, s) ||
          s > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
        bad(path, who + ": shape holds '" + (d.is_number() ? d.text : "?") +
                      "', not a non-negative integer");
      e.shape.push_back(static_cast<int64_t>(s));
      if (s != 0 && numel > std::numeric_limits<uint64_t>::max() / s)
        overflow = true;
      numel *= s;
    }
    if (!off->is_array() || off->items.size() != 2 ||
        !json::to_uint64(off->items[0], e.begin) ||
        !json::to_uint64(off->items[1], e.end))
      bad(path, who + ": data_offsets is not a list of two non-negative "
                      "integers");
    if (e.begin > e.end)
      bad(path, who + ": data_offsets [" + std::to_string(e.begin) + ", " +
                    std::to_string(e.end) + "] end before they begin");
    if (e.end > buffer)
      bad(path, who + ": data_offsets [" + std::to_string(e.begin) + ", " +
                    std::to_string(e.end) + "] are out of bounds of the " +
                    std::to_string(buffer) +
                    "-byte data buffer (truncated file?)");
    size_t es = element_size(e.dtype);
    if (overflow || numel > std::numeric_limits<uint64_t>::max() / es ||
        numel * es != e.end - e.begin)
      bad(path, who + " of dtype " + dt->text + " and shape " +
                    shape_str(e.shape) + " does not match data_offsets [" +
                    std::to_string(e.begin) + ", " + std::to_string(e.end) +
                    "] (" + std::to_string(e.end - e.begin) + " bytes)");
    entries.push_back(std::move(e));
  }

  // The data ranges, sorted, must tile the buffer exactly.
  std::vector<const Entry *> sorted;
  for (const Entry &e : entries)
    sorted.push_back(&e);
  std::stable_sort(
      sorted.begin(), sorted.end(), [](const Entry *a, const Entry *b) {
        return a->begin != b->begin ? a->begin < b->begin : a->end < b->end;
      });
  uint64_t expect = 0;
  const Entry *prev = nullptr;
  auto range = [](const Entry *e) {
    return "'" + e->name + "' [" + std::to_string(e->begin) + ", " +
           std::to_string(e->end) + "]";
  };
  for (const Entry *e : sorted) {
    if (e->begin < expect)
      bad(path, "data ranges of tensors " + range(prev) + " and " + range(e) +
                    " overlap");
    if (e->begin > expect)
      bad(path, "gap in the data buffer before tensor " + range(e) +
                    " (data_offsets must be contiguous from " +
                    std::to_string(expect) + ")");
    expect = e->end;
    prev = e;
  }
  if (expect != buffer)
    bad(path, "the data buffer is " + std::to_string(buffer) +
                  " bytes but the tensors cover " + std::to_string(expect));

  const char *data = bytes.data() + 8 + n;
  for (const Entry &e : entries) {
    const char *src = data + e.begin;
    size_t nbytes = e.end - e.begin;
    if (e.dtype == kBool)
      for (size_t i = 0; i < nbytes; ++i)
        if (static_cast<unsigned char>(src[i]) > 1)
          bad(path, "tensor '" + e.name + "' of dtype BOOL holds byte " +
                        std::to_string(static_cast<unsigned char>(src[i])) +
                        " (not 0 or 1)");
    Tensor t = empty(e.shape, dtype(e.dtype));
    if (nbytes)
      std::memcpy(t.raw_data_ptr(), src, nbytes);
    result.tensors.insert(e.name, std::move(t));
  }
  return result;
}

OrderedDict<Tensor> load(const std::string &path) {
  return load_file(path).tensors;
}

std::map<std::string, std::string> load_metadata(const std::string &path) {
  return load_file(path).metadata;
}

} // namespace ember
