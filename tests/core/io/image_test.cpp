// The in-memory Image: region conversions to and from the networks' float tensors.
#include "io/image.h"

#include "common/error.h"

#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <torch/torch.h>

namespace restora {
namespace {

cv::Mat pattern(int rows, int cols, int depth, int channels) {
  cv::Mat mat(rows, cols, CV_MAKETYPE(depth, channels));
  cv::randu(mat, 0, depth == CV_16U ? 65536 : 256);
  return mat;
}

Image image_of(const cv::Mat& pixels) {
  Image image;
  image.pixels = pixels;
  return image;
}

TEST(ImageLayout, DescribesItsPixels) {
  EXPECT_EQ(image_of(pattern(4, 5, CV_16U, 2)).bits(), 16);
  EXPECT_TRUE(image_of(pattern(4, 5, CV_16U, 2)).grayscale());
  EXPECT_TRUE(image_of(pattern(4, 5, CV_16U, 2)).has_alpha());
  EXPECT_FALSE(image_of(pattern(4, 5, CV_8U, 3)).has_alpha());
  EXPECT_FALSE(image_of(pattern(4, 5, CV_8U, 4)).grayscale());
  EXPECT_EQ(image_of(pattern(4, 5, CV_8U, 4)).width(), 5);
  EXPECT_EQ(image_of(pattern(4, 5, CV_8U, 4)).height(), 4);
}

TEST(ImageRegions, RgbTensorOfARegionIsThatRegionInChannelOrderRgb) {
  const Image image = image_of(pattern(9, 11, CV_8U, 4));
  const cv::Rect region(3, 2, 5, 4);
  const torch::Tensor rgb = rgb_tensor(image, region);
  ASSERT_EQ(rgb.sizes(), (std::vector<int64_t>{1, 3, 4, 5}));
  for (int c = 0; c < 3; ++c)
    EXPECT_FLOAT_EQ(rgb[0][c][1][2].item<float>(), image.pixels.at<cv::Vec4b>(3, 5)[c] / 255.0f);
  EXPECT_FLOAT_EQ(alpha_tensor(image, region)[0][0][1][2].item<float>(), image.pixels.at<cv::Vec4b>(3, 5)[3] / 255.0f);
}

TEST(ImageRegions, GrayIsReplicatedAndAnImageWithoutAlphaIsOpaque) {
  const Image image = image_of(pattern(6, 7, CV_16U, 1));
  const torch::Tensor rgb = rgb_tensor(image);
  EXPECT_TRUE(torch::equal(rgb.select(1, 0), rgb.select(1, 2)));
  EXPECT_FLOAT_EQ(rgb[0][1][5][6].item<float>(), image.pixels.at<uint16_t>(5, 6) / 65535.0f);
  EXPECT_TRUE(torch::equal(alpha_tensor(image, image.bounds()), torch::ones({1, 1, 6, 7})));
}

TEST(ImageRegions, StoringWhatWasReadRestoresEveryValueAtBothDepths) {
  for (int depth : {CV_8U, CV_16U})
    for (int channels : {3, 4}) {
      const Image original = image_of(pattern(10, 13, depth, channels));
      Image copy = make_output_like(original, 13, 10);
      // Two regions that tile the image, stored separately as the tiled engine will.
      for (const cv::Rect& region : {cv::Rect(0, 0, 13, 6), cv::Rect(0, 6, 13, 4)})
        store_rgb(copy, region, rgb_tensor(original, region));
      EXPECT_EQ(cv::norm(copy.pixels, original.pixels, cv::NORM_INF), 0) << depth << " " << channels;
    }
}

TEST(ImageRegions, StoreClampsAndRoundsHalfUp) {
  Image image = image_of(cv::Mat(1, 4, CV_8UC3, cv::Scalar(0, 0, 0)));
  const auto values = torch::tensor({-0.5f, 2.0f, 10.5f / 255.0f, 10.49f / 255.0f});
  store_rgb(image, image.bounds(), values.view({1, 1, 1, 4}).expand({1, 3, 1, 4}));
  const std::vector<int> expected = {0, 255, 11, 10};
  for (int x = 0; x < 4; ++x) EXPECT_EQ(image.pixels.at<cv::Vec3b>(0, x)[1], expected[x]) << x;
}

TEST(ImageRegions, GrayOutputsReceiveTheLuminanceAndAlphaIsUntouched) {
  Image image = image_of(cv::Mat(2, 2, CV_8UC2, cv::Scalar(0, 77)));
  auto rgb = torch::zeros({1, 3, 2, 2});
  rgb.select(1, 0).fill_(1.0);  // pure red: BT.601 luminance 0.299
  store_rgb(image, image.bounds(), rgb);
  EXPECT_EQ(image.pixels.at<cv::Vec2b>(1, 1)[0], 76);  // 0.299 * 255 = 76.2
  EXPECT_EQ(image.pixels.at<cv::Vec2b>(1, 1)[1], 77);
  store_alpha(image, cv::Rect(0, 0, 1, 1), torch::ones({1, 1, 1, 1}));
  EXPECT_EQ(image.pixels.at<cv::Vec2b>(0, 0)[1], 255);
  EXPECT_EQ(image.pixels.at<cv::Vec2b>(0, 1)[1], 77);
}

TEST(ImageRegions, ARegionOutsideTheImageOrAMismatchedTensorIsAnInternalError) {
  Image image = image_of(pattern(4, 4, CV_8U, 3));
  EXPECT_THROW(rgb_tensor(image, cv::Rect(2, 2, 3, 2)), Error);
  EXPECT_THROW(store_rgb(image, cv::Rect(0, 0, 2, 2), torch::zeros({1, 3, 2, 3})), Error);
  EXPECT_THROW(store_alpha(image, cv::Rect(0, 0, 2, 2), torch::zeros({1, 1, 2, 2})), Error);  // no alpha
}

TEST(ImageOutput, MakeOutputLikeKeepsLayoutDepthMetadataAndResizesAlpha) {
  Image input = image_of(cv::Mat(3, 5, CV_16UC4, cv::Scalar(1, 2, 3, 50000)));
  input.metadata.set_icc_profile({1, 2, 3});
  const Image output = make_output_like(input, 10, 6);
  EXPECT_EQ(output.pixels.type(), CV_16UC4);
  EXPECT_EQ(output.width(), 10);
  EXPECT_EQ(output.height(), 6);
  EXPECT_EQ(output.metadata.icc_profile(), input.metadata.icc_profile());
  EXPECT_EQ(output.pixels.at<cv::Vec4w>(5, 9), cv::Vec4w(0, 0, 0, 50000));
}

TEST(ImageOutput, FromRgbTensorAtEitherDepth) {
  const auto rgb = torch::rand({1, 3, 5, 6});
  const Image eight = image_from_rgb_tensor(rgb, 8);
  const Image sixteen = image_from_rgb_tensor(rgb, 16);
  EXPECT_EQ(eight.pixels.type(), CV_8UC3);
  EXPECT_EQ(sixteen.pixels.type(), CV_16UC3);
  EXPECT_LE((rgb_tensor(sixteen) - rgb).abs().max().item<float>(), 0.5f / 65535.0f + 1e-7f);
  EXPECT_LE((rgb_tensor(eight) - rgb).abs().max().item<float>(), 0.5f / 255.0f + 1e-7f);
}

}  // namespace
}  // namespace restora
