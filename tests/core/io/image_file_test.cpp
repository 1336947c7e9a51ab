// Image files: decoding at the file's depth and layout, atomic writing.
#include "io/image_file.h"

#include "common/error.h"
#include "core/io/test_images.h"
#include "support/shared_data.h"

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <fstream>

namespace restora {
namespace {

class ImageFiles : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = test::make_temp_dir("image"); }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

cv::Mat gradient(int depth, int channels) {
  cv::Mat mat(17, 23, CV_MAKETYPE(depth, channels));
  const int max = depth == CV_16U ? 65535 : 255;
  for (int y = 0; y < mat.rows; ++y)
    for (int x = 0; x < mat.cols; ++x)
      for (int c = 0; c < channels; ++c) {
        const int value = (x * 37 + y * 101 + c * 1013) % (max + 1);
        if (depth == CV_16U)
          mat.ptr<uint16_t>(y)[x * channels + c] = static_cast<uint16_t>(value);
        else
          mat.ptr<uint8_t>(y)[x * channels + c] = static_cast<uint8_t>(value);
      }
  return mat;
}

bool identical(const cv::Mat& a, const cv::Mat& b) {
  return a.size() == b.size() && a.type() == b.type() && cv::norm(a, b, cv::NORM_INF) == 0;
}

TEST_F(ImageFiles, EightBitColourRoundTripsExactlyInRgbOrder) {
  const cv::Mat original = gradient(CV_8U, 3);  // OpenCV's BGR
  ASSERT_TRUE(cv::imwrite((dir_ / "in.png").string(), original));
  const Image image = read_image(dir_ / "in.png");
  EXPECT_EQ(image.bits(), 8);
  EXPECT_FALSE(image.grayscale());
  EXPECT_EQ(image.pixels.type(), CV_8UC3);
  EXPECT_EQ(image.pixels.at<cv::Vec3b>(0, 1)[0], original.at<cv::Vec3b>(0, 1)[2]);
  write_image(dir_ / "out.png", image);
  EXPECT_TRUE(identical(cv::imread((dir_ / "out.png").string(), cv::IMREAD_UNCHANGED), original));
}

TEST_F(ImageFiles, SixteenBitKeepsItsDepthAndEveryValue) {
  const cv::Mat original = gradient(CV_16U, 3);
  ASSERT_TRUE(cv::imwrite((dir_ / "in.png").string(), original));
  const Image image = read_image(dir_ / "in.png");
  EXPECT_EQ(image.bits(), 16);
  write_image(dir_ / "out.png", image);
  EXPECT_TRUE(identical(cv::imread((dir_ / "out.png").string(), cv::IMREAD_UNCHANGED), original));
}

TEST_F(ImageFiles, GrayStaysGrayAndAlphaIsKept) {
  const cv::Mat gray = gradient(CV_8U, 1);
  ASSERT_TRUE(cv::imwrite((dir_ / "gray.png").string(), gray));
  const Image gray_image = read_image(dir_ / "gray.png");
  EXPECT_TRUE(gray_image.grayscale());
  write_image(dir_ / "gray_out.png", gray_image);
  EXPECT_TRUE(identical(cv::imread((dir_ / "gray_out.png").string(), cv::IMREAD_UNCHANGED), gray));

  const cv::Mat rgba = gradient(CV_8U, 4);
  ASSERT_TRUE(cv::imwrite((dir_ / "rgba.png").string(), rgba));
  const Image rgba_image = read_image(dir_ / "rgba.png");
  ASSERT_TRUE(rgba_image.has_alpha());
  write_image(dir_ / "rgba_out.png", rgba_image);
  EXPECT_TRUE(identical(cv::imread((dir_ / "rgba_out.png").string(), cv::IMREAD_UNCHANGED), rgba));
}

TEST_F(ImageFiles, UnreadableInputsAreBadInputNamingTheFile) {
  std::ofstream(dir_ / "broken.png") << "\x89PNG\r\n\x1a\n not really";
  std::ofstream(dir_ / "empty.jpg");
  for (const char* name : {"broken.png", "empty.jpg", "missing.png"}) {
    try {
      read_image(dir_ / name);
      FAIL() << name << " was accepted";
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::BadInput);
      EXPECT_NE(std::string(error.what()).find(name), std::string::npos) << error.what();
    }
  }
}

