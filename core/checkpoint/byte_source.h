#pragma once
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

namespace restora::checkpoint_detail {

/// Random-access bytes of a checkpoint: a file (read on demand, so storages we do not need are
/// never loaded) or a caller's memory buffer (fuzzing, tests).
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual uint64_t size() const = 0;
  /// Copies [offset, offset + count) to `dst`; the caller has checked the range against size().
  virtual void read(uint64_t offset, void* dst, size_t count) = 0;
  const std::string& name() const { return name_; }

  /// Throws Error(BadInput) "<name>: <what>".
  [[noreturn]] void fail(const std::string& what) const;
  /// Fails unless [offset, offset + count) lies inside the source.
  void check_range(uint64_t offset, uint64_t count, const std::string& what) const;

 protected:
  explicit ByteSource(std::string name) : name_(std::move(name)) {}

 private:
  std::string name_;
};

class FileSource final : public ByteSource {
 public:
  explicit FileSource(const std::filesystem::path& path);
  uint64_t size() const override { return size_; }
  void read(uint64_t offset, void* dst, size_t count) override;

 private:
  std::ifstream stream_;
  uint64_t size_ = 0;
};

class MemorySource final : public ByteSource {
 public:
  MemorySource(const void* data, size_t size, std::string name)
      : ByteSource(std::move(name)), data_(static_cast<const unsigned char*>(data)), size_(size) {}
  uint64_t size() const override { return size_; }
  void read(uint64_t offset, void* dst, size_t count) override;

 private:
  const unsigned char* data_;
  size_t size_;
};

/// Sequential, buffered reading of [begin, end) of a source. Every read is bounds-checked
/// before anything is allocated.
class Cursor {
 public:
  Cursor(ByteSource& source, uint64_t begin, uint64_t end);
  uint64_t position() const { return pos_; }
  uint64_t remaining() const { return end_ - pos_; }
  bool at_end() const { return pos_ >= end_; }
  uint8_t byte();
  std::string bytes(uint64_t count);
  /// Bytes up to (not including) the next '\n', which is consumed.
  std::string line();
  uint64_t u64_le(size_t width);  ///< 1, 2, 4 or 8 little-endian bytes
  ByteSource& source() { return source_; }

 private:
  void fill();

  ByteSource& source_;
  uint64_t pos_;
  uint64_t end_;
  std::string buffer_;
  uint64_t buffer_begin_ = 0;  ///< source offset of buffer_[0]
};

}  // namespace restora::checkpoint_detail
