#pragma once
// Test files made byte by byte, for what OpenCV cannot write (palette PNG, a header claiming a
// huge size, CMYK JPEG) and for EXIF orientation written with Exiv2.
#include <opencv2/core.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace restora::test {

/// A PNG from already-filtered-free rows: `rows` holds height * (bytes per row) samples without
/// filter bytes; IDAT uses stored (uncompressed) deflate blocks. `extra_chunks` go before IDAT
/// (each as type + data, e.g. {"PLTE", bytes}).
std::vector<uint8_t> png_bytes(uint32_t width, uint32_t height, uint8_t bit_depth, uint8_t colour_type,
                               const std::vector<uint8_t>& rows,
                               const std::vector<std::pair<std::string, std::vector<uint8_t>>>& extra_chunks = {});

/// A CMYK JPEG (Adobe inverted, as Photoshop writes it) of width x height in one flat colour
/// that should read back as `rgb`.
std::vector<uint8_t> cmyk_jpeg_bytes(int width, int height, cv::Vec3b rgb);

/// Sets EXIF Orientation (and optionally more EXIF/XMP/IPTC tags) in an existing file with Exiv2.
void set_orientation(const std::filesystem::path& file, int orientation);
void add_sample_metadata(const std::filesystem::path& file);
/// Every EXIF tag of a file as Exiv2 prints it (key -> value), read with Exiv2 directly.
std::map<std::string, std::string> exif_values(const std::filesystem::path& file);

/// A minimal valid ICC profile header (no tags) of colour space `space` ("RGB ", "GRAY", "CMYK").
std::vector<uint8_t> icc_profile(const std::string& space);
void set_icc_profile(const std::filesystem::path& file, const std::vector<uint8_t>& profile);

void write_file(const std::filesystem::path& path, const std::vector<uint8_t>& bytes);
std::vector<uint8_t> read_file(const std::filesystem::path& path);

}  // namespace restora::test
