#pragma once
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

namespace restora {

/// SHA-256 (FIPS 180-4) of a byte range, as 64 lowercase hex digits.
std::string sha256_hex(const void* data, size_t size);

/// SHA-256 of a file's contents, read in blocks. Throws restora::Error(BadInput) naming the file
/// when it cannot be read.
std::string sha256_file(const std::filesystem::path& path);

}  // namespace restora
