#include "checkpoint/byte_source.h"

#include "common/error.h"

#include <algorithm>
#include <cstring>

namespace restora::checkpoint_detail {

namespace {
constexpr size_t kBufferSize = 64 * 1024;
}

void ByteSource::fail(const std::string& what) const { throw Error(ErrorKind::BadInput, name_ + ": " + what); }

void ByteSource::check_range(uint64_t offset, uint64_t count, const std::string& what) const {
  if (offset > size() || count > size() - offset)
    fail(what + " lies beyond the end of the file (offset " + std::to_string(offset) + ", " +
         std::to_string(count) + " bytes, file has " + std::to_string(size()) + ")");
}

FileSource::FileSource(const std::filesystem::path& path) : ByteSource(path.string()) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) fail("is a directory, not a checkpoint file");
  stream_.open(path, std::ios::binary);
  if (!stream_) fail("cannot open the file");
  stream_.seekg(0, std::ios::end);
  const auto end = stream_.tellg();
  if (end < 0) fail("cannot determine the file size");
  size_ = static_cast<uint64_t>(end);
}

void FileSource::read(uint64_t offset, void* dst, size_t count) {
  check_range(offset, count, "a read");
  stream_.clear();
  stream_.seekg(static_cast<std::streamoff>(offset));
  stream_.read(static_cast<char*>(dst), static_cast<std::streamsize>(count));
  if (static_cast<size_t>(stream_.gcount()) != count) fail("read error (file changed or unreadable)");
}

void MemorySource::read(uint64_t offset, void* dst, size_t count) {
  check_range(offset, count, "a read");
  if (count > 0) std::memcpy(dst, data_ + offset, count);
}

Cursor::Cursor(ByteSource& source, uint64_t begin, uint64_t end) : source_(source), pos_(begin), end_(end) {
  source.check_range(begin, end - begin, "a pickle");
  buffer_begin_ = begin;
}

void Cursor::fill() {
  const uint64_t count = std::min<uint64_t>(kBufferSize, end_ - pos_);
  buffer_.resize(static_cast<size_t>(count));
  source_.read(pos_, buffer_.data(), buffer_.size());
  buffer_begin_ = pos_;
}

uint8_t Cursor::byte() {
  if (pos_ >= end_) source_.fail("truncated pickle (ended at offset " + std::to_string(pos_) + ")");
  if (pos_ < buffer_begin_ || pos_ >= buffer_begin_ + buffer_.size()) fill();
  return static_cast<uint8_t>(buffer_[static_cast<size_t>(pos_++ - buffer_begin_)]);
}

std::string Cursor::bytes(uint64_t count) {
  if (count > remaining())
    source_.fail("truncated pickle (" + std::to_string(count) + " bytes claimed at offset " + std::to_string(pos_) +
                 ", " + std::to_string(remaining()) + " left)");
  std::string out;
  out.reserve(static_cast<size_t>(count));
  while (out.size() < count) {
    if (pos_ < buffer_begin_ || pos_ >= buffer_begin_ + buffer_.size()) fill();
    const size_t at = static_cast<size_t>(pos_ - buffer_begin_);
    const size_t take = std::min<size_t>(buffer_.size() - at, static_cast<size_t>(count) - out.size());
    out.append(buffer_, at, take);
    pos_ += take;
  }
  return out;
}

std::string Cursor::line() {
  std::string out;
  for (;;) {
    const uint8_t c = byte();
    if (c == '\n') return out;
    out.push_back(static_cast<char>(c));
  }
}

uint64_t Cursor::u64_le(size_t width) {
  uint64_t value = 0;
  for (size_t i = 0; i < width; ++i) value |= static_cast<uint64_t>(byte()) << (8 * i);
  return value;
}

}  // namespace restora::checkpoint_detail
