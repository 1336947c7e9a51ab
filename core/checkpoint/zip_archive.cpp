#include "checkpoint/zip_archive.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <limits>

namespace restora::checkpoint_detail {

namespace {

constexpr uint32_t kEndSignature = 0x06054b50;
constexpr uint32_t kZip64EndSignature = 0x06064b50;
constexpr uint32_t kZip64LocatorSignature = 0x07064b50;
constexpr uint32_t kCentralSignature = 0x02014b50;
constexpr uint32_t kLocalSignature = 0x04034b50;
constexpr uint64_t kEndSize = 22;
constexpr uint64_t kMaxComment = 0xFFFF;

uint64_t le(const unsigned char* p, size_t width) {
  uint64_t v = 0;
  for (size_t i = 0; i < width; ++i) v |= static_cast<uint64_t>(p[i]) << (8 * i);
  return v;
}

}  // namespace

uint32_t crc32_update(uint32_t crc, const void* data, size_t count) {
  const auto* p = static_cast<const Bytef*>(data);
  uLong c = crc;
  while (count > 0) {
    const auto chunk = static_cast<uInt>(std::min<size_t>(count, std::numeric_limits<uInt>::max()));
    c = ::crc32(c, p, chunk);
    p += chunk;
    count -= chunk;
  }
  return static_cast<uint32_t>(c);
}

ZipArchive::ZipArchive(ByteSource& source) : source_(source) { read_directory(); }

void ZipArchive::locate_end(uint64_t& entries, uint64_t& dir_size, uint64_t& dir_offset) {
  const uint64_t file_size = source_.size();
  if (file_size < kEndSize) source_.fail("truncated zip archive (no end of central directory)");
  const uint64_t window = std::min<uint64_t>(file_size, kEndSize + kMaxComment);
  std::vector<unsigned char> tail(static_cast<size_t>(window));
  source_.read(file_size - window, tail.data(), tail.size());
  // The end record is the last signature whose comment length reaches exactly the file end.
  for (uint64_t i = window - kEndSize + 1; i-- > 0;) {
    const unsigned char* p = tail.data() + i;
    if (le(p, 4) != kEndSignature) continue;
    if (i + kEndSize + le(p + 20, 2) != window) continue;
    entries = le(p + 10, 2);
    dir_size = le(p + 12, 4);
    dir_offset = le(p + 16, 4);
    const uint64_t end_at = file_size - window + i;
    if (entries != 0xFFFF && dir_size != 0xFFFFFFFF && dir_offset != 0xFFFFFFFF) return;
    // zip64: a locator right before the end record points at the zip64 end record.
    if (end_at < 20) source_.fail("zip64 locator missing");
    unsigned char loc[20];
    source_.read(end_at - 20, loc, sizeof loc);
    if (le(loc, 4) != kZip64LocatorSignature) source_.fail("zip64 locator missing");
    const uint64_t at = le(loc + 8, 8);
    source_.check_range(at, 56, "zip64 end of central directory");
    unsigned char rec[56];
    source_.read(at, rec, sizeof rec);
    if (le(rec, 4) != kZip64EndSignature) source_.fail("bad zip64 end of central directory");
    entries = le(rec + 32, 8);
    dir_size = le(rec + 40, 8);
    dir_offset = le(rec + 48, 8);
    return;
  }
  source_.fail("not a zip archive (no end of central directory record)");
}

void ZipArchive::read_directory() {
  uint64_t count = 0, dir_size = 0, dir_offset = 0;
  locate_end(count, dir_size, dir_offset);
  source_.check_range(dir_offset, dir_size, "the zip central directory");
  if (count > dir_size / 46) source_.fail("zip central directory claims more entries than it can hold");
  std::vector<unsigned char> dir(static_cast<size_t>(dir_size));
  source_.read(dir_offset, dir.data(), dir.size());
  size_t at = 0;
  for (uint64_t n = 0; n < count; ++n) {
    if (dir.size() - at < 46 || le(&dir[at], 4) != kCentralSignature) source_.fail("corrupt zip central directory");
    const unsigned char* h = &dir[at];
    Entry e;
    e.flags = static_cast<uint16_t>(le(h + 8, 2));
    e.method = static_cast<uint16_t>(le(h + 10, 2));
    e.crc32 = static_cast<uint32_t>(le(h + 16, 4));
    e.compressed_size = le(h + 20, 4);
    e.size = le(h + 24, 4);
    const size_t name_len = le(h + 28, 2), extra_len = le(h + 30, 2), comment_len = le(h + 32, 2);
    e.local_header = le(h + 42, 4);
    if (dir.size() - at - 46 < name_len + extra_len + comment_len) source_.fail("corrupt zip central directory");
    e.name.assign(reinterpret_cast<const char*>(h + 46), name_len);
    // zip64 extended information: the 64-bit values of the fields saturated above, in order.
    const unsigned char* extra = h + 46 + name_len;
    for (size_t x = 0; x + 4 <= extra_len;) {
      const uint64_t id = le(extra + x, 2), len = le(extra + x + 2, 2);
      if (x + 4 + len > extra_len) source_.fail("corrupt zip extra field in " + e.name);
      if (id == 0x0001) {
        const unsigned char* f = extra + x + 4;
        size_t used = 0;
        for (uint64_t* field : {&e.size, &e.compressed_size, &e.local_header}) {
          if (*field != 0xFFFFFFFF) continue;
          if (used + 8 > len) source_.fail("corrupt zip64 field in " + e.name);
          *field = le(f + used, 8);
          used += 8;
        }
      }
      x += 4 + len;
    }
    at += 46 + name_len + extra_len + comment_len;
    names_.push_back(e.name);
    entries_.push_back(std::move(e));
  }
}

const ZipArchive::Entry* ZipArchive::find(const std::string& name) const {
  for (const Entry& e : entries_)
    if (e.name == name) return &e;
  return nullptr;
}

bool ZipArchive::contains(const std::string& name) const { return find(name) != nullptr; }

ZipRecord ZipArchive::record(const std::string& name) {
  const Entry* e = find(name);
  if (!e) source_.fail("zip record " + name + " is missing");
  if (e->flags & 1) source_.fail("zip record " + name + " is encrypted");
  if (e->method != 0)
    source_.fail("zip record " + name + " is compressed (method " + std::to_string(e->method) +
                 "); PyTorch stores records uncompressed");
  if (e->compressed_size != e->size) source_.fail("zip record " + name + " has inconsistent sizes");
  source_.check_range(e->local_header, 30, "local header of " + name);
  unsigned char h[30];
  source_.read(e->local_header, h, sizeof h);
  if (le(h, 4) != kLocalSignature) source_.fail("bad local header for zip record " + name);
  const uint64_t data = e->local_header + 30 + le(h + 26, 2) + le(h + 28, 2);
  source_.check_range(data, e->size, "zip record " + name);
  return ZipRecord{name, data, e->size, e->crc32};
}

std::string ZipArchive::read_small(const ZipRecord& record, uint64_t max_size) {
  if (record.size > max_size) source_.fail("zip record " + record.name + " is unexpectedly large");
  std::string bytes(static_cast<size_t>(record.size), '\0');
  source_.read(record.data_offset, bytes.data(), bytes.size());
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
  if (crc32_update(0, bytes.data(), bytes.size()) != record.crc32)
    source_.fail("zip record " + record.name + " is corrupt (CRC mismatch)");
#endif
  return bytes;
}

}  // namespace restora::checkpoint_detail