TEST_F(ImageFiles, AnUnwritableTargetFailsAndLeavesNothingBehind) {
  const Image image = image_from_rgb_tensor(torch::rand({1, 3, 8, 8}), 8);
  try {
    write_image(dir_ / "no-such-folder" / "out.png", image);
    FAIL() << "write into a missing folder succeeded";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Failed);
  }
  write_image(dir_ / "out.png", image);
  size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir_)) ++files;
  EXPECT_EQ(files, 1u) << "a temporary file was left behind";
}

// ---- inputs that must work ----------------------------------------------------------------------

TEST_F(ImageFiles, SixteenBitRgbaTiffKeepsDepthAlphaAndEveryValue) {
  const cv::Mat original = gradient(CV_16U, 4);
  ASSERT_TRUE(cv::imwrite((dir_ / "in.tif").string(), original));
  const Image image = read_image(dir_ / "in.tif");
  EXPECT_EQ(image.pixels.type(), CV_16UC4);
  write_image(dir_ / "out.tif", image);
  EXPECT_TRUE(identical(cv::imread((dir_ / "out.tif").string(), cv::IMREAD_UNCHANGED), original));
}

TEST_F(ImageFiles, GrayAlphaPngStaysTwoChannels) {
  std::vector<uint8_t> rows;
  for (int i = 0; i < 6 * 4; ++i) rows.insert(rows.end(), {static_cast<uint8_t>(i * 10), static_cast<uint8_t>(255 - i)});
  test::write_file(dir_ / "ga.png", test::png_bytes(6, 4, 8, 4, rows));
  const Image image = read_image(dir_ / "ga.png");
  ASSERT_EQ(image.pixels.type(), CV_8UC2);
  EXPECT_EQ(image.pixels.at<cv::Vec2b>(1, 2), cv::Vec2b(80, 247));
  write_image(dir_ / "out.png", image);
  const Image again = read_image(dir_ / "out.png");
  EXPECT_TRUE(again.grayscale());
  EXPECT_TRUE(again.has_alpha());
  EXPECT_EQ(cv::norm(again.pixels, image.pixels, cv::NORM_INF), 0);
}

TEST_F(ImageFiles, PalettePngReadsAsItsColours) {
  const std::vector<uint8_t> palette = {255, 0, 0, 0, 255, 0, 0, 0, 255};
  const std::vector<uint8_t> rows = {0, 1, 2, 2, 1, 0};
  test::write_file(dir_ / "palette.png", test::png_bytes(3, 2, 8, 3, rows, {{"PLTE", palette}}));
  const Image image = read_image(dir_ / "palette.png");
  ASSERT_EQ(image.pixels.type(), CV_8UC3);
  EXPECT_EQ(image.pixels.at<cv::Vec3b>(0, 0), cv::Vec3b(255, 0, 0));  // R,G,B order
  EXPECT_EQ(image.pixels.at<cv::Vec3b>(0, 2), cv::Vec3b(0, 0, 255));
  EXPECT_EQ(image.pixels.at<cv::Vec3b>(1, 1), cv::Vec3b(0, 255, 0));
}

TEST_F(ImageFiles, OnePixelImagesInEveryFormat) {
  const cv::Mat pixel(1, 1, CV_8UC3, cv::Scalar(10, 120, 240));
  for (const char* name : {"one.png", "one.jpg", "one.tif", "one.webp", "one.bmp"}) {
    ASSERT_TRUE(cv::imwrite((dir_ / name).string(), pixel)) << name;
    const Image image = read_image(dir_ / name);
    EXPECT_EQ(image.width(), 1) << name;
    EXPECT_EQ(image.height(), 1) << name;
    EXPECT_NEAR(image.pixels.at<cv::Vec3b>(0, 0)[0], 240, 6) << name;  // BGR file, RGB image
    write_image(dir_ / (std::string("out-") + name), image);
  }
}

TEST_F(ImageFiles, CmykJpegBecomesRgb) {
  test::write_file(dir_ / "cmyk.jpg", test::cmyk_jpeg_bytes(16, 8, cv::Vec3b(200, 100, 50)));
  const Image image = read_image(dir_ / "cmyk.jpg");
  ASSERT_EQ(image.pixels.type(), CV_8UC3);
  const cv::Vec3b pixel = image.pixels.at<cv::Vec3b>(4, 8);
  EXPECT_NEAR(pixel[0], 200, 3);
  EXPECT_NEAR(pixel[1], 100, 3);
  EXPECT_NEAR(pixel[2], 50, 3);
}

