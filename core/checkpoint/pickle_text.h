#pragma once
#include <functional>
#include <string>

namespace restora::checkpoint_detail {

/// Protocol-0 STRING argument: a Python repr such as 'abc' or "it's" with backslash escapes.
/// Calls `fail` (which must throw) on a malformed literal. Returns the raw bytes.
std::string decode_string_literal(const std::string& repr, const std::function<void(const std::string&)>& fail);

/// Protocol-0 UNICODE argument ("raw-unicode-escape": latin-1 bytes plus \uXXXX / \UXXXXXXXX),
/// returned as UTF-8. Malformed escapes are kept literally, as Python does for lone backslashes.
std::string decode_raw_unicode_escape(const std::string& text);

}  // namespace restora::checkpoint_detail
