#pragma once
#include "io/image.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace restora {

struct ReadOptions {
  /// Images with more pixels than this are refused from their header, before decoding.
  int64_t max_pixels = 150'000'000;
};

/// Reads an 8- or 16-bit PNG/JPEG/TIFF/WebP/BMP (gray, gray+alpha, RGB, RGBA, palette; CMYK
/// JPEG becomes RGB) at its own depth, with its EXIF orientation applied once and its metadata.
/// Throws restora::Error(BadInput) with a one-line message naming the file for anything
/// unreadable, truncated, unsupported or over the pixel limit.
Image read_image(const std::filesystem::path& path, const ReadOptions& options = {});

/// read_image on a file already in memory (the fuzz target's entry); `display_name` names it.
Image decode_image(const std::vector<uint8_t>& file, const std::string& display_name, const ReadOptions& options = {});

struct WriteOptions {
  int quality = 95;  ///< JPEG and WebP quality, 1..100
};

/// Writes `image` with its depth (where the format holds it), alpha and gray/colour layout, and
/// its metadata. Atomic and durable: a temporary file in the target folder is written, fsync'ed
/// and renamed over the target, then the folder is fsync'ed; a failure leaves no partial file.
/// Throws restora::Error(BadUsage) for an unsupported extension, Error(Failed) when the file
/// cannot be written.
void write_image(const std::filesystem::path& path, const Image& image, const WriteOptions& options = {});

/// Removes what interrupted write_image calls for `target` left in its folder (temporary files
/// of a killed process), touching no other file. A batch calls it before writing each output.
void remove_interrupted_writes(const std::filesystem::path& target);

/// Test hook: makes every following write_image fail as a full disk (ENOSPC after half the
/// bytes) or an unwritable folder (EACCES at open) would; None restores normal writing. Tests run
/// as root, whom permissions do not stop, so the failures are injected here.
enum class WriteFault { None, FullDisk, UnwritableFolder };
void inject_write_fault(WriteFault fault);

/// Whether the file name's extension is one we can write (png, jpg/jpeg, tif/tiff, webp, bmp; any case).
bool is_writable_image_format(const std::filesystem::path& path);

/// The bit depth a file of that format can hold for an image of `bits`: 16 stays 16 for PNG and
/// TIFF, and becomes 8 for JPEG, WebP and BMP.
int writable_bits(const std::filesystem::path& path, int bits);

}  // namespace restora
