#include "nets/blocks/match_prior.h"

#include <torch/nn/functional/padding.h>
#include <torch/nn/functional/vision.h>

#include <limits>

namespace restora {
namespace {

constexpr int64_t kPatch = 5;
// Sum of squares below which a patch counts as flat: 25 values with a standard deviation ~0.02.
constexpr double kFlatness = kPatch * kPatch * 0.02 * 0.02;
// Cosine similarity added to the zero displacement: where nothing matches clearly (flat sky, whose
// scores are all near 0) the estimate stays put instead of following the largest of many near-equal
// scores, which carried a dark spot from an object 6 LR pixels away into a sky (TTSR demo pair).
constexpr double kStayBonus = 0.1;

torch::Tensor luminance(const torch::Tensor& rgb) {
  return rgb.select(1, 0).mul(0.299).add(rgb.select(1, 1), 0.587).add(rgb.select(1, 2), 0.114).unsqueeze(1);
}

/// [N, 1, H, W] -> [N, 25, H, W]: each pixel's 5x5 patch (replicated borders), mean removed and
/// normalised; flat patches shrink towards zero instead of amplifying noise.
torch::Tensor patch_descriptors(const torch::Tensor& gray) {
  namespace F = torch::nn::functional;
  const int64_t r = kPatch / 2;
  const auto padded = F::pad(gray, F::PadFuncOptions({r, r, r, r}).mode(torch::kReplicate));
  auto patches = F::unfold(padded, F::UnfoldFuncOptions({kPatch, kPatch}))
                     .view({gray.size(0), kPatch * kPatch, gray.size(2), gray.size(3)});
  patches = patches - patches.mean(1, true);
  return patches / (patches.square().sum(1, true) + kFlatness).sqrt();
}

}  // namespace

MatchPrior estimate_match_prior(const torch::Tensor& lr, const torch::Tensor& reference_lr, int64_t context,
                                int64_t radius, double sharpness) {
  namespace F = torch::nn::functional;
  torch::NoGradGuard no_grad;
  const int64_t n = lr.size(0), h = lr.size(2), w = lr.size(3);
  const auto query = patch_descriptors(luminance(lr.to(torch::kFloat)));
  const auto keys = F::pad(patch_descriptors(luminance(reference_lr.to(torch::kFloat))),
                           F::PadFuncOptions({radius, radius, radius, radius}));
  const auto options = query.options();
  auto best = torch::full({n, h, w}, -std::numeric_limits<float>::infinity(), options);
  auto total = torch::zeros({n, h, w}, options), sum_y = torch::zeros_like(total), sum_x = torch::zeros_like(total);
  const int64_t origin = context + radius;
  for (int64_t dy = -radius; dy <= radius; ++dy) {
    for (int64_t dx = -radius; dx <= radius; ++dx) {
      const auto window = keys.slice(2, origin + dy, origin + dy + h).slice(3, origin + dx, origin + dx + w);
      auto score = (query * window).sum(1) * sharpness;
      if (dy == 0 && dx == 0) score = score + kStayBonus * sharpness;
      // Online softmax: rescale what was summed whenever the running maximum rises.
      const auto raised = torch::maximum(best, score);
      const auto keep = (best - raised).exp();
      const auto weight = (score - raised).exp();
      total = total * keep + weight;
      sum_y = sum_y * keep + weight * static_cast<double>(dy);
      sum_x = sum_x * keep + weight * static_cast<double>(dx);
      best = raised;
    }
  }
  return {torch::stack({sum_y / total, sum_x / total}, 1).to(lr.dtype()),
          (best / sharpness).unsqueeze(1).to(lr.dtype())};
}

torch::Tensor warp_by_displacement(const torch::Tensor& features, const torch::Tensor& displacement,
                                   int64_t context) {
  namespace F = torch::nn::functional;
  const int64_t h = displacement.size(2), w = displacement.size(3);
  const int64_t height = features.size(2), width = features.size(3);
  const auto options = displacement.options();
  const auto ys = torch::arange(h, options).view({1, h, 1}) + static_cast<double>(context);
  const auto xs = torch::arange(w, options).view({1, 1, w}) + static_cast<double>(context);
  // grid_sample's coordinates with align_corners=false: pixel p of n is at (2p + 1) / n - 1.
  const auto gy = (2.0 * (ys + displacement.select(1, 0)) + 1.0) / static_cast<double>(height) - 1.0;
  const auto gx = (2.0 * (xs + displacement.select(1, 1)) + 1.0) / static_cast<double>(width) - 1.0;
  return F::grid_sample(features, torch::stack({gx, gy}, 3),
                        F::GridSampleFuncOptions().mode(torch::kBilinear).padding_mode(torch::kZeros).align_corners(false));
}

}  // namespace restora
