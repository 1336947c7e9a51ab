#include "training/blur_kernels.h"

#include "training/degradation.h"

#include <torch/nn/functional/conv.h>
#include <torch/nn/functional/padding.h>
#include <torch/torch.h>

#include <cmath>
#include <vector>

namespace restora {
namespace {

namespace F = torch::nn::functional;

double normal(at::Generator& generator) {
  // Box-Muller from two uniforms of the generator: deterministic for its state.
  const double u1 = std::max(uniform(generator, 0, 1), 1e-12), u2 = uniform(generator, 0, 1);
  return std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
}

}  // namespace

torch::Tensor disk_kernel(double radius) {
  const int64_t half = static_cast<int64_t>(std::ceil(radius));
  const int64_t size = 2 * half + 1;
  auto kernel = torch::zeros({size, size}, torch::kFloat64);
  auto k = kernel.accessor<double, 2>();
  constexpr int kSub = 4;
  for (int64_t y = 0; y < size; ++y)
    for (int64_t x = 0; x < size; ++x) {
      int inside = 0;
      for (int sy = 0; sy < kSub; ++sy)
        for (int sx = 0; sx < kSub; ++sx) {
          const double py = static_cast<double>(y - half) - 0.5 + (sy + 0.5) / kSub;
          const double px = static_cast<double>(x - half) - 0.5 + (sx + 0.5) / kSub;
          inside += px * px + py * py <= radius * radius;
        }
      k[y][x] = inside;
    }
  if (kernel.sum().item<double>() == 0) kernel[half][half] = 1;
  return (kernel / kernel.sum()).to(torch::kFloat32);
}

torch::Tensor motion_kernel(double length, at::Generator& generator) {
  // A walk of many small steps; velocity turns by random accelerations and keeps inertia.
  constexpr int kSteps = 256;
  std::vector<double> xs{0}, ys{0};
  double angle = uniform(generator, 0, 2 * M_PI);
  double vx = std::cos(angle), vy = std::sin(angle);
  const double anxiety = uniform(generator, 0, 0.3);
  for (int i = 1; i < kSteps; ++i) {
    vx += anxiety * normal(generator);
    vy += anxiety * normal(generator);
    const double speed = std::max(std::hypot(vx, vy), 1e-9);
    vx /= speed, vy /= speed;
    xs.push_back(xs.back() + vx);
    ys.push_back(ys.back() + vy);
  }
  // Scale the path to `length` pixels end to end (at least one pixel) and centre it.
  double x0 = 1e300, x1 = -1e300, y0 = 1e300, y1 = -1e300;
  for (int i = 0; i < kSteps; ++i) x0 = std::min(x0, xs[i]), x1 = std::max(x1, xs[i]), y0 = std::min(y0, ys[i]), y1 = std::max(y1, ys[i]);
  const double extent = std::max({x1 - x0, y1 - y0, 1e-9});
  const double scale = std::max(length, 1.0) / extent;
  const int64_t half = static_cast<int64_t>(std::ceil(std::max(length, 1.0) / 2)) + 1;
  const int64_t size = 2 * half + 1;
  auto kernel = torch::zeros({size, size}, torch::kFloat64);
  auto k = kernel.accessor<double, 2>();
  const double cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
  for (int i = 0; i < kSteps; ++i) {
    const double px = (xs[i] - cx) * scale + static_cast<double>(half), py = (ys[i] - cy) * scale + static_cast<double>(half);
    const int64_t ix = static_cast<int64_t>(std::floor(px)), iy = static_cast<int64_t>(std::floor(py));
    const double fx = px - static_cast<double>(ix), fy = py - static_cast<double>(iy);
    for (int dy = 0; dy < 2; ++dy)
      for (int dx = 0; dx < 2; ++dx) {
        const int64_t X = std::clamp<int64_t>(ix + dx, 0, size - 1), Y = std::clamp<int64_t>(iy + dy, 0, size - 1);
        k[Y][X] += (dx ? fx : 1 - fx) * (dy ? fy : 1 - fy);
      }
  }
  return (kernel / kernel.sum()).to(torch::kFloat32);
}

torch::Tensor blur(const torch::Tensor& images, const torch::Tensor& kernels) {
  const int64_t n = images.size(0), c = images.size(1), size = kernels.size(-1), half = size / 2;
  std::vector<torch::Tensor> out;
  for (int64_t i = 0; i < n; ++i) {
    // Correlation with the flipped kernel is convolution.
    const auto weight = kernels[i].flip({0, 1}).to(images.dtype()).expand({c, 1, size, size}).contiguous();
    const auto padded = F::pad(images[i].unsqueeze(0), F::PadFuncOptions({half, half, half, half}).mode(torch::kReplicate));
    out.push_back(F::conv2d(padded, weight, F::Conv2dFuncOptions().groups(c)));
  }
  return torch::cat(out);
}

}  // namespace restora
