//===- ObjectCache.cpp - the JIT's on-disk object cache -------------------===//
//
// Entry format and failure handling: see ObjectCache.h.
//
//===----------------------------------------------------------------------===//

#include "ObjectCache.h"

#include "ember/runtime/error.h"
#include "ember/runtime/file_io.h"

#include "llvm/Support/SHA256.h"
#include "llvm/Support/xxhash.h"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace mlir::ember::detail {

namespace {

constexpr char kMagic[8] = {'E', 'M', 'B', 'R', 'O', 'B', 'J', '\0'};
constexpr uint32_t kFormat = 1;
constexpr size_t kHeaderSize = 8 + 4 + 4 + 8 + 8 + 8;

template <typename T> void put(std::string &out, T value) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T)); // x86-64 and aarch64: little-endian
  out.append(bytes, sizeof(T));
}
template <typename T> T get(const char *at) {
  T value;
  std::memcpy(&value, at, sizeof(T));
  return value;
}

} // namespace

CacheKey makeCacheKey(llvm::ArrayRef<llvm::StringRef> parts) {
  llvm::SHA256 sha;
  for (llvm::StringRef part : parts) {
    uint64_t size = part.size();
    sha.update(llvm::ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(&size),
                                       sizeof(size)));
    sha.update(part);
  }
  auto digest = sha.final();
  CacheKey key;
  std::copy(digest.begin(), digest.end(), key.begin());
  return key;
}

std::string toHex(const CacheKey &key) {
  static const char *digits = "0123456789abcdef";
  std::string hex;
  for (uint8_t b : key) {
    hex += digits[b >> 4];
    hex += digits[b & 15];
  }
  return hex;
}

std::optional<std::string> readCacheEntry(const std::string &path,
                                          const CacheKey &key) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return std::nullopt;
  std::string bytes((std::istreambuf_iterator<char>(in)),
                    std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof())
    return std::nullopt;
  if (bytes.size() < kHeaderSize)
    return std::nullopt;
  const char *h = bytes.data();
  if (std::memcmp(h, kMagic, sizeof(kMagic)) != 0 ||
      get<uint32_t>(h + 8) != kFormat ||
      std::memcmp(h + 16, key.data(), 8) != 0)
    return std::nullopt;
  uint64_t size = get<uint64_t>(h + 24);
  if (size != bytes.size() - kHeaderSize)
    return std::nullopt;
  llvm::StringRef object(bytes.data() + kHeaderSize, size);
  if (llvm::xxh3_64bits(object) != get<uint64_t>(h + 32))
    return std::nullopt;
  return object.str();
}

void writeCacheEntry(const std::string &path, const CacheKey &key,
                     llvm::StringRef object) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(),
                                      ec);
  EMBER_CHECK(!ec, "jit", "cannot create the cache folder of '", path,
              "': ", ec.message());
  std::string entry;
  entry.reserve(kHeaderSize + object.size());
  entry.append(kMagic, sizeof(kMagic));
  put<uint32_t>(entry, kFormat);
  put<uint32_t>(entry, 0);
  entry.append(reinterpret_cast<const char *>(key.data()), 8);
  put<uint64_t>(entry, object.size());
  put<uint64_t>(entry, llvm::xxh3_64bits(object));
  entry.append(object.data(), object.size());
  ::ember::atomic_write_file("jit cache", path, entry);
}

} // namespace mlir::ember::detail
