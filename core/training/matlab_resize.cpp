#include "training/matlab_resize.h"

#include <torch/torch.h>

#include <cmath>

namespace restora {
namespace {

double keys_cubic(double x) {
  const double a = std::abs(x), a2 = a * a, a3 = a2 * a;
  if (a <= 1) return 1.5 * a3 - 2.5 * a2 + 1;
  if (a <= 2) return -0.5 * a3 + 2.5 * a2 - 4 * a + 2;
  return 0;
}

}  // namespace

torch::Tensor matlab_bicubic_weights(int64_t in_size, int64_t out_size, double scale) {
  // MATLAB's contributions(): 1-based output x maps to input u; shrinking widens the kernel by
  // 1/scale and scales it by `scale` (antialiasing).
  const bool shrink = scale < 1;
  const double kernel_width = shrink ? 4.0 / scale : 4.0;
  const int64_t taps = static_cast<int64_t>(std::ceil(kernel_width)) + 2;
  auto weights = torch::zeros({out_size, in_size}, torch::kFloat64);
  auto w = weights.accessor<double, 2>();
  for (int64_t x = 1; x <= out_size; ++x) {
    const double u = x / scale + 0.5 * (1 - 1 / scale);
    const int64_t left = static_cast<int64_t>(std::floor(u - kernel_width / 2));
    std::vector<double> tap(static_cast<size_t>(taps));
    double sum = 0;
    for (int64_t t = 0; t < taps; ++t) {
      const double d = u - static_cast<double>(left + t);
      tap[static_cast<size_t>(t)] = shrink ? scale * keys_cubic(scale * d) : keys_cubic(d);
      sum += tap[static_cast<size_t>(t)];
    }
    for (int64_t t = 0; t < taps; ++t) {
      // Symmetric padding: indices 1..n, then n..1, repeating (MATLAB's aux array).
      const int64_t period = 2 * in_size;
      int64_t index = ((left + t - 1) % period + period) % period;
      if (index >= in_size) index = period - 1 - index;
      w[x - 1][index] += tap[static_cast<size_t>(t)] / sum;
    }
  }
  return weights;
}

torch::Tensor matlab_bicubic_downscale(const torch::Tensor& image, int64_t factor, bool as_uint8) {
  TORCH_CHECK(image.dim() == 4 && factor >= 1, "matlab_bicubic_downscale: [N, C, H, W] and factor >= 1");
  if (factor == 1) return image.clone();
  const int64_t h = image.size(2), w = image.size(3);
  const int64_t out_h = (h + factor - 1) / factor, out_w = (w + factor - 1) / factor;
  const double scale = 1.0 / static_cast<double>(factor);
  const auto rows = matlab_bicubic_weights(h, out_h, scale).to(image.device());
  const auto columns = matlab_bicubic_weights(w, out_w, scale).to(image.device());
  const auto x = image.to(torch::kFloat64);
  // Rows first (MATLAB resizes the dimensions in order when both scales are equal), then columns.
  auto pass = [&](const torch::Tensor& t) { return as_uint8 ? t.round().clamp(0, 255) : t; };
  const auto resized = pass(torch::matmul(pass(torch::matmul(rows, x)), columns.t()));
  return resized.to(image.scalar_type());
}

}  // namespace restora
