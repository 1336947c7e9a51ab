#include "checkpoint/pickle_writer.h"

#include <cstring>

namespace restora::checkpoint_detail {

namespace {
void put_le(std::string& out, uint64_t v, size_t width) {
  for (size_t i = 0; i < width; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
}  // namespace

PickleWriter& PickleWriter::global(const std::string& module, const std::string& name) {
  return op("c" + module + "\n" + name + "\n");
}

PickleWriter& PickleWriter::integer(int64_t v) {
  if (v >= 0 && v < 256) {
    out_ += 'K';
    put_le(out_, static_cast<uint64_t>(v), 1);
  } else if (v >= 0 && v < 65536) {
    out_ += 'M';
    put_le(out_, static_cast<uint64_t>(v), 2);
  } else if (v >= INT32_MIN && v <= INT32_MAX) {
    out_ += 'J';
    put_le(out_, static_cast<uint32_t>(static_cast<int32_t>(v)), 4);
  } else {
    out_ += "\x8a\x08";  // LONG1, 8 bytes two's complement
    uint64_t u = 0;
    std::memcpy(&u, &v, sizeof u);
    put_le(out_, u, 8);
  }
  return *this;
}

PickleWriter& PickleWriter::unicode(const std::string& utf8) {
  out_ += 'X';
  put_le(out_, utf8.size(), 4);
  out_ += utf8;
  return *this;
}

}  // namespace restora::checkpoint_detail
