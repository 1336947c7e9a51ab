#include "nets/ssen_where_it_looked.h"

#include "common/error.h"

#include <torch/nn/functional/vision.h>

#include <string>

namespace restora {
namespace {

constexpr int64_t kTaps = 9;

/// Undeformed tap displacements of a 3x3 kernel (row-major, dilation 1): [9, 2] as (y, x).
torch::Tensor tap_displacements(const torch::TensorOptions& options) {
  const auto tap = torch::arange(kTaps, options);
  const auto row = torch::floor(tap / 3.0);
  return torch::stack({row - 1.0, tap - row * 3.0 - 1.0}, -1);
}

/// Samples `field` [G, C, h, w] bilinearly (zeros outside) at `points` [G, M, 2] (LR (y, x))
/// -> [G, M, C].
torch::Tensor sample_field(const torch::Tensor& field, const torch::Tensor& points) {
  namespace F = torch::nn::functional;
  const double h = static_cast<double>(field.size(2)), w = static_cast<double>(field.size(3));
  const auto gx = (points.select(-1, 1) * 2.0 + 1.0) / w - 1.0;
  const auto gy = (points.select(-1, 0) * 2.0 + 1.0) / h - 1.0;
  const auto grid = torch::stack({gx, gy}, -1).unsqueeze(1);  // [G, 1, M, 2]
  const auto sampled = F::grid_sample(
      field, grid, F::GridSampleFuncOptions().mode(torch::kBilinear).padding_mode(torch::kZeros).align_corners(false));
  return sampled.squeeze(2).transpose(1, 2);  // [G, M, C]
}

}  // namespace

SamplingTree where_it_looked(const SsenAlignment& alignment, int64_t scale, int64_t out_y, int64_t out_x,
                             int64_t batch_index) {
  const auto& last_offset = alignment.offsets[2];
  const int64_t n = last_offset.size(0), h = last_offset.size(2), w = last_offset.size(3);
  const int64_t groups = last_offset.size(1) / (2 * kTaps);
  if (batch_index < 0 || batch_index >= n)
    throw Error(ErrorKind::BadUsage, "where it looked: image " + std::to_string(batch_index) + " of " +
                                         std::to_string(n) + " does not exist");
  if (out_y < 0 || out_x < 0 || out_y >= h * scale || out_x >= w * scale)
    throw Error(ErrorKind::BadUsage, "where it looked: pixel (" + std::to_string(out_y) + ", " + std::to_string(out_x) +
                                         ") lies outside the " + std::to_string(h * scale) + "x" +
                                         std::to_string(w * scale) + " output");
  const auto options = last_offset.options().dtype(torch::kFloat);
  const auto taps = tap_displacements(options);

  // Offsets of layer l as [G, 9*2, h, w] (channel 2*k + {0: y, 1: x}) and masks as [G, 9, h, w].
  const auto offsets_of = [&](int layer) {
    return alignment.offsets[layer][batch_index].to(torch::kFloat).reshape({groups, kTaps * 2, h, w});
  };
  const auto masks_of = [&](int layer) {
    return alignment.masks[layer][batch_index].to(torch::kFloat).reshape({groups, kTaps, h, w});
  };

  // Layer 3 at the output pixel's LR cell: exact positions, no interpolation.
  const auto cell = torch::tensor({static_cast<float>(out_y / scale), static_cast<float>(out_x / scale)}, options);
  auto points = cell.view({1, 1, 2}).expand({groups, 1, 2}).contiguous();  // [G, M=1, 2]
  auto weights = torch::ones({groups, 1}, options);
  std::array<torch::Tensor, 3> lr_points, chain_weights;
  for (int level = 0; level < 3; ++level) {
    const int layer = 2 - level;
    const int64_t m = points.size(1);
    const auto offset = sample_field(offsets_of(layer), points).reshape({groups, m, kTaps, 2});
    const auto mask = sample_field(masks_of(layer), points);  // [G, M, 9]
    points = (points.unsqueeze(2) + taps.view({1, 1, kTaps, 2}) + offset).reshape({groups, m * kTaps, 2});
    weights = (weights.unsqueeze(2) * mask).reshape({groups, m * kTaps});
    lr_points[level] = points;
    chain_weights[level] = weights;
  }

  SamplingTree tree;
  for (int level = 0; level < 3; ++level) {
    std::vector<int64_t> shape{groups};
    for (int i = 0; i <= level; ++i) shape.push_back(kTaps);
    tree.weights[level] = chain_weights[level].reshape(shape);
    shape.push_back(2);
    // LR cell p covers reference pixels p*s .. p*s + s - 1 (space-to-depth): its centre is (p + 0.5)*s - 0.5.
    tree.positions[level] = ((lr_points[level] + 0.5) * static_cast<double>(scale) - 0.5).reshape(shape);
  }
  return tree;
}

SamplingTree where_it_looked(SsenImpl& network, const torch::Tensor& lr, const torch::Tensor& reference, int64_t out_y,
                             int64_t out_x) {
  torch::NoGradGuard no_grad;
  return where_it_looked(network.align(lr, reference), network.scale(), out_y, out_x, 0);
}

}  // namespace restora
