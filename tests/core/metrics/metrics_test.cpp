#include "metrics/metrics.h"

#include "common/error.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <limits>
#include <vector>

namespace restora {
namespace {

/// Wang et al.'s SSIM written out with loops, independent of the library's convolution: at each
/// valid position of the 11x11 window, Gaussian-weighted means, variances and covariance.
double ssim_by_loops(const torch::Tensor& x_in, const torch::Tensor& y_in) {
  auto x = x_in.to(torch::kFloat64).contiguous();
  auto y = y_in.to(torch::kFloat64).contiguous();
  std::vector<double> g(11);
  double g_sum = 0;
  for (int i = 0; i < 11; ++i) g_sum += g[i] = std::exp(-(i - 5) * (i - 5) / (2 * 1.5 * 1.5));
  for (auto& v : g) v /= g_sum;
  const int64_t channels = x.size(1), h = x.size(2), w = x.size(3);
  const double c1 = 6.5025, c2 = 58.5225;  // (0.01 * 255)^2, (0.03 * 255)^2
  auto xa = x.accessor<double, 4>();
  auto ya = y.accessor<double, 4>();
  double total = 0;
  for (int64_t c = 0; c < channels; ++c) {
    double channel_sum = 0;
    for (int64_t top = 0; top + 11 <= h; ++top)
      for (int64_t left = 0; left + 11 <= w; ++left) {
        double mx = 0, my = 0;
        for (int i = 0; i < 11; ++i)
          for (int j = 0; j < 11; ++j) {
            mx += g[i] * g[j] * xa[0][c][top + i][left + j];
            my += g[i] * g[j] * ya[0][c][top + i][left + j];
          }
        double vx = 0, vy = 0, cxy = 0;
        for (int i = 0; i < 11; ++i)
          for (int j = 0; j < 11; ++j) {
            const double dx = xa[0][c][top + i][left + j] - mx, dy = ya[0][c][top + i][left + j] - my;
            vx += g[i] * g[j] * dx * dx;
            vy += g[i] * g[j] * dy * dy;
            cxy += g[i] * g[j] * dx * dy;
          }
        channel_sum += ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
      }
    total += channel_sum / static_cast<double>((h - 10) * (w - 10));
  }
  return total / static_cast<double>(channels);
}

TEST(Ssim, OfAWideImageComputedInStripsOfRowsEqualsTheLoops) {
  // 20000 px wide: the map is computed a few rows at a time (memory), and must not change.
  torch::manual_seed(5);
  const auto x = torch::rand({1, 1, 20, 20000}, torch::kFloat64);
  const auto y = (x + 0.1 * torch::randn_like(x)).clamp(0, 1);
  EXPECT_NEAR(ssim(x, y), ssim_by_loops(x * 255, y * 255), 1e-10);
}

TEST(Psnr, OfAUniformErrorOfOneTenthIsTwentyDecibels) {
  auto reference = torch::full({1, 3, 8, 9}, 0.5, torch::kFloat64);
  EXPECT_NEAR(psnr(reference + 0.1, reference), 20.0, 1e-9);
  // The same on the 0-255 scale: an error of 25.5 is a tenth of the peak.
  MetricOptions on_255;
  on_255.data_range = 255.0;
  EXPECT_NEAR(psnr(reference * 255 + 25.5, reference * 255, on_255), 20.0, 1e-9);
}

TEST(Psnr, OfIdenticalImagesIsInfinite) {
  auto image = torch::rand({1, 3, 5, 5});
  EXPECT_EQ(psnr(image, image), std::numeric_limits<double>::infinity());
}

TEST(Psnr, IgnoresTheCroppedBorder) {
  auto reference = torch::full({1, 1, 10, 10}, 0.5, torch::kFloat64);
  auto restored = reference.clone();
  restored.narrow(2, 0, 2).fill_(0.0);      // damage only within the two-pixel border
  restored.narrow(3, 8, 2).fill_(1.0);
  restored.narrow(2, 4, 1).narrow(3, 4, 1).add_(0.2);  // and one interior pixel
  MetricOptions crop;
  crop.crop_border = 2;
  // One of 36 kept pixels is off by 0.2: MSE = 0.04 / 36.
  EXPECT_NEAR(psnr(restored, reference, crop), 10.0 * std::log10(36.0 / 0.04), 1e-9);
}

TEST(Psnr, AveragesPerImageValuesOverABatch) {
  auto reference = torch::full({2, 3, 4, 4}, 0.5, torch::kFloat64);
  auto restored = reference.clone();
  restored[0].add_(0.1);   // 20 dB
  restored[1].add_(0.01);  // 40 dB
  EXPECT_NEAR(psnr(restored, reference), 30.0, 1e-9);
}

TEST(Bt601Y, UsesTheStudioRangeOfMatlabsRgb2ycbcr) {
  auto colours = torch::tensor({1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0},
                               torch::kFloat64)
                     .view({5, 3}).t().reshape({1, 3, 1, 5});
  auto y = bt601_y(colours) * 255.0;
  const double expected[] = {16 + 65.481, 16 + 128.553, 16 + 24.966, 235.0, 16.0};
  for (int i = 0; i < 5; ++i) EXPECT_NEAR(y[0][0][0][i].item<double>(), expected[i], 1e-9) << i;
}

TEST(Psnr, OnTheYChannelMeasuresTheLumaError) {
  // A gray error of 0.1 changes Y by 0.1 * 219/255.
  auto reference = torch::full({1, 3, 6, 6}, 0.4, torch::kFloat64);
  MetricOptions y;
  y.channel = MetricChannel::Y;
  EXPECT_NEAR(psnr(reference + 0.1, reference, y), -20.0 * std::log10(0.1 * 219.0 / 255.0), 1e-9);
}

TEST(Ssim, OfTwoFlatImagesIsTheLuminanceTermComputedByHand) {
  // x = 100, y = 120 (0-255 scale): no variance, so SSIM = (2xy + C1) / (x^2 + y^2 + C1)
  // = 24006.5025 / 24406.5025 = 0.98361092...
  MetricOptions on_255;
  on_255.data_range = 255.0;
  const double value = ssim(torch::full({1, 1, 16, 16}, 100.0), torch::full({1, 1, 16, 16}, 120.0), on_255);
  EXPECT_NEAR(value, 0.9836109249983688, 1e-9);
}

TEST(Ssim, OfIdenticalImagesIsOne) {
  auto image = torch::rand({1, 3, 20, 17});
  EXPECT_NEAR(ssim(image, image), 1.0, 1e-12);
}

TEST(Ssim, MatchesTheWindowFormulaAtTheOneValidPositionOfAnElevenPixelImage) {
  torch::manual_seed(3);
  auto x = torch::rand({1, 1, 11, 11}, torch::kFloat64);
  auto y = (x + 0.2 * torch::rand({1, 1, 11, 11}, torch::kFloat64)).clamp(0, 1);
  EXPECT_NEAR(ssim(x, y), ssim_by_loops(x * 255, y * 255), 1e-12);
}

TEST(Ssim, AveragesTheValidPositionsOnlyAndThenTheChannels) {
  torch::manual_seed(4);
  auto x = torch::rand({1, 3, 19, 24}, torch::kFloat64);
  auto y = (x + 0.3 * torch::randn({1, 3, 19, 24}, torch::kFloat64)).clamp(0, 1);
  EXPECT_NEAR(ssim(x, y), ssim_by_loops(x * 255, y * 255), 1e-10);
}

TEST(Ssim, OnTheCroppedYChannel) {
  torch::manual_seed(5);
  auto x = torch::rand({1, 3, 30, 26}, torch::kFloat64);
  auto y = (x + 0.1 * torch::randn({1, 3, 30, 26}, torch::kFloat64)).clamp(0, 1);
  MetricOptions options;
  options.channel = MetricChannel::Y;
  options.crop_border = 4;
  auto crop = [](const torch::Tensor& t) { return t.narrow(2, 4, 22).narrow(3, 4, 18); };
  EXPECT_NEAR(ssim(x, y, options), ssim_by_loops(crop(bt601_y(x)) * 255, crop(bt601_y(y)) * 255), 1e-10);
}

TEST(Metrics, RefuseMismatchedOrTooSmallImagesWithAMessage) {
  auto a = torch::rand({1, 3, 12, 12});
  EXPECT_THROW(psnr(a, torch::rand({1, 3, 12, 13})), Error);
  EXPECT_THROW(ssim(a, torch::rand({1, 3, 12, 13})), Error);
  EXPECT_THROW(psnr(a.view({3, 12, 12}), a.view({3, 12, 12})), Error);
  MetricOptions crop;
  crop.crop_border = 1;
  try {
    ssim(a, a, crop);
    FAIL() << "a 10x10 region is smaller than the SSIM window";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::BadInput);
    EXPECT_NE(std::string(error.what()).find("less than 11"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace restora
