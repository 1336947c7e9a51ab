#pragma once
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace restora::checkpoint_detail {

/// Writes a zip archive of stored (uncompressed) records whose data start on 64-byte
/// boundaries, as PyTorch's own writer does. Archives beyond 4 GiB (zip64) are refused.
class ZipWriter {
 public:
  explicit ZipWriter(std::ostream& out) : out_(out) {}
  void add(const std::string& name, const void* data, size_t size);
  void add(const std::string& name, const std::string& data) { add(name, data.data(), data.size()); }
  /// Central directory and end record; the archive is complete after this.
  void finish();

 private:
  struct Entry {
    std::string name;
    uint32_t crc32 = 0;
    uint64_t size = 0;
    uint64_t offset = 0;
  };
  void write(const void* data, size_t size);
  void check_limit(uint64_t value) const;

  std::ostream& out_;
  uint64_t position_ = 0;
  std::vector<Entry> entries_;
};

}  // namespace restora::checkpoint_detail