/// A 2x3 image whose six pixels differ, to see which way it was turned.
cv::Mat six_pixels() {
  cv::Mat mat(2, 3, CV_8UC3);
  for (int i = 0; i < 6; ++i) mat.at<cv::Vec3b>(i / 3, i % 3) = cv::Vec3b(static_cast<uint8_t>(40 * i), 0, 0);
  return mat;
}

TEST_F(ImageFiles, ExifOrientationIsAppliedExactlyOnce) {
  const cv::Mat stored = six_pixels();  // BGR: the value is in blue, channel 2 of the read image
  struct Case { int orientation; int rows; int cols; int expected[6]; };
  // What a viewer shows for each orientation, row by row (stored pixels numbered 0..5).
  const Case cases[] = {{3, 2, 3, {5, 4, 3, 2, 1, 0}}, {6, 3, 2, {3, 0, 4, 1, 5, 2}}, {8, 3, 2, {2, 5, 1, 4, 0, 3}}};
  for (const Case& c : cases) {
    const auto path = dir_ / ("o" + std::to_string(c.orientation) + ".png");
    ASSERT_TRUE(cv::imwrite(path.string(), stored));
    test::set_orientation(path, c.orientation);
    const Image image = read_image(path);
    ASSERT_EQ(image.height(), c.rows) << c.orientation;
    ASSERT_EQ(image.width(), c.cols) << c.orientation;
    for (int i = 0; i < 6; ++i)
      EXPECT_EQ(image.pixels.at<cv::Vec3b>(i / c.cols, i % c.cols)[2], 40 * c.expected[i]) << c.orientation << " " << i;
    // Written upright with Orientation 1: reading the output turns nothing again.
    write_image(dir_ / "upright.png", image);
    const Image again = read_image(dir_ / "upright.png");
    EXPECT_EQ(again.metadata.orientation(), 1);
    EXPECT_EQ(cv::norm(again.pixels, image.pixels, cv::NORM_INF), 0) << c.orientation;
  }
}

TEST_F(ImageFiles, ExifOrientationSixOnAJpeg) {
  cv::Mat stored(16, 32, CV_8UC3, cv::Scalar(0, 0, 0));
  stored(cv::Rect(0, 0, 16, 16)).setTo(cv::Scalar(255, 255, 255));  // white left half
  ASSERT_TRUE(cv::imwrite((dir_ / "o6.jpg").string(), stored));
  test::set_orientation(dir_ / "o6.jpg", 6);
  const Image image = read_image(dir_ / "o6.jpg");
  ASSERT_EQ(image.width(), 16);
  ASSERT_EQ(image.height(), 32);
  EXPECT_GT(image.pixels.at<cv::Vec3b>(4, 8)[0], 200);   // the left half is now on top
  EXPECT_LT(image.pixels.at<cv::Vec3b>(28, 8)[0], 50);
}

TEST_F(ImageFiles, NonAsciiAndSpacePathsReadAndWrite) {
  const auto folder = dir_ / "Fotos mit Ümlaut 写真";
  std::filesystem::create_directories(folder);
  const cv::Mat original = gradient(CV_8U, 3);
  std::vector<uint8_t> encoded;
  ASSERT_TRUE(cv::imencode(".png", original, encoded));
  test::write_file(folder / "été 2024.png", encoded);
  const Image image = read_image(folder / "été 2024.png");
  write_image(folder / "été 2024 restauré.png", image);
  EXPECT_TRUE(identical(cv::imdecode(test::read_file(folder / "été 2024 restauré.png"), cv::IMREAD_UNCHANGED), original));
}

TEST_F(ImageFiles, SixteenBitPngWithIccProfileKeepsTheProfile) {
  ASSERT_TRUE(cv::imwrite((dir_ / "icc.png").string(), gradient(CV_16U, 3)));
  const auto profile = test::icc_profile("RGB ");
  test::set_icc_profile(dir_ / "icc.png", profile);
  const Image image = read_image(dir_ / "icc.png");
  EXPECT_EQ(image.metadata.icc_profile(), profile);
  write_image(dir_ / "out.png", image);
  const Image again = read_image(dir_ / "out.png");
  EXPECT_EQ(again.bits(), 16);
  EXPECT_EQ(again.metadata.icc_profile(), profile);
}

