// Gray+alpha TIFFs, read through libtiff (OpenCV 4.6 drops their alpha), in every layout libtiff
// writes: 8/16 bit, strips/tiles, contiguous/separate planes, compressed, premultiplied, MinIsWhite.
#include "io/image_file.h"
#include "io/tiff_gray_alpha.h"

#include "common/error.h"
#include "core/io/test_images.h"
#include "support/shared_data.h"

#include <gtest/gtest.h>
#include <tiffio.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>

namespace restora {
namespace {

struct Layout {
  int bits = 8;
  bool tiled = false;
  bool separate = false;
  bool premultiplied = false;
  bool min_is_white = false;
  uint16_t compression = COMPRESSION_NONE;
};

/// A 37x21 gray+alpha pattern (odd sizes, so tiles and strips end part-way), straight alpha.
cv::Mat pattern(int bits) {
  cv::Mat mat(21, 37, bits == 8 ? CV_8UC2 : CV_16UC2);
  const int max = bits == 8 ? 255 : 65535;
  for (int y = 0; y < mat.rows; ++y)
    for (int x = 0; x < mat.cols; ++x) {
      const int gray = (x * 977 + y * 4099) % (max + 1), alpha = max - (x * 31 + y * 1733) % (max / 2);
      if (bits == 8) mat.at<cv::Vec2b>(y, x) = {static_cast<uint8_t>(gray), static_cast<uint8_t>(alpha)};
      else mat.at<cv::Vec2w>(y, x) = {static_cast<uint16_t>(gray), static_cast<uint16_t>(alpha)};
    }
  return mat;
}

/// Writes `straight` (CV_8UC2/CV_16UC2) with libtiff in the given layout.
void write_tiff(const std::filesystem::path& path, const cv::Mat& straight, const Layout& layout) {
  TIFF* tiff = TIFFOpen(path.c_str(), "w");
  ASSERT_NE(tiff, nullptr);
  const int max = layout.bits == 8 ? 255 : 65535;
  cv::Mat stored = straight.clone();
  for (int y = 0; y < stored.rows; ++y)
    for (int x = 0; x < stored.cols; ++x)
      for (int c = 0; c < 1; ++c) {
        double gray = layout.bits == 8 ? stored.at<cv::Vec2b>(y, x)[0] : stored.at<cv::Vec2w>(y, x)[0];
        const double alpha = layout.bits == 8 ? stored.at<cv::Vec2b>(y, x)[1] : stored.at<cv::Vec2w>(y, x)[1];
        if (layout.premultiplied) gray = std::round(gray * alpha / max);
        if (layout.min_is_white) gray = max - gray;
        if (layout.bits == 8) stored.at<cv::Vec2b>(y, x)[0] = static_cast<uint8_t>(gray);
        else stored.at<cv::Vec2w>(y, x)[0] = static_cast<uint16_t>(gray);
      }
  TIFFSetField(tiff, TIFFTAG_IMAGEWIDTH, stored.cols);
  TIFFSetField(tiff, TIFFTAG_IMAGELENGTH, stored.rows);
  TIFFSetField(tiff, TIFFTAG_BITSPERSAMPLE, layout.bits);
  TIFFSetField(tiff, TIFFTAG_SAMPLESPERPIXEL, 2);
  TIFFSetField(tiff, TIFFTAG_PHOTOMETRIC, layout.min_is_white ? PHOTOMETRIC_MINISWHITE : PHOTOMETRIC_MINISBLACK);
  TIFFSetField(tiff, TIFFTAG_PLANARCONFIG, layout.separate ? PLANARCONFIG_SEPARATE : PLANARCONFIG_CONTIG);
  TIFFSetField(tiff, TIFFTAG_COMPRESSION, layout.compression);
  uint16_t extra = layout.premultiplied ? EXTRASAMPLE_ASSOCALPHA : EXTRASAMPLE_UNASSALPHA;
  TIFFSetField(tiff, TIFFTAG_EXTRASAMPLES, 1, &extra);
  const int bytes = layout.bits / 8;
  const int planes = layout.separate ? 2 : 1, per_pixel = layout.separate ? 1 : 2;
  const auto sample = [&](int y, int x, int c, uint8_t* out) {
    std::memcpy(out, stored.ptr(y) + (x * 2 + c) * bytes, bytes);
  };
  if (layout.tiled) {
    const int tile = 16;
    TIFFSetField(tiff, TIFFTAG_TILEWIDTH, tile);
    TIFFSetField(tiff, TIFFTAG_TILELENGTH, tile);
    std::vector<uint8_t> block(static_cast<size_t>(tile) * tile * per_pixel * bytes);
    for (int p = 0; p < planes; ++p)
      for (int ty = 0; ty < stored.rows; ty += tile)
        for (int tx = 0; tx < stored.cols; tx += tile) {
          std::fill(block.begin(), block.end(), 0);
          for (int y = ty; y < std::min(ty + tile, stored.rows); ++y)
            for (int x = tx; x < std::min(tx + tile, stored.cols); ++x)
              for (int c = 0; c < per_pixel; ++c)
                sample(y, x, layout.separate ? p : c, &block[(((y - ty) * tile + (x - tx)) * per_pixel + c) * bytes]);
          ASSERT_GE(TIFFWriteTile(tiff, block.data(), tx, ty, 0, static_cast<uint16_t>(p)), 0);
        }
  } else {
    TIFFSetField(tiff, TIFFTAG_ROWSPERSTRIP, 4);
    std::vector<uint8_t> line(static_cast<size_t>(stored.cols) * per_pixel * bytes);
    for (int p = 0; p < planes; ++p)
      for (int y = 0; y < stored.rows; ++y) {
        for (int x = 0; x < stored.cols; ++x)
          for (int c = 0; c < per_pixel; ++c) sample(y, x, layout.separate ? p : c, &line[(x * per_pixel + c) * bytes]);
        ASSERT_GE(TIFFWriteScanline(tiff, line.data(), y, static_cast<uint16_t>(p)), 0);
      }
  }
  TIFFClose(tiff);
}

class GrayAlphaTiff : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = test::make_temp_dir("tiff"); }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(GrayAlphaTiff, EveryLayoutReadsBackAsTheSameGrayAndAlpha) {
  const std::vector<std::pair<std::string, Layout>> layouts = {
      {"strips8", {8}},
      {"strips16", {16}},
      {"tiles8", {8, true}},
      {"tiles16-separate", {16, true, true}},
      {"strips8-separate-lzw", {8, false, true, false, false, COMPRESSION_LZW}},
      {"strips16-deflate", {16, false, false, false, false, COMPRESSION_ADOBE_DEFLATE}},
      {"min-is-white", {8, false, false, false, true}},
  };
  for (const auto& [name, layout] : layouts) {
    SCOPED_TRACE(name);
    const cv::Mat expected = pattern(layout.bits);
    write_tiff(dir_ / (name + ".tif"), expected, layout);
    const Image image = read_image(dir_ / (name + ".tif"));
    ASSERT_EQ(image.pixels.type(), expected.type());
    ASSERT_EQ(image.pixels.size(), expected.size());
    EXPECT_TRUE(image.has_alpha());
    EXPECT_EQ(cv::norm(image.pixels, expected, cv::NORM_INF), 0);
  }
}

TEST_F(GrayAlphaTiff, PremultipliedAlphaIsUndoneWithinRounding) {
  for (int bits : {8, 16}) {
    const cv::Mat expected = pattern(bits);
    write_tiff(dir_ / "assoc.tif", expected, {bits, false, false, true});
    const Image image = read_image(dir_ / "assoc.tif");
    ASSERT_EQ(image.pixels.type(), expected.type());
    std::vector<cv::Mat> got, want;
    cv::split(image.pixels, got);
    cv::split(expected, want);
    EXPECT_EQ(cv::norm(got[1], want[1], cv::NORM_INF), 0) << bits;  // alpha untouched
    // Premultiplying by alpha >= max/2 rounds gray to within 1/2 step; undoing it doubles that at most.
    EXPECT_LE(cv::norm(got[0], want[0], cv::NORM_INF), 2) << bits;
  }
}

TEST_F(GrayAlphaTiff, TheImageMagickFixtureKeepsItsAlpha) {
  // tests/app/data/gray_alpha.tif: a black-to-white gradient, its reverse as alpha.
  const Image image = read_image(test::source_dir() / "tests" / "app" / "data" / "gray_alpha.tif");
  ASSERT_EQ(image.pixels.type(), CV_16UC2);  // ImageMagick's Q16 build writes 16 bits
  ASSERT_EQ(image.pixels.size(), cv::Size(16, 12));
  const auto top = image.pixels.at<cv::Vec2w>(0, 0), bottom = image.pixels.at<cv::Vec2w>(11, 15);
  EXPECT_LT(top[0], 8000);
  EXPECT_GT(top[1], 57000);
  EXPECT_GT(bottom[0], 57000);
  EXPECT_LT(bottom[1], 8000);
}

TEST_F(GrayAlphaTiff, IsWrittenAsGrayAlphaWithItsMetadataAndReadBackExactly) {
  for (int bits : {8, 16}) {
    SCOPED_TRACE(bits);
    write_tiff(dir_ / "in.tif", pattern(bits), {bits});
    Image image = read_image(dir_ / "in.tif");
    ASSERT_EQ(image.pixels.channels(), 2);
    test::add_sample_metadata(dir_ / "in.tif");
    image.metadata = read_image(dir_ / "in.tif").metadata;
    write_image(dir_ / "out.tif", image);
    EXPECT_EQ(tiff_samples_per_pixel(test::read_file(dir_ / "out.tif")), 2) << "not widened to RGBA";
    const Image again = read_image(dir_ / "out.tif");
    ASSERT_EQ(again.pixels.type(), image.pixels.type());
    EXPECT_EQ(cv::norm(again.pixels, image.pixels, cv::NORM_INF), 0);
    const std::vector<std::string> keys = again.metadata.keys();
    for (const char* key : {"Exif.Image.Make", "Xmp.dc.creator", "Iptc.Application2.Keywords"})
      EXPECT_NE(std::find(keys.begin(), keys.end(), key), keys.end()) << key << " was lost";
  }
}

TEST_F(GrayAlphaTiff, ATruncatedOneIsRefusedWithTheFileNamed) {
  write_tiff(dir_ / "whole.tif", pattern(16), {16});
  const auto bytes = test::read_file(dir_ / "whole.tif");
  // Strips are written before the directory at the end: cut into the pixel data.
  const std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + static_cast<long>(bytes.size() / 3));
  test::write_file(dir_ / "cut.tif", cut);
  try {
    read_image(dir_ / "cut.tif");
    FAIL() << "a truncated TIFF must be refused";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("cut.tif"), std::string::npos) << error.what();
    EXPECT_EQ(std::string(error.what()).find('\n'), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace restora
