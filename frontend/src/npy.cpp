// .npy reader/writer (NEP 1: magic "\x93NUMPY", version, header length,
// a Python dict literal {'descr': '<f4', 'fortran_order': False,
// 'shape': (2, 3), }, padding to 64 bytes, then the raw data).
#include "ember/npy.h"
#include "ember/factory.h"
#include "ember/runtime/file_io.h"

#include <cstring>
#include <sstream>

namespace ember {

namespace {

const char *npy_descr(DType t) {
  switch (t) {
  case DType::Float32:
    return "<f4";
  case DType::Float64:
    return "<f8";
  case DType::Int32:
    return "<i4";
  case DType::Int64:
    return "<i8";
  case DType::UInt8:
    return "|u1";
  case DType::Bool:
    return "|b1";
  default:
    return nullptr;
  }
}

[[noreturn]] void bad(const std::string &path, const std::string &what) {
  EMBER_FAIL("load_npy", "'", path, "' is not a supported .npy file: ", what);
}

// Finds 'key': in the header dict and returns the text after it.
std::string_view value_of(const std::string &path, std::string_view header,
                          std::string_view key) {
  std::string k(1, '\'');
  k.append(key).push_back('\'');
  auto pos = header.find(k);
  if (pos == std::string_view::npos)
    bad(path, "header has no " + k);
  pos = header.find(':', pos + k.size());
  if (pos == std::string_view::npos)
    bad(path, "malformed header");
  pos = header.find_first_not_of(' ', pos + 1);
  return header.substr(pos);
}

} // namespace

void save_npy(const Tensor &t, const std::string &path) {
  const char *descr = npy_descr(t.dtype());
  EMBER_CHECK(descr, "save_npy", "dtype ", t.dtype(),
              " has no .npy equivalent here");
  Tensor c = t.cpu().contiguous();
  std::ostringstream h;
  h << "{'descr': '" << descr << "', 'fortran_order': False, 'shape': (";
  for (int64_t i = 0; i < c.dim(); ++i)
    h << c.size(i) << (c.dim() == 1 || i + 1 < c.dim() ? ", " : "");
  h << "), }";
  std::string header = h.str();
  // magic(6) + version(2) + len(2) + header + '\n', padded to 64.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header.push_back('\n');
  std::string out = "\x93NUMPY";
  out.push_back(1);
  out.push_back(0);
  uint16_t len = static_cast<uint16_t>(header.size());
  out.push_back(static_cast<char>(len & 0xff));
  out.push_back(static_cast<char>(len >> 8));
  out += header;
  out.append(static_cast<const char *>(c.raw_data_ptr()), c.nbytes());
  atomic_write_file("save_npy", path, out);
}

Tensor load_npy(const std::string &path) {
  std::string data = read_file("load_npy", path);
  if (data.size() < 10 || data.compare(0, 6, "\x93NUMPY") != 0)
    bad(path, "missing the \\x93NUMPY magic");
  int major = static_cast<unsigned char>(data[6]);
  size_t hlen, hstart;
  if (major == 1) {
    hlen = static_cast<unsigned char>(data[8]) |
           (static_cast<size_t>(static_cast<unsigned char>(data[9])) << 8);
    hstart = 10;
  } else if (major == 2 || major == 3) {
    if (data.size() < 12)
      bad(path, "truncated header");
    hlen = 0;
    for (int i = 0; i < 4; ++i)
      hlen |= static_cast<size_t>(static_cast<unsigned char>(data[8 + i]))
              << (8 * i);
    hstart = 12;
  } else {
    bad(path, "unknown format version " + std::to_string(major));
  }
  if (hstart + hlen > data.size())
    bad(path, "truncated header");
  std::string_view header(data.data() + hstart, hlen);

  std::string_view d = value_of(path, header, "descr");
  if (d.size() < 5 || (d[0] != '\'' && d[0] != '"'))
    bad(path, "malformed descr");
  std::string descr(d.substr(1, d.find(d[0], 1) - 1));
  DType dt;
  if (descr == "<f4")
    dt = kFloat32;
  else if (descr == "<f8")
    dt = kFloat64;
  else if (descr == "<i4")
    dt = kInt32;
  else if (descr == "<i8")
    dt = kInt64;
  else if (descr == "|u1" || descr == "<u1")
    dt = kUInt8;
  else if (descr == "|b1" || descr == "<b1")
    dt = kBool;
  else if (descr.size() > 0 && descr[0] == '>')
    bad(path, "big-endian data ('" + descr + "') is not supported");
  else
    bad(path, "unsupported dtype '" + descr +
                  "' (expected <f4, <f8, <i4, <i8, |u1 or |b1)");

  std::string_view fo = value_of(path, header, "fortran_order");
  bool fortran;
  if (fo.substr(0, 4) == "True")
    fortran = true;
  else if (fo.substr(0, 5) == "False")
    fortran = false;
  else
    bad(path, "malformed fortran_order");

  std::string_view s = value_of(path, header, "shape");
  if (s.empty() || s[0] != '(')
    bad(path, "malformed shape");
  auto close = s.find(')');
  if (close == std::string_view::npos)
    bad(path, "malformed shape");
  std::vector<int64_t> shape;
  std::string inner(s.substr(1, close - 1));
  std::stringstream ss(inner);
  std::string item;
  while (std::getline(ss, item, ',')) {
    auto b = item.find_first_not_of(' ');
    if (b == std::string::npos)
      continue;
    try {
      size_t used = 0;
      long long v = std::stoll(item.substr(b), &used);
      if (v < 0)
        bad(path, "negative dimension in shape");
      shape.push_back(v);
    } catch (const std::logic_error &) {
      bad(path, "malformed shape '" + inner + "'");
    }
  }

  int64_t numel = product(shape);
  size_t nbytes = static_cast<size_t>(numel) * element_size(dt);
  size_t dstart = hstart + hlen;
  if (data.size() - dstart < nbytes)
    bad(path, "truncated data (expected " + std::to_string(nbytes) +
                  " bytes, found " + std::to_string(data.size() - dstart) +
                  ")");
  if (data.size() - dstart > nbytes)
    bad(path, "trailing bytes after the data");
  if (!fortran) {
    Tensor t = empty(shape, dtype(dt));
    std::memcpy(t.raw_data_ptr(), data.data() + dstart, nbytes);
    return t;
  }
  // Fortran order: the data is the transpose laid out in C order.
  std::vector<int64_t> rev(shape.rbegin(), shape.rend());
  Tensor t = empty(rev, dtype(dt));
  std::memcpy(t.raw_data_ptr(), data.data() + dstart, nbytes);
  std::vector<int64_t> perm(shape.size());
  for (size_t i = 0; i < perm.size(); ++i)
    perm[i] = static_cast<int64_t>(perm.size() - 1 - i);
  return t.permute(perm).contiguous();
}

} // namespace ember
