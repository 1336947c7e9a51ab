#include "checkpoint/pickle_text.h"

#include <cstdint>

namespace restora::checkpoint_detail {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace

std::string decode_string_literal(const std::string& repr, const std::function<void(const std::string&)>& fail) {
  if (repr.size() < 2 || (repr.front() != '\'' && repr.front() != '"') || repr.back() != repr.front())
    fail("STRING argument is not a quoted literal");
  std::string out;
  const size_t end = repr.size() - 1;
  for (size_t i = 1; i < end; ++i) {
    const char c = repr[i];
    if (c != '\\' || i + 1 >= end) {
      out.push_back(c);
      continue;
    }
    const char e = repr[++i];
    switch (e) {
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 't': out.push_back('\t'); break;
      case 'a': out.push_back('\a'); break;
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'v': out.push_back('\v'); break;
      case '\\': case '\'': case '"': out.push_back(e); break;
      case 'x': {
        const int hi = i + 1 < end ? hex_value(repr[i + 1]) : -1;
        const int lo = i + 2 < end ? hex_value(repr[i + 2]) : -1;
        if (hi < 0 || lo < 0) fail("bad \\x escape in a STRING literal");
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        break;
      }
      default:
        if (e >= '0' && e <= '7') {
          int value = e - '0';
          for (int k = 0; k < 2 && i + 1 < end && repr[i + 1] >= '0' && repr[i + 1] <= '7'; ++k)
            value = value * 8 + (repr[++i] - '0');
          out.push_back(static_cast<char>(value & 0xFF));
        } else {
          out.push_back('\\');
          out.push_back(e);
        }
    }
  }
  return out;
}

std::string decode_raw_unicode_escape(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\\' && i + 1 < text.size() && (text[i + 1] == 'u' || text[i + 1] == 'U')) {
      const size_t digits = text[i + 1] == 'u' ? 4 : 8;
      if (i + 2 + digits <= text.size()) {
        uint32_t cp = 0;
        bool ok = true;
        for (size_t k = 0; k < digits; ++k) {
          const int h = hex_value(text[i + 2 + k]);
          ok = ok && h >= 0;
          cp = (cp << 4) | static_cast<uint32_t>(h < 0 ? 0 : h);
        }
        if (ok && cp <= 0x10FFFF) {
          append_utf8(out, cp);
          i += 1 + digits;
          continue;
        }
      }
    }
    append_utf8(out, c);
  }
  return out;
}

}  // namespace restora::checkpoint_detail
