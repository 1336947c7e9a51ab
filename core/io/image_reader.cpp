#include "io/image_file.h"

#include "common/error.h"
#include "common/log.h"
#include "io/jpeg_decoder.h"
#include "io/tiff_gray_alpha.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <system_error>

namespace restora {
namespace {

[[noreturn]] void refuse(const std::string& name, const std::string& reason) {
  throw Error(ErrorKind::BadInput, "'" + name + "': " + reason);
}

std::vector<uint8_t> read_bytes(const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) refuse(path.string(), "no such file");
  std::ifstream in(path, std::ios::binary);
  if (!in) refuse(path.string(), "cannot open the file");
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

enum class Format { Png, Jpeg, Tiff, WebP, Bmp, Unknown };

/// The format from the file's first bytes: the content decides, not the extension.
Format sniff_format(const std::vector<uint8_t>& bytes) {
  const auto starts_with = [&](std::initializer_list<uint8_t> magic, size_t offset = 0) {
    if (bytes.size() < offset + magic.size()) return false;
    size_t i = offset;
    for (uint8_t byte : magic)
      if (bytes[i++] != byte) return false;
    return true;
  };
  if (starts_with({0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'})) return Format::Png;
  if (starts_with({0xff, 0xd8, 0xff})) return Format::Jpeg;
  if (starts_with({'I', 'I', 42, 0}) || starts_with({'M', 'M', 0, 42})) return Format::Tiff;
  if (starts_with({'R', 'I', 'F', 'F'}) && starts_with({'W', 'E', 'B', 'P'}, 8)) return Format::WebP;
  if (starts_with({'B', 'M'})) return Format::Bmp;
  return Format::Unknown;
}

/// A PNG ends with its IEND chunk; without it the file was cut short (libpng itself happily
/// decodes the rows that are there when only the end is missing).
bool png_is_complete(const std::vector<uint8_t>& bytes) {
  static const uint8_t iend[] = {0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82};
  return std::search(bytes.begin(), bytes.end(), std::begin(iend), std::end(iend)) != bytes.end();
}

/// The size in a PNG's IHDR (always the first chunk), for files Exiv2 refuses to parse.
void png_header_size(const std::vector<uint8_t>& bytes, Metadata::Header& header) {
  if (bytes.size() < 24) return;
  const auto big_endian = [&](size_t at) {
    return (int64_t{bytes[at]} << 24) | (int64_t{bytes[at + 1]} << 16) | (int64_t{bytes[at + 2]} << 8) | bytes[at + 3];
  };
  header.width = big_endian(16);
  header.height = big_endian(20);
}

/// The size in a BMP's BITMAPINFOHEADER (little-endian; a negative height means top-down rows).
void bmp_header_size(const std::vector<uint8_t>& bytes, Metadata::Header& header) {
  if (bytes.size() < 26) return;
  const auto little_endian = [&](size_t at) {
    return static_cast<int32_t>(uint32_t{bytes[at]} | (uint32_t{bytes[at + 1]} << 8) | (uint32_t{bytes[at + 2]} << 16) |
                                (uint32_t{bytes[at + 3]} << 24));
  };
  header.width = std::abs(int64_t{little_endian(18)});
  header.height = std::abs(int64_t{little_endian(22)});
}

/// A PNG whose IHDR colour type is 4 (gray + alpha): OpenCV expands it to BGRA.
bool png_is_gray_alpha(const std::vector<uint8_t>& bytes) { return bytes.size() > 25 && bytes[25] == 4; }

/// OpenCV's decoded layout (BGR order) -> ours (RGB order).
cv::Mat to_rgb_order(const cv::Mat& decoded) {
  cv::Mat pixels;
  switch (decoded.channels()) {
    case 0:
    case 1:
    case 2: return decoded;
    case 3: cv::cvtColor(decoded, pixels, cv::COLOR_BGR2RGB); return pixels;
    default: cv::cvtColor(decoded, pixels, cv::COLOR_BGRA2RGBA); return pixels;
  }
}

/// Turns decoded pixels upright according to the EXIF Orientation (1..8, TIFF/EXIF 2.3 sect. 4.6.4):
/// the image is stored rotated/mirrored and viewers show it turned by this transform.
cv::Mat apply_orientation(const cv::Mat& pixels, int orientation) {
  cv::Mat out;
  switch (orientation) {
    case 2: cv::flip(pixels, out, 1); return out;                          // mirrored left-right
    case 3: cv::rotate(pixels, out, cv::ROTATE_180); return out;
    case 4: cv::flip(pixels, out, 0); return out;                          // mirrored top-bottom
    case 5: cv::transpose(pixels, out); return out;                        // mirrored along the main diagonal
    case 6: cv::rotate(pixels, out, cv::ROTATE_90_CLOCKWISE); return out;
    case 7: cv::rotate(pixels, out, cv::ROTATE_90_COUNTERCLOCKWISE); cv::flip(out, out, 1); return out;
    case 8: cv::rotate(pixels, out, cv::ROTATE_90_COUNTERCLOCKWISE); return out;
    default: return pixels;
  }
}

void check_pixel_limit(const std::string& path, int64_t width, int64_t height, int64_t limit) {
  if (width > 0 && height > 0 && width * height > limit)
    refuse(path, std::to_string(width) + "x" + std::to_string(height) + " pixels is over the limit of " +
                     std::to_string(limit) + " (--max-pixels)");
}

}  // namespace

Image read_image(const std::filesystem::path& path, const ReadOptions& options) {
  return decode_image(read_bytes(path), path.string(), options);
}

Image decode_image(const std::vector<uint8_t>& bytes, const std::string& path, const ReadOptions& options) {
  if (bytes.empty()) refuse(path, "the file is empty");
  // Metadata and the pixel size come from the header alone: a decompression bomb is refused
  // before a single pixel is decoded.
  const Format format = sniff_format(bytes);
  if (format == Format::Unknown) refuse(path, "not an image in a supported format (PNG, JPEG, TIFF, WebP, BMP)");
  Metadata::Header header;
  // BMP holds no EXIF/XMP/IPTC, and Exiv2 0.27 does not recognise it in memory: its size is read here.
  Metadata metadata = format == Format::Bmp ? Metadata() : Metadata::read(bytes, path, &header);
  if (format == Format::Png && header.width == 0) png_header_size(bytes, header);  // Exiv2 gave up on the file
  if (format == Format::Bmp) bmp_header_size(bytes, header);
  check_pixel_limit(path, header.width, header.height, options.max_pixels);
  if (format == Format::Png && !png_is_complete(bytes)) refuse(path, "truncated PNG (no IEND chunk)");
  cv::Mat decoded;
  if (format == Format::Jpeg) {
    try {
      decoded = decode_jpeg(bytes, options.max_pixels, header.warnings);
    } catch (const std::exception& e) {
      refuse(path, std::string("unreadable JPEG: ") + e.what());
    }
  } else if (format == Format::Tiff && tiff_samples_per_pixel(bytes) == 2) {  // OpenCV 4.6 would drop the alpha
    try {
      decoded = decode_gray_alpha_tiff(bytes);
    } catch (const std::exception& e) {
      refuse(path, std::string("unreadable gray+alpha TIFF: ") + e.what());
    }
  } else {
    try {
      decoded = to_rgb_order(cv::imdecode(bytes, cv::IMREAD_UNCHANGED));
    } catch (const cv::Exception& e) {
      refuse(path, "cannot decode the image (" + e.err + ")");
    }
  }
  if (decoded.empty()) refuse(path, "not a readable image (corrupt, truncated or unsupported variant)");
  if (format == Format::Png && png_is_gray_alpha(bytes) && decoded.channels() == 4) {
    cv::Mat gray_alpha(decoded.size(), CV_MAKETYPE(decoded.depth(), 2));
    const int from_to[] = {0, 0, 3, 1};
    cv::mixChannels(&decoded, 1, &gray_alpha, 1, from_to, 2);
    decoded = gray_alpha;
  }
  if (decoded.depth() != CV_8U && decoded.depth() != CV_16U)
    refuse(path, "unsupported sample format (only 8- and 16-bit integer images)");
  if (decoded.channels() > 4) refuse(path, "unsupported channel count " + std::to_string(decoded.channels()));
  check_pixel_limit(path, decoded.cols, decoded.rows, options.max_pixels);  // when the header did not say
  for (const auto& warning : header.warnings) log_warning(warning);
  Image image;
  image.pixels = apply_orientation(decoded, metadata.orientation());
  image.metadata = std::move(metadata);
  return image;
}

}  // namespace restora
