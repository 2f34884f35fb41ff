// Program::serialize / deserialize (program.h). The format, little-endian:
//
//   "EMBERPRG"  u32 version (1)  u64 payload bytes  u64 FNV-1a(payload)
//   payload: str name; u32 nslots {u8 dtype; vec<i64> sizes};
//            vec<i32> inputs; vec<i32> outputs;
//            u32 nsteps {u8 kind; i32 out; vec<i32> in; vec<i64> ints;
//                        i32 kernel; i64 threads; vec<i32> written;
//                        i32 constant};
//            str source; u32 n {str kernel name}; u32 n {str constant}
//   str = u64 length + bytes; vec<T> = u32 count + count values.
//
// Every read is bounds-checked, counts are checked against the bytes left
// before anything is allocated, enums against their ranges, and the whole
// payload against the checksum: truncated or corrupt input is an
// ember::Error. Structural validity (slot indices, shapes) is verify()'s.
#include "ember/runtime/error.h"
#include "ember/runtime/program.h"

#include <cstring>
#include <string_view>

namespace ember::program {

namespace {

constexpr char kMagic[8] = {'E', 'M', 'B', 'E', 'R', 'P', 'R', 'G'};
constexpr uint32_t kVersion = 1;
constexpr size_t kHeader = 8 + 4 + 8 + 8;

uint64_t fnv1a(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

class Writer {
public:
  template <typename T> void num(T v) {
    auto u = static_cast<std::make_unsigned_t<T>>(v);
    for (size_t i = 0; i < sizeof(T); ++i)
      out.push_back(static_cast<char>((u >> (8 * i)) & 0xff));
  }
  void str(const std::string &s) {
    num<uint64_t>(s.size());
    out.append(s);
  }
  template <typename T> void vec(const std::vector<T> &v) {
    num<uint32_t>(static_cast<uint32_t>(v.size()));
    for (T x : v)
      num<T>(x);
  }
  std::string out;
};

class Reader {
public:
  explicit Reader(std::string_view in) : in_(in) {}

  template <typename T> T num() {
    need(sizeof(T), "a number");
    std::make_unsigned_t<T> u = 0;
    for (size_t i = 0; i < sizeof(T); ++i)
      u |= static_cast<std::make_unsigned_t<T>>(
               static_cast<unsigned char>(in_[pos_ + i]))
           << (8 * i);
    pos_ += sizeof(T);
    return static_cast<T>(u);
  }
  std::string str() {
    uint64_t n = num<uint64_t>();
    need(n, "a string");
    std::string s(in_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  // A count of items of at least `min_bytes` each, checked against what
  // is left so a corrupt count cannot make a huge allocation.
  uint32_t count(size_t min_bytes) {
    uint32_t n = num<uint32_t>();
    need(static_cast<uint64_t>(n) * min_bytes, "a list");
    return n;
  }
  template <typename T> std::vector<T> vec() {
    uint32_t n = count(sizeof(T));
    std::vector<T> v(n);
    for (auto &x : v)
      x = num<T>();
    return v;
  }
  bool done() const { return pos_ == in_.size(); }

private:
  void need(uint64_t n, const char *what) {
    EMBER_CHECK(n <= in_.size() - pos_, "program::deserialize",
                "truncated program: ", what, " at byte ", pos_, " needs ", n,
                " bytes, ", in_.size() - pos_, " left");
  }
  std::string_view in_;
  size_t pos_ = 0;
};

} // namespace

std::string Program::serialize() const {
  Writer w;
  w.str(name);
  w.num<uint32_t>(static_cast<uint32_t>(slots.size()));
  for (const SlotType &t : slots) {
    w.num<uint8_t>(static_cast<uint8_t>(t.dtype));
    w.vec(t.sizes);
  }
  w.vec(inputs);
  w.vec(outputs);
  w.num<uint32_t>(static_cast<uint32_t>(steps.size()));
  for (const Step &s : steps) {
    w.num<uint8_t>(static_cast<uint8_t>(s.kind));
    w.num<int32_t>(s.out);
    w.vec(s.in);
    w.vec(s.ints);
    w.num<int32_t>(s.kernel);
    w.num<int64_t>(s.threads);
    w.vec(s.written);
    w.num<int32_t>(s.constant);
  }
  w.str(source);
  w.num<uint32_t>(static_cast<uint32_t>(kernels.size()));
  for (const auto &k : kernels)
    w.str(k);
  w.num<uint32_t>(static_cast<uint32_t>(constants.size()));
  for (const auto &c : constants)
    w.str(c);

  Writer head;
  head.out.append(kMagic, sizeof kMagic);
  head.num<uint32_t>(kVersion);
  head.num<uint64_t>(w.out.size());
  head.num<uint64_t>(fnv1a(w.out));
  return head.out + w.out;
}

Program Program::deserialize(const std::string &bytes) {
  const char *op = "program::deserialize";
  EMBER_CHECK(bytes.size() >= kHeader &&
                  std::memcmp(bytes.data(), kMagic, sizeof kMagic) == 0,
              op, "not a serialized ember program (", bytes.size(),
              " bytes, no EMBERPRG header)");
  Reader h(std::string_view(bytes).substr(8, kHeader - 8));
  uint32_t version = h.num<uint32_t>();
  EMBER_CHECK(version == kVersion, op, "program format version ", version,
              ", this ember reads version ", kVersion);
  uint64_t size = h.num<uint64_t>(), sum = h.num<uint64_t>();
  std::string_view payload = std::string_view(bytes).substr(kHeader);
  EMBER_CHECK(size == payload.size(), op, "the program is ", payload.size(),
              " bytes after its header, which says ", size,
              " (truncated or padded)");
  EMBER_CHECK(fnv1a(payload) == sum, op,
              "checksum mismatch: the program is corrupt");

  Reader r(payload);
  Program p;
  p.name = r.str();
  p.slots.resize(r.count(5));
  for (SlotType &t : p.slots) {
    auto d = r.num<uint8_t>();
    EMBER_CHECK(d < kNumDTypes, op, "unknown dtype ", int(d));
    t.dtype = static_cast<DType>(d);
    t.sizes = r.vec<int64_t>();
  }
  p.inputs = r.vec<int32_t>();
  p.outputs = r.vec<int32_t>();
  p.steps.resize(r.count(1 + 4 + 4 + 4 + 4 + 8 + 4 + 4));
  for (Step &s : p.steps) {
    auto k = r.num<uint8_t>();
    EMBER_CHECK(k <= static_cast<uint8_t>(StepKind::MaxPool2d), op,
                "unknown step kind ", int(k));
    s.kind = static_cast<StepKind>(k);
    s.out = r.num<int32_t>();
    s.in = r.vec<int32_t>();
    s.ints = r.vec<int64_t>();
    s.kernel = r.num<int32_t>();
    s.threads = r.num<int64_t>();
    s.written = r.vec<int32_t>();
    s.constant = r.num<int32_t>();
  }
  p.source = r.str();
  p.kernels.resize(r.count(8));
  for (auto &k : p.kernels)
    k = r.str();
  p.constants.resize(r.count(8));
  for (auto &c : p.constants)
    c = r.str();
  EMBER_CHECK(r.done(), op, "trailing bytes after the program");
  return p;
}

} // namespace ember::program
