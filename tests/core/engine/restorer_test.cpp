#include "engine/restorer.h"

#include "common/error.h"

#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <torch/torch.h>

#include <cmath>

namespace restora {
namespace {

/// A stand-in network: checks the size rule like the real ones and returns a known function of
/// its input, so the engine's preparation, padding and cropping can be verified exactly.
class ShiftNetworkImpl : public RestorationNetworkImpl {
 public:
  explicit ShiftNetworkImpl(int64_t in_channels) : in_channels_(in_channels) {}
  std::vector<torch::Tensor> forward_stages(const torch::Tensor& input) override {
    EXPECT_EQ(input.size(2) % size_multiple(), 0);
    EXPECT_EQ(input.size(3) % size_multiple(), 0);
    ++calls;
    return {input.slice(1, 0, 3) + 0.25, input.slice(1, 0, 3) - 0.5};
  }
  size_t final_index() const override { return 1; }
  int64_t size_multiple() const override { return 8; }
  int64_t input_channels() const override { return in_channels_; }
  double gflop(int64_t, int64_t) const override { return 0.0; }
  int calls = 0;

 private:
  int64_t in_channels_;
};

TEST(Restorer, PadsRunsTheFinalStageCropsAndClamps) {
  auto network = std::make_shared<ShiftNetworkImpl>(3);
  Restorer restorer(network, {"Shift", "", 1, false}, torch::kCPU);
  const auto image = torch::rand({1, 3, 21, 30});
  std::vector<double> progress;
  const auto output = restorer.restore(image, {}, [&](double f) { progress.push_back(f); });
  ASSERT_EQ(output.sizes(), image.sizes());
  EXPECT_TRUE(torch::allclose(output, (image - 0.5).clamp(0.0, 1.0)));
  EXPECT_EQ(network->calls, 1);
  ASSERT_FALSE(progress.empty());
  EXPECT_EQ(progress.back(), 1.0);
}

TEST(Restorer, SuperResolutionModelsGetTheirInputUpscaledFirst) {
  Restorer restorer(std::make_shared<ShiftNetworkImpl>(3), {"Shift", "sr_x3", 3, false}, torch::kCPU);
  const auto output = restorer.restore(torch::rand({1, 3, 10, 7}));
  EXPECT_EQ(output.sizes(), (std::vector<int64_t>{1, 3, 30, 21}));
}

TEST(Restorer, DualPixelModelsNeedAMatchingRightView) {
  Restorer restorer(std::make_shared<ShiftNetworkImpl>(6), {"Shift", "defocus", 1, true}, torch::kCPU);
  const auto left = torch::rand({1, 3, 16, 16});
  EXPECT_THROW(restorer.restore(left), Error);
  EXPECT_THROW(restorer.restore(left, torch::rand({1, 3, 16, 17})), Error);
  EXPECT_EQ(restorer.prepare_input(left, torch::rand({1, 3, 16, 16})).size(1), 6);
}

TEST(Restorer, ARightViewForAnOrdinaryModelIsBadUsage) {
  Restorer restorer(std::make_shared<ShiftNetworkImpl>(3), {"Shift", "", 1, false}, torch::kCPU);
  try {
    restorer.restore(torch::rand({1, 3, 8, 8}), torch::rand({1, 3, 8, 8}));
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::BadUsage);
  }
}

TEST(Restorer, ACancelledJobStopsWithoutRunningTheNetwork) {
  auto network = std::make_shared<ShiftNetworkImpl>(3);
  Restorer restorer(network, {"Shift", "", 1, false}, torch::kCPU);
  std::atomic<bool> cancel{true};
  EXPECT_THROW(restorer.restore(torch::rand({1, 3, 8, 8}), {}, {}, &cancel), Error);
  EXPECT_EQ(network->calls, 0);
}

}  // namespace
}  // namespace restora

namespace restora {
namespace {

TEST(RestoreImage, CarriesAlphaDepthAndGrayOverAndResizesAlphaForSr) {
  Restorer restorer(std::make_shared<ShiftNetworkImpl>(3), {"Shift", "sr_x2", 2, false}, torch::kCPU);
  Image image;
  image.pixels = cv::Mat(8, 12, CV_16UC2, cv::Scalar(40000, 65535));  // gray + opaque alpha, 16-bit
  image.metadata.set_icc_profile({1, 2, 3});
  const Image result = restore_image(restorer, image);
  EXPECT_EQ(result.width(), 24);
  EXPECT_EQ(result.height(), 16);
  EXPECT_EQ(result.bits(), 16);
  EXPECT_TRUE(result.grayscale());
  ASSERT_TRUE(result.has_alpha());
  EXPECT_EQ(result.metadata.icc_profile(), image.metadata.icc_profile());
  // The stand-in network subtracts 0.5 from its (bicubic-upscaled, flat) input; gray gets its luminance.
  const uint16_t expected_gray = static_cast<uint16_t>(std::floor((40000.0 / 65535.0 - 0.5) * 65535.0 + 0.5));
  for (int y = 0; y < result.pixels.rows; ++y)
    for (int x = 0; x < result.pixels.cols; ++x) {
      const auto pixel = result.pixels.at<cv::Vec2w>(y, x);
      ASSERT_NEAR(pixel[0], expected_gray, 1) << x << "," << y;
      ASSERT_EQ(pixel[1], 65535) << x << "," << y;
    }
}

}  // namespace
}  // namespace restora