TEST_F(ImageFiles, ExifXmpIptcAreCarriedWithNewDimensionsAndSoftware) {
  ASSERT_TRUE(cv::imwrite((dir_ / "tagged.jpg").string(), gradient(CV_8U, 3)));
  test::add_sample_metadata(dir_ / "tagged.jpg");
  const Image image = read_image(dir_ / "tagged.jpg");
  // As an SR output would be: twice the size, same metadata.
  Image bigger = make_output_like(image, image.width() * 2, image.height() * 2);
  store_rgb(bigger, bigger.bounds(), torch::rand({1, 3, image.height() * 2, image.width() * 2}));
  write_image(dir_ / "out.jpg", bigger);
  const Image again = read_image(dir_ / "out.jpg");
  std::vector<std::string> keys = again.metadata.keys();
  for (const char* key : {"Exif.Image.Make", "Exif.Image.Model", "Exif.Photo.DateTimeOriginal", "Exif.Photo.ExposureTime",
                          "Iptc.Application2.Caption", "Iptc.Application2.Keywords", "Xmp.dc.creator", "Xmp.xmp.Rating"})
    EXPECT_NE(std::find(keys.begin(), keys.end(), key), keys.end()) << key << " was lost";
  const auto tags = test::exif_values(dir_ / "out.jpg");
  EXPECT_EQ(tags.at("Exif.Photo.PixelXDimension"), std::to_string(image.width() * 2));
  EXPECT_EQ(tags.at("Exif.Photo.PixelYDimension"), std::to_string(image.height() * 2));
  EXPECT_EQ(tags.at("Exif.Image.Software").rfind("Restora ", 0), 0u) << tags.at("Exif.Image.Software");
}

TEST_F(ImageFiles, ACmykProfileIsNeverAttachedToTheRgbOutput) {
  test::write_file(dir_ / "cmyk.jpg", test::cmyk_jpeg_bytes(8, 8, cv::Vec3b(10, 20, 30)));
  test::set_icc_profile(dir_ / "cmyk.jpg", test::icc_profile("CMYK"));
  const Image image = read_image(dir_ / "cmyk.jpg");
  EXPECT_EQ(image.metadata.icc_colour_space(), "CMYK");
  write_image(dir_ / "out.png", image);
  EXPECT_TRUE(read_image(dir_ / "out.png").metadata.icc_profile().empty());
}

// ---- inputs that must be refused: one line naming the file, nothing decoded -------------------

