#include "io/image.h"

#include "common/error.h"
#include "support/shared_data.h"

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <torch/torch.h>

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

TEST_F(ImageFiles, EightBitColourRoundTripsExactly) {
  const cv::Mat original = gradient(CV_8U, 3);
  ASSERT_TRUE(cv::imwrite((dir_ / "in.png").string(), original));
  const Image image = read_image(dir_ / "in.png");
  EXPECT_EQ(image.bits, 8);
  EXPECT_FALSE(image.grayscale);
  EXPECT_EQ(image.rgb.sizes(), (std::vector<int64_t>{1, 3, 17, 23}));
  // OpenCV stores BGR: the tensor's first plane is the file's third channel.
  EXPECT_FLOAT_EQ(image.rgb[0][0][0][1].item<float>(), original.at<cv::Vec3b>(0, 1)[2] / 255.0f);
  write_image(dir_ / "out.png", image);
  EXPECT_TRUE(identical(cv::imread((dir_ / "out.png").string(), cv::IMREAD_UNCHANGED), original));
}

TEST_F(ImageFiles, SixteenBitKeepsItsDepthAndEveryValue) {
  const cv::Mat original = gradient(CV_16U, 3);
  ASSERT_TRUE(cv::imwrite((dir_ / "in.png").string(), original));
  const Image image = read_image(dir_ / "in.png");
  EXPECT_EQ(image.bits, 16);
  write_image(dir_ / "out.png", image);
  EXPECT_TRUE(identical(cv::imread((dir_ / "out.png").string(), cv::IMREAD_UNCHANGED), original));
}

TEST_F(ImageFiles, GrayStaysGrayAndAlphaIsKept) {
  const cv::Mat gray = gradient(CV_8U, 1);
  ASSERT_TRUE(cv::imwrite((dir_ / "gray.png").string(), gray));
  const Image gray_image = read_image(dir_ / "gray.png");
  EXPECT_TRUE(gray_image.grayscale);
  write_image(dir_ / "gray_out.png", gray_image);
  EXPECT_TRUE(identical(cv::imread((dir_ / "gray_out.png").string(), cv::IMREAD_UNCHANGED), gray));

  const cv::Mat rgba = gradient(CV_8U, 4);
  ASSERT_TRUE(cv::imwrite((dir_ / "rgba.png").string(), rgba));
  const Image rgba_image = read_image(dir_ / "rgba.png");
  ASSERT_TRUE(rgba_image.alpha.has_value());
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
  Image image;
  image.rgb = torch::rand({1, 3, 8, 8});
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

TEST(RealPhotos, ACbsd68PhotoReadsAsColourEightBit) {
  const Image image = read_image(test::shared_path("data/CBSD68/3096.png"));
  EXPECT_EQ(image.bits, 8);
  EXPECT_EQ(image.rgb.size(1), 3);
  EXPECT_GT(image.rgb.size(2) * image.rgb.size(3), 100000);
}

}  // namespace
}  // namespace restora
