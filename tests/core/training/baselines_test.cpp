#include "training/baselines.h"

#include "common/error.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

namespace restora {
namespace {

TEST(NlmeansBaseline, KeepsEachChannelInPlaceAndRemovesNoise) {
  // Three distinct channel levels: an RGB/BGR mix-up would swap red and blue.
  const auto clean = torch::tensor({0.2f, 0.5f, 0.8f}).view({1, 3, 1, 1}).expand({1, 3, 40, 56}).contiguous();
  torch::manual_seed(3);
  const auto noisy = clean + torch::randn_like(clean) * (15.0 / 255);
  const auto denoised = nlmeans_denoise(noisy, 15);
  ASSERT_EQ(denoised.sizes(), clean.sizes());
  const double noisy_error = (noisy - clean).abs().mean().item<double>();
  const double denoised_error = (denoised - clean).abs().mean().item<double>();
  EXPECT_LT(denoised_error, 0.3 * noisy_error);
  for (int c = 0; c < 3; ++c)
    EXPECT_NEAR(denoised[0][c].mean().item<double>(), clean[0][c][0][0].item<double>(), 2.0 / 255) << "channel " << c;
}

TEST(NlmeansBaseline, ParsesItsSpecAndRefusesOthers) {
  EXPECT_FLOAT_EQ(parse_nlmeans_baseline("nlmeans:12.5"), 12.5f);
  for (const char* bad : {"nlmeans:", "nlmeans:x", "nlmeans:0", "nlmeans:7q", "bm3d:10", "nlmeans:500"})
    EXPECT_THROW(parse_nlmeans_baseline(bad), Error) << bad;
}

}  // namespace
}  // namespace restora
