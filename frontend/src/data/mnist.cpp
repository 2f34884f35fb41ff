// MNIST / Fashion-MNIST from IDX files. An IDX file is a big-endian header
// (magic 0x0000 0x08 <ndims>, where 0x08 means unsigned bytes, then one
// uint32 per dimension) followed by the bytes of the array. Files ending in
// .gz are inflated with zlib first. Every size is checked against the
// header, so a truncated or padded file is reported rather than misread.
#include "ember/data/mnist.h"

#include "ember/factory.h"
#include "ember/runtime/file_io.h"

#include <zlib.h>

#include <cstring>
#include <filesystem>

namespace ember::data::datasets {

namespace {

bool is_gzip(const std::string &bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
         static_cast<unsigned char>(bytes[1]) == 0x8b;
}

std::string gunzip(const char *op, const std::string &path,
                   const std::string &in) {
  z_stream zs{};
  // 16 + MAX_WBITS: expect a gzip header and trailer (CRC32 + length).
  EMBER_CHECK(inflateInit2(&zs, 16 + MAX_WBITS) == Z_OK, op, "file '", path,
              "': cannot initialise zlib");
  zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  std::string out;
  char buf[1 << 16];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = reinterpret_cast<Bytef *>(buf);
    zs.avail_out = sizeof(buf);
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buf, sizeof(buf) - zs.avail_out);
    if (rc == Z_STREAM_END)
      break;
    if (rc == Z_BUF_ERROR && zs.avail_in == 0) {
      inflateEnd(&zs);
      EMBER_FAIL(op, "file '", path,
                 "': gzip data is truncated (the stream ends early)");
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      std::string msg = zs.msg ? zs.msg : "error " + std::to_string(rc);
      inflateEnd(&zs);
      EMBER_FAIL(op, "file '", path, "': corrupt gzip data (", msg, ")");
    }
  }
  inflateEnd(&zs);
  return out;
}

uint32_t be32(const std::string &b, size_t at) {
  auto u = [&](size_t i) {
    return static_cast<uint32_t>(static_cast<unsigned char>(b[at + i]));
  };
  return (u(0) << 24) | (u(1) << 16) | (u(2) << 8) | u(3);
}

/// `<root>/<name>.gz`, else `<root>/<name>`; an error naming both if neither
/// exists.
std::string find_file(const char *op, const std::string &root,
                      const std::string &name) {
  std::filesystem::path base = std::filesystem::path(root) / name;
  std::string gz = base.string() + ".gz";
  std::error_code ec;
  if (std::filesystem::is_regular_file(gz, ec))
    return gz;
  if (std::filesystem::is_regular_file(base, ec))
    return base.string();
  EMBER_FAIL(op, "file '", gz, "' (or '", base.string(),
             "') not found; expected the ", name, " IDX file under root '",
             root, "'");
}

} // namespace

Tensor read_idx_ubyte(const char *op, const std::string &path,
                      int expected_dims) {
  std::string bytes = read_file(op, path);
  if (is_gzip(bytes))
    bytes = gunzip(op, path, bytes);
  EMBER_CHECK(bytes.size() >= 4, op, "file '", path, "': truncated IDX file (",
              bytes.size(), " bytes; the header alone needs ",
              4 + 4 * expected_dims, ")");
  uint32_t magic = be32(bytes, 0);
  uint32_t want = 0x0800u | static_cast<uint32_t>(expected_dims);
  EMBER_CHECK(magic == want, op, "file '", path, "': bad magic number 0x",
              std::hex, magic, " (expected 0x", want, std::dec,
              ": unsigned bytes, ", expected_dims, " dimensions)");
  size_t header = 4 + 4 * static_cast<size_t>(expected_dims);
  EMBER_CHECK(bytes.size() >= header, op, "file '", path,
              "': truncated IDX header (", bytes.size(), " bytes, need ",
              header, ")");
  std::vector<int64_t> shape;
  uint64_t count = 1;
  for (int d = 0; d < expected_dims; ++d) {
    uint32_t n = be32(bytes, 4 + 4 * static_cast<size_t>(d));
    shape.push_back(n);
    count *= n;
  }
  EMBER_CHECK(bytes.size() - header == count, op, "file '", path, "': ",
              bytes.size() - header < count ? "truncated: " : "trailing data: ",
              "the header's shape ", IntArrayRef(shape), " needs ", count,
              " data bytes but the file has ", bytes.size() - header);
  Tensor t = empty(shape, TensorOptions().dtype(kUInt8));
  if (count)
    std::memcpy(t.raw_data_ptr(), bytes.data() + header, count);
  return t;
}

MNIST::MNIST(std::string root, bool train, transforms::Transform transform)
    : MNIST(std::move(root), train, std::move(transform), "data::MNIST") {}

MNIST::MNIST(std::string root, bool train, transforms::Transform transform,
             const char *op)
    : root_(std::move(root)), train_(train), transform_(std::move(transform)) {
  std::string prefix = train_ ? "train" : "t10k";
  std::string img_path = find_file(op, root_, prefix + "-images-idx3-ubyte");
  std::string lbl_path = find_file(op, root_, prefix + "-labels-idx1-ubyte");
  images_ = read_idx_ubyte(op, img_path, 3);
  Tensor labels = read_idx_ubyte(op, lbl_path, 1);
  EMBER_CHECK(images_.size(0) == labels.size(0), op, "files '", img_path,
              "' and '", lbl_path, "' disagree: ", images_.size(0),
              " images but ", labels.size(0), " labels");
  const uint8_t *l = labels.data_ptr<uint8_t>();
  for (int64_t i = 0; i < labels.numel(); ++i)
    EMBER_CHECK(l[i] < 10, op, "file '", lbl_path, "': label ",
                static_cast<int>(l[i]), " at index ", i, " is outside [0, 10)");
  targets_ = labels.to(kInt64);
}

Example<> MNIST::get(size_t index) {
  detail::check_index("data::MNIST", index, size());
  auto i = static_cast<int64_t>(index);
  Tensor img = images_.select(0, i);
  Tensor target = targets_.select(0, i);
  if (transform_)
    return {transform_(img), target};
  return {img.unsqueeze(0), target};
}

size_t MNIST::size() const { return static_cast<size_t>(images_.size(0)); }

FashionMNIST::FashionMNIST(std::string root, bool train,
                           transforms::Transform transform)
    : MNIST(std::move(root), train, std::move(transform),
            "data::FashionMNIST") {}

} // namespace ember::data::datasets
