//===- ObjectCache.h - the JIT's on-disk object cache -----------*- C++ -*-===//
//
// One file per compiled function, <dir>/<sha256 hex of the key>.o:
//   header (40 bytes, little-endian):
//     magic "EMBROBJ\0" | format u32 | reserved u32 |
//     key digest first 8 bytes | object size u64 | xxh3-64 of the object
//   the object file bytes.
// A missing file, a wrong magic/format/key, a size that disagrees with the
// file's or a checksum mismatch all read as a miss: the caller recompiles
// and overwrites the entry (written atomically, so readers never see a
// partial file from a crashed writer).
//
//===----------------------------------------------------------------------===//

#ifndef EMBER_CODEGEN_JIT_OBJECTCACHE_H
#define EMBER_CODEGEN_JIT_OBJECTCACHE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace mlir::ember::detail {

using CacheKey = std::array<uint8_t, 32>;

/// SHA-256 of the parts, each length-prefixed.
CacheKey makeCacheKey(llvm::ArrayRef<llvm::StringRef> parts);
std::string toHex(const CacheKey &key);

/// The object stored at `path` under `key`, or std::nullopt when the file is
/// missing, truncated, corrupt or written for another key.
std::optional<std::string> readCacheEntry(const std::string &path,
                                          const CacheKey &key);
/// Writes the entry atomically; throws ember::Error on I/O failure.
void writeCacheEntry(const std::string &path, const CacheKey &key,
                     llvm::StringRef object);

} // namespace mlir::ember::detail

#endif // EMBER_CODEGEN_JIT_OBJECTCACHE_H