void expect_refused(const std::filesystem::path& path, const std::string& reason_part, const ReadOptions& options = {}) {
  const auto before = test::read_file(path);
  try {
    read_image(path, options);
    ADD_FAILURE() << path << " was accepted";
  } catch (const Error& error) {
    const std::string message = error.what();
    EXPECT_EQ(error.kind(), ErrorKind::BadInput) << message;
    EXPECT_NE(message.find(path.filename().string()), std::string::npos) << message;
    EXPECT_NE(message.find(reason_part), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
  EXPECT_EQ(test::read_file(path), before) << "the input changed";
}

TEST_F(ImageFiles, EmptyAndTextFilesAreRefused) {
  test::write_file(dir_ / "empty.png", {});
  expect_refused(dir_ / "empty.png", "empty");
  std::ofstream(dir_ / "notes.png") << "just some text, not an image\n";
  expect_refused(dir_ / "notes.png", "not an image");
}

TEST_F(ImageFiles, TruncatedPngAndJpegAreRefused) {
  std::vector<uint8_t> png, jpeg;
  cv::Mat noise(64, 64, CV_8UC3);
  cv::randu(noise, 0, 256);
  ASSERT_TRUE(cv::imencode(".png", noise, png));
  ASSERT_TRUE(cv::imencode(".jpg", noise, jpeg));
  for (size_t keep : {png.size() - 12, png.size() / 2}) {
    test::write_file(dir_ / "cut.png", std::vector<uint8_t>(png.begin(), png.begin() + static_cast<long>(keep)));
    expect_refused(dir_ / "cut.png", "truncated");
  }
  test::write_file(dir_ / "cut.jpg", std::vector<uint8_t>(jpeg.begin(), jpeg.begin() + static_cast<long>(jpeg.size() * 2 / 3)));
  expect_refused(dir_ / "cut.jpg", "Premature end of JPEG file");
}

TEST_F(ImageFiles, AHugeHeaderIsRefusedBeforeDecoding) {
  // 13000 x 13000 = 169 MP: over the default 150 MP limit, under OpenCV's own; the rows are not there.
  test::write_file(dir_ / "bomb.png", test::png_bytes(13000, 13000, 8, 0, std::vector<uint8_t>(13000, 0)));
  expect_refused(dir_ / "bomb.png", "13000x13000 pixels is over the limit of 150000000");
  ASSERT_TRUE(cv::imwrite((dir_ / "small.png").string(), gradient(CV_8U, 3)));  // 23 x 17 = 391 pixels
  ReadOptions tight;
  tight.max_pixels = 390;
  expect_refused(dir_ / "small.png", "over the limit of 390", tight);
  tight.max_pixels = 391;
  EXPECT_NO_THROW(read_image(dir_ / "small.png", tight));
}

// ---- writing: failures leave nothing --------------------------------------------------------------

size_t files_in(const std::filesystem::path& dir) {
  size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++files;
  return files;
}

TEST_F(ImageFiles, AFullDiskOrUnwritableFolderFailsWithNoPartialOutput) {
  const Image image = image_from_rgb_tensor(torch::rand({1, 3, 32, 32}), 8);
  write_image(dir_ / "kept.png", image);
  const auto kept = test::read_file(dir_ / "kept.png");
  for (WriteFault fault : {WriteFault::FullDisk, WriteFault::UnwritableFolder}) {
    inject_write_fault(fault);
    for (const char* name : {"new.png", "kept.png"}) {
      try {
        write_image(dir_ / name, image_from_rgb_tensor(torch::rand({1, 3, 32, 32}), 8));
        ADD_FAILURE() << "the write succeeded";
      } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::Failed);
        EXPECT_NE(std::string(error.what()).find(name), std::string::npos) << error.what();
      }
    }
    inject_write_fault(WriteFault::None);
    EXPECT_EQ(files_in(dir_), 1u) << "a partial or temporary file was left";
    EXPECT_EQ(test::read_file(dir_ / "kept.png"), kept) << "the existing file was touched";
  }
}

TEST_F(ImageFiles, InterruptedWritesAreCleanedUpForTheirTargetOnly) {
  test::write_file(dir_ / ".a.png.restora-123.tmp", {1, 2, 3});
  test::write_file(dir_ / ".b.png.restora-456.tmp", {1, 2, 3});
  remove_interrupted_writes(dir_ / "a.png");
  EXPECT_FALSE(std::filesystem::exists(dir_ / ".a.png.restora-123.tmp"));
  EXPECT_TRUE(std::filesystem::exists(dir_ / ".b.png.restora-456.tmp"));
}

TEST_F(ImageFiles, JpegQualityAndSixteenBitToEightBitFormats) {
  cv::Mat noise(64, 64, CV_16UC3);
  cv::randu(noise, 0, 65536);
  std::vector<uint8_t> encoded;
  ASSERT_TRUE(cv::imencode(".png", noise, encoded));
  test::write_file(dir_ / "deep.png", encoded);
  const Image image = read_image(dir_ / "deep.png");
  WriteOptions low, high;
  low.quality = 20;
  high.quality = 98;
  write_image(dir_ / "low.jpg", image, low);
  write_image(dir_ / "high.jpg", image, high);
  EXPECT_LT(std::filesystem::file_size(dir_ / "low.jpg"), std::filesystem::file_size(dir_ / "high.jpg"));
  EXPECT_EQ(read_image(dir_ / "high.jpg").bits(), 8);
  write_image(dir_ / "deep.webp", image);
  EXPECT_EQ(read_image(dir_ / "deep.webp").bits(), 8);
}

TEST(RealPhotos, ACbsd68PhotoReadsAsColourEightBit) {
  const Image image = read_image(test::shared_path("data/CBSD68/3096.png"));
  EXPECT_EQ(image.bits(), 8);
  EXPECT_EQ(image.pixels.channels(), 3);
  EXPECT_GT(image.width() * image.height(), 100000);
}

}  // namespace
}  // namespace restora
