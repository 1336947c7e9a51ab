// The match prior finds a known displacement between a photo and a shifted copy on the LR grid,
// claims little where the reference is unrelated, stays put on flat patches, and its warp moves features by whole pixels
// exactly.
#include "nets/blocks/match_prior.h"

#include "io/image.h"
#include "io/image_file.h"
#include "support/shared_data.h"
#include "support/tensor_checks.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

namespace restora {
namespace {

torch::Tensor area_down(const torch::Tensor& x, int64_t s) { return torch::avg_pool2d(x, {s, s}, {s, s}); }

torch::Tensor photo(const std::string& relative) {
  return rgb_tensor(read_image(test::shared_path(relative)));
}

TEST(MatchPrior, FindsTheShiftOfASameSceneReference) {
  const auto hr = photo("data/Set14/x4/img_001_SRF_4_HR.png");
  const int64_t s = 4, side = 48, y0 = 120, x0 = 160;
  const auto lr = area_down(hr.slice(2, y0, y0 + s * side).slice(3, x0, x0 + s * side), s);
  for (const auto& [dy, dx] : {std::pair<int64_t, int64_t>{3, -5}, {-7, 2}, {0, 0}}) {
    SCOPED_TRACE(std::to_string(dy) + "," + std::to_string(dx));
    const int64_t ry = y0 - s * dy, rx = x0 - s * dx;
    const auto reference = hr.slice(2, ry, ry + s * side).slice(3, rx, rx + s * side);
    const auto prior = estimate_match_prior(lr, area_down(reference, s), 0, 8);
    ASSERT_EQ(prior.displacement.sizes(), (std::vector<int64_t>{1, 2, side, side}));
    // Away from the borders that the shift uncovers, the estimate is the shift (within 0.2 px: the
    // bonus for staying put pulls a soft-argmax slightly towards 0).
    const auto inner = prior.displacement.slice(2, 8, side - 8).slice(3, 8, side - 8);
    EXPECT_NEAR(inner.select(1, 0).median().item<double>(), static_cast<double>(dy), 0.2);
    EXPECT_NEAR(inner.select(1, 1).median().item<double>(), static_cast<double>(dx), 0.2);
    EXPECT_GT(prior.confidence.slice(2, 8, side - 8).slice(3, 8, side - 8).median().item<double>(), 0.6);
    EXPECT_LE(prior.displacement.abs().max().item<double>(), 8.0 + 1e-5);
  }
}

TEST(MatchPrior, ReadsTheContextAndIsLowConfidenceForAnUnrelatedReference) {
  const auto hr = photo("data/Set14/x4/img_001_SRF_4_HR.png");
  const int64_t s = 4, side = 32, c = 6, y0 = 120, x0 = 160;
  const auto lr = area_down(hr.slice(2, y0, y0 + s * side).slice(3, x0, x0 + s * side), s);
  // Content 6 LR pixels right of the tile, visible only in the reference's context.
  const int64_t ry = y0 - s * c, rx = x0 + s * 6 - s * c;
  const auto wide = hr.slice(2, ry, ry + s * (side + 2 * c)).slice(3, rx, rx + s * (side + 2 * c));
  const auto prior = estimate_match_prior(lr, area_down(wide, s), c, 8);
  EXPECT_NEAR(prior.displacement.select(1, 1).median().item<double>(), -6.0, 0.1);
  const auto other = area_down(photo("data/Set14/x4/img_005_SRF_4_HR.png").slice(2, 0, s * side).slice(3, 0, s * side), s);
  const auto unrelated = estimate_match_prior(lr, other, 0, 8);
  EXPECT_LT(unrelated.confidence.median().item<double>(), prior.confidence.median().item<double>() - 0.2);
}

TEST(MatchPrior, AFlatPatchStaysPutWhateverTheReferenceShows) {
  // A nearly flat sky (faint noise) against a textured reference: no displacement is clearly
  // better, so the estimate stays at 0 instead of jumping to the largest of many small scores.
  torch::manual_seed(5);
  const auto sky = torch::full({1, 3, 24, 24}, 0.6) + torch::randn({1, 3, 24, 24}) * 0.003;
  const auto texture = torch::rand({1, 3, 24, 24});
  const auto prior = estimate_match_prior(sky, texture, 0, 8);
  EXPECT_LT(prior.displacement.abs().mean().item<double>(), 0.5) << prior.displacement.abs().max().item<double>();
}

TEST(MatchPrior, WarpsByWholePixelsExactlyAndReadsZerosOutside) {
  torch::manual_seed(3);
  const auto features = torch::rand({2, 4, 14, 12});
  auto displacement = torch::zeros({2, 2, 10, 8});
  displacement.select(1, 0).fill_(1.0);
  displacement.select(1, 1).fill_(-2.0);
  const auto warped = warp_by_displacement(features, displacement, 2);
  EXPECT_TRUE(test::all_close(warped, features.slice(2, 3, 13).slice(3, 0, 8), 1e-6));
  displacement.fill_(100.0);
  EXPECT_EQ(warp_by_displacement(features, displacement, 2).abs().max().item<float>(), 0.0f);
}

}  // namespace
}  // namespace restora
