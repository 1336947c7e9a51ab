#include "core/io/test_images.h"

#include <exiv2/exiv2.hpp>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <iterator>

#include <jpeglib.h>

namespace restora::test {
namespace {

uint32_t crc32_of(const uint8_t* data, size_t size, uint32_t crc = 0) {
  crc = ~crc;
  for (size_t i = 0; i < size; ++i) {
    crc ^= data[i];
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

void put_be32(std::vector<uint8_t>& out, uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(value >> shift));
}

void put_chunk(std::vector<uint8_t>& out, const std::string& type, const std::vector<uint8_t>& data) {
  put_be32(out, static_cast<uint32_t>(data.size()));
  std::vector<uint8_t> typed(type.begin(), type.end());
  typed.insert(typed.end(), data.begin(), data.end());
  out.insert(out.end(), typed.begin(), typed.end());
  put_be32(out, crc32_of(typed.data(), typed.size()));
}

/// zlib stream of stored deflate blocks (no compression), with its Adler-32.
std::vector<uint8_t> zlib_stored(const std::vector<uint8_t>& data) {
  std::vector<uint8_t> out = {0x78, 0x01};
  size_t at = 0;
  do {
    const size_t n = std::min<size_t>(65535, data.size() - at);
    out.push_back(at + n == data.size() ? 1 : 0);
    out.push_back(static_cast<uint8_t>(n & 0xff));
    out.push_back(static_cast<uint8_t>(n >> 8));
    out.push_back(static_cast<uint8_t>(~n & 0xff));
    out.push_back(static_cast<uint8_t>((~n >> 8) & 0xff));
    out.insert(out.end(), data.begin() + static_cast<long>(at), data.begin() + static_cast<long>(at + n));
    at += n;
  } while (at < data.size());
  uint32_t a = 1, b = 0;
  for (uint8_t byte : data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  put_be32(out, (b << 16) | a);
  return out;
}

}  // namespace

std::vector<uint8_t> png_bytes(uint32_t width, uint32_t height, uint8_t bit_depth, uint8_t colour_type,
                               const std::vector<uint8_t>& rows,
                               const std::vector<std::pair<std::string, std::vector<uint8_t>>>& extra_chunks) {
  std::vector<uint8_t> out = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  std::vector<uint8_t> ihdr;
  put_be32(ihdr, width);
  put_be32(ihdr, height);
  ihdr.insert(ihdr.end(), {bit_depth, colour_type, 0, 0, 0});
  put_chunk(out, "IHDR", ihdr);
  for (const auto& [type, data] : extra_chunks) put_chunk(out, type, data);
  // Filter type 0 (none) before every row.
  std::vector<uint8_t> filtered;
  const size_t row_bytes = height == 0 ? 0 : rows.size() / height;
  for (uint32_t y = 0; y < height && row_bytes > 0; ++y) {
    filtered.push_back(0);
    filtered.insert(filtered.end(), rows.begin() + static_cast<long>(y * row_bytes),
                    rows.begin() + static_cast<long>((y + 1) * row_bytes));
  }
  put_chunk(out, "IDAT", zlib_stored(filtered));
  put_chunk(out, "IEND", {});
  return out;
}

std::vector<uint8_t> cmyk_jpeg_bytes(int width, int height, cv::Vec3b rgb) {
  jpeg_compress_struct info{};
  jpeg_error_mgr errors{};
  info.err = jpeg_std_error(&errors);
  jpeg_create_compress(&info);
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&info, &buffer, &size);
  info.image_width = static_cast<JDIMENSION>(width);
  info.image_height = static_cast<JDIMENSION>(height);
  info.input_components = 4;
  info.in_color_space = JCS_CMYK;
  jpeg_set_defaults(&info);
  jpeg_set_colorspace(&info, JCS_YCCK);  // writes the Adobe marker, as Photoshop does
  jpeg_set_quality(&info, 98, TRUE);
  jpeg_start_compress(&info, TRUE);
  // Inverted inks with no black: the stored C, M, Y are the R, G, B values, K is 255.
  std::vector<JSAMPLE> row(static_cast<size_t>(width) * 4);
  for (int x = 0; x < width; ++x) {
    row[x * 4 + 0] = rgb[0];
    row[x * 4 + 1] = rgb[1];
    row[x * 4 + 2] = rgb[2];
    row[x * 4 + 3] = 255;
  }
  while (info.next_scanline < info.image_height) {
    JSAMPROW pointer = row.data();
    jpeg_write_scanlines(&info, &pointer, 1);
  }
  jpeg_finish_compress(&info);
  std::vector<uint8_t> out(buffer, buffer + size);
  jpeg_destroy_compress(&info);
  std::free(buffer);
  return out;
}

void set_orientation(const std::filesystem::path& file, int orientation) {
  auto image = Exiv2::ImageFactory::open(file.string());
  image->readMetadata();
  Exiv2::ExifData exif = image->exifData();
  exif["Exif.Image.Orientation"] = static_cast<uint16_t>(orientation);
  image->setExifData(exif);
  image->writeMetadata();
}

void add_sample_metadata(const std::filesystem::path& file) {
  auto image = Exiv2::ImageFactory::open(file.string());
  image->readMetadata();
  Exiv2::ExifData exif = image->exifData();
  exif["Exif.Image.Make"] = "Restora Test Camera";
  exif["Exif.Image.Model"] = "RT-1";
  exif["Exif.Photo.DateTimeOriginal"] = "2024:05:06 07:08:09";
  exif["Exif.Photo.ExposureTime"] = Exiv2::URational(1, 250);
  exif["Exif.Image.Orientation"] = static_cast<uint16_t>(1);
  image->setExifData(exif);
  Exiv2::IptcData iptc;
  iptc["Iptc.Application2.Caption"] = "a caption with non-ASCII: café";
  iptc["Iptc.Application2.Keywords"] = "restora";
  image->setIptcData(iptc);
  Exiv2::XmpData xmp;
  xmp["Xmp.dc.creator"] = "Test Photographer";
  xmp["Xmp.xmp.Rating"] = "4";
  image->setXmpData(xmp);
  image->writeMetadata();
}

std::map<std::string, std::string> exif_values(const std::filesystem::path& file) {
  auto image = Exiv2::ImageFactory::open(file.string());
  image->readMetadata();
  std::map<std::string, std::string> values;
  for (const auto& datum : image->exifData()) values[datum.key()] = datum.toString();
  return values;
}

std::vector<uint8_t> icc_profile(const std::string& space) {
  std::vector<uint8_t> profile(132, 0);
  profile[3] = 132;  // size, big-endian
  const std::string fields[] = {"mntr", space, "XYZ ", "acsp"};
  const size_t offsets[] = {12, 16, 20, 36};
  for (int i = 0; i < 4; ++i) std::copy(fields[i].begin(), fields[i].end(), profile.begin() + static_cast<long>(offsets[i]));
  profile[8] = 4;  // version 4.0
  return profile;   // tag count (bytes 128..131) is zero
}

void set_icc_profile(const std::filesystem::path& file, const std::vector<uint8_t>& profile) {
  auto image = Exiv2::ImageFactory::open(file.string());
  image->readMetadata();
  Exiv2::DataBuf buffer(profile.data(), static_cast<long>(profile.size()));
  image->setIccProfile(buffer, true);
  image->writeMetadata();
}

void write_file(const std::filesystem::path& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(out.good()) << path;
}

std::vector<uint8_t> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace restora::test
