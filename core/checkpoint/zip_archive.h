#pragma once
#include "checkpoint/byte_source.h"

#include <cstdint>
#include <string>
#include <vector>

namespace restora::checkpoint_detail {

/// One stored (uncompressed) record of a zip archive, located through its local header.
struct ZipRecord {
  std::string name;
  uint64_t data_offset = 0;  ///< where the bytes start in the file
  uint64_t size = 0;
  uint32_t crc32 = 0;
};

/// Reads the central directory of a zip archive (zip64 fields included), bounds-checking every
/// offset against the file. Only the names are listed; records are located on request.
class ZipArchive {
 public:
  explicit ZipArchive(ByteSource& source);
  const std::vector<std::string>& names() const { return names_; }
  bool contains(const std::string& name) const;
  /// The record's data range; fails (BadInput) if it is missing, compressed, encrypted or out of bounds.
  ZipRecord record(const std::string& name);
  /// Reads a whole record into memory after checking its size against `max_size`.
  std::string read_small(const ZipRecord& record, uint64_t max_size);

 private:
  struct Entry {
    std::string name;
    uint16_t flags = 0;
    uint16_t method = 0;
    uint32_t crc32 = 0;
    uint64_t compressed_size = 0;
    uint64_t size = 0;
    uint64_t local_header = 0;
  };
  void read_directory();
  void locate_end(uint64_t& entries, uint64_t& dir_size, uint64_t& dir_offset);
  const Entry* find(const std::string& name) const;

  ByteSource& source_;
  std::vector<Entry> entries_;
  std::vector<std::string> names_;
};

/// CRC-32 (zip polynomial) of `count` bytes, continuing from `crc`.
uint32_t crc32_update(uint32_t crc, const void* data, size_t count);

}  // namespace restora::checkpoint_detail
