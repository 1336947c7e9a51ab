#include "metrics/metrics.h"

#include "common/error.h"

#include <torch/nn/functional/conv.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <string>

namespace restora {
namespace {

constexpr int kSsimWindow = 11;
constexpr double kSsimSigma = 1.5;

std::string shape_text(const torch::Tensor& t) {
  std::ostringstream out;
  out << t.sizes();
  return out.str();
}

void check_pair(const char* metric, const torch::Tensor& restored, const torch::Tensor& reference,
                const MetricOptions& options) {
  auto fail = [&](const std::string& what) {
    throw Error(ErrorKind::BadInput, std::string(metric) + ": " + what);
  };
  if (!restored.defined() || !reference.defined()) fail("an image is missing");
  if (restored.dim() != 4) fail("expected [N, C, H, W] images, got " + shape_text(restored));
  if (!restored.sizes().equals(reference.sizes()))
    fail("the images differ in size: " + shape_text(restored) + " vs " + shape_text(reference));
  if (!restored.is_floating_point() || !reference.is_floating_point()) fail("expected float images");
  if (options.channel == MetricChannel::Y && restored.size(1) != 1 && restored.size(1) != 3)
    fail("the Y channel needs 1 or 3 channels, got " + std::to_string(restored.size(1)));
  if (options.crop_border < 0) fail("negative border crop");
  if (!(options.data_range > 0)) fail("the data range must be positive");
  if (restored.size(0) == 0 || restored.size(1) == 0) fail("empty image " + shape_text(restored));
}

/// Float64 on the CPU, converted to the measured channel and border-cropped.
torch::Tensor prepare(const torch::Tensor& image, const MetricOptions& options, const char* metric,
                      int64_t min_side) {
  torch::Tensor x = image.detach().to(torch::kCPU, torch::kFloat64);
  if (options.channel == MetricChannel::Y) x = bt601_y(x, options.data_range);
  const int64_t b = options.crop_border;
  const int64_t h = x.size(2) - 2 * b;
  const int64_t w = x.size(3) - 2 * b;
  if (h < min_side || w < min_side)
    throw Error(ErrorKind::BadInput, std::string(metric) + ": a " + std::to_string(x.size(3)) + "x" +
                                         std::to_string(x.size(2)) + " image cropped by " +
                                         std::to_string(b) + " leaves less than " +
                                         std::to_string(min_side) + " pixels per side");
  return x.narrow(2, b, h).narrow(3, b, w);
}

/// The normalised 1-D Gaussian of MATLAB's fspecial('gaussian', 11, 1.5) (and OpenCV's
/// getGaussianKernel), as [C, 1, 11, 1]: the 2-D window is its outer product, so the filter runs
/// as a column pass and a row pass (22 instead of 121 products per pixel).
torch::Tensor gaussian_column(int64_t channels) {
  auto offsets = torch::arange(kSsimWindow, torch::kFloat64) - (kSsimWindow - 1) / 2.0;
  auto g = torch::exp(-(offsets * offsets) / (2.0 * kSsimSigma * kSsimSigma));
  g = g / g.sum();
  return g.view({1, 1, kSsimWindow, 1}).expand({channels, 1, kSsimWindow, 1}).contiguous();
}

}  // namespace

torch::Tensor bt601_y(const torch::Tensor& image, double data_range) {
  if (image.size(1) == 1) return image;
  TORCH_CHECK(image.size(1) == 3, "bt601_y: expected 1 or 3 channels");
  const auto r = image.select(1, 0), g = image.select(1, 1), b = image.select(1, 2);
  // The coefficients act on [0, 1] values and give Y on the 0-255 scale; rescale to data_range.
  auto y = (65.481 * r + 128.553 * g + 24.966 * b) / 255.0 + 16.0 / 255.0 * data_range;
  return y.unsqueeze(1);
}

torch::Tensor psnr_per_image(const torch::Tensor& restored, const torch::Tensor& reference,
                             const MetricOptions& options) {
  check_pair("PSNR", restored, reference, options);
  auto a = prepare(restored, options, "PSNR", 1);
  auto b = prepare(reference, options, "PSNR", 1);
  auto mse = (a - b).square().mean({1, 2, 3});
  auto value = 10.0 * torch::log10(options.data_range * options.data_range / mse);
  // log10(x / 0) is +inf already; keep it explicit for identical images.
  return torch::where(mse == 0, torch::full_like(value, std::numeric_limits<double>::infinity()), value);
}

torch::Tensor ssim_per_image(const torch::Tensor& restored, const torch::Tensor& reference,
                             const MetricOptions& options) {
  check_pair("SSIM", restored, reference, options);
  // On the 0-255 scale, as the published code computes it (the constants scale with the peak).
  const double to_255 = 255.0 / options.data_range;
  auto x = prepare(restored, options, "SSIM", kSsimWindow) * to_255;
  auto y = prepare(reference, options, "SSIM", kSsimWindow) * to_255;
  const int64_t channels = x.size(1);
  const auto column = gaussian_column(channels);
  const auto row_window = column.transpose(2, 3).contiguous();
  auto filter = [&](const torch::Tensor& t) {
    const auto grouped = torch::nn::functional::Conv2dFuncOptions().groups(channels);
    return torch::nn::functional::conv2d(torch::nn::functional::conv2d(t, column, grouped), row_window, grouped);
  };
  const double c1 = std::pow(0.01 * 255.0, 2), c2 = std::pow(0.03 * 255.0, 2);
  // In strips of rows: LibTorch's grouped float64 convolution unfolds the window's values per
  // pixel, so a 12 MP photo at once took over 12 GB. The valid-region map splits exactly by rows.
  const int64_t valid_h = x.size(2) - kSsimWindow + 1;
  const int64_t valid_w = x.size(3) - kSsimWindow + 1;
  const int64_t strip = std::max<int64_t>(1, (int64_t{1} << 24) / (kSsimWindow * x.size(3)));
  torch::Tensor sums = torch::zeros({x.size(0)}, x.options());
  for (int64_t row = 0; row < valid_h; row += strip) {
    const int64_t rows = std::min(strip, valid_h - row);
    const auto xs = x.narrow(2, row, rows + kSsimWindow - 1);
    const auto ys = y.narrow(2, row, rows + kSsimWindow - 1);
    const auto mu_x = filter(xs);
    const auto mu_y = filter(ys);
    auto var_x = filter(xs * xs) - mu_x * mu_x;
    auto var_y = filter(ys * ys) - mu_y * mu_y;
    auto cov = filter(xs * ys) - mu_x * mu_y;
    auto map = ((2 * mu_x * mu_y + c1) * (2 * cov + c2)) / ((mu_x * mu_x + mu_y * mu_y + c1) * (var_x + var_y + c2));
    sums += map.sum({1, 2, 3});
  }
  // Every channel has the same number of positions: the mean over all is the mean of the channel means.
  return sums / static_cast<double>(channels * valid_h * valid_w);
}

double psnr(const torch::Tensor& restored, const torch::Tensor& reference, const MetricOptions& options) {
  return psnr_per_image(restored, reference, options).mean().item<double>();
}

double ssim(const torch::Tensor& restored, const torch::Tensor& reference, const MetricOptions& options) {
  return ssim_per_image(restored, reference, options).mean().item<double>();
}

}  // namespace restora
