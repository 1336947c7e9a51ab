#include "checkpoint/zip_writer.h"

#include "checkpoint/zip_archive.h"

#include <stdexcept>

namespace restora::checkpoint_detail {

namespace {

constexpr uint64_t kAlignment = 64;
constexpr uint16_t kPaddingFieldId = 0x4246;  // "FB": the padding extra field PyTorch uses

void put(std::string& out, uint64_t v, size_t width) {
  for (size_t i = 0; i < width; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

}  // namespace

void ZipWriter::check_limit(uint64_t value) const {
  if (value >= 0xFFFFFFFFu) throw std::length_error("checkpoint larger than 4 GiB (zip64) cannot be written");
}

void ZipWriter::write(const void* data, size_t size) {
  out_.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
  if (!out_) throw std::runtime_error("write failed");
  position_ += size;
}

void ZipWriter::add(const std::string& name, const void* data, size_t size) {
  check_limit(position_);
  check_limit(size);
  Entry e{name, crc32_update(0, data, size), size, position_};
  const uint64_t unpadded = position_ + 30 + name.size() + 4;
  const uint64_t padding = (kAlignment - unpadded % kAlignment) % kAlignment;
  std::string h;
  put(h, 0x04034b50, 4);
  put(h, 20, 2);  // version needed
  put(h, 0, 2);   // flags
  put(h, 0, 2);   // method: stored
  put(h, 0, 2);   // time
  put(h, 0x21, 2);  // date: 1980-01-01
  put(h, e.crc32, 4);
  put(h, size, 4);
  put(h, size, 4);
  put(h, name.size(), 2);
  put(h, 4 + padding, 2);
  h += name;
  put(h, kPaddingFieldId, 2);
  put(h, padding, 2);
  h.append(padding, 'Z');
  write(h.data(), h.size());
  write(data, size);
  entries_.push_back(std::move(e));
}

void ZipWriter::finish() {
  const uint64_t dir_offset = position_;
  std::string d;
  for (const Entry& e : entries_) {
    put(d, 0x02014b50, 4);
    put(d, 20, 2);  // made by
    put(d, 20, 2);  // needed
    put(d, 0, 2);
    put(d, 0, 2);
    put(d, 0, 2);
    put(d, 0x21, 2);
    put(d, e.crc32, 4);
    put(d, e.size, 4);
    put(d, e.size, 4);
    put(d, e.name.size(), 2);
    put(d, 0, 2);  // extra
    put(d, 0, 2);  // comment
    put(d, 0, 2);  // disk
    put(d, 0, 2);  // internal attributes
    put(d, 0, 4);  // external attributes
    put(d, e.offset, 4);
    d += e.name;
  }
  const uint64_t dir_size = d.size();
  check_limit(dir_offset + dir_size);
  if (entries_.size() >= 0xFFFF) throw std::length_error("too many zip records");
  put(d, 0x06054b50, 4);
  put(d, 0, 2);
  put(d, 0, 2);
  put(d, entries_.size(), 2);
  put(d, entries_.size(), 2);
  put(d, dir_size, 4);
  put(d, dir_offset, 4);
  put(d, 0, 2);
  write(d.data(), d.size());
  out_.flush();
}

}  // namespace restora::checkpoint_detail
