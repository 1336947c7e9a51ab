#include "common/error.h"
#include "io/image.h"
#include "io/image_file.h"
#include "metrics/metrics.h"
#include "support/shared_data.h"
#include "training/degradation.h"
#include "training/matlab_resize.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

namespace restora {
namespace {

/// The LR files of Set5/Set14 are MATLAB's imresize(HR, 1/s, 'bicubic') output (uint8).
void expect_matlab_lr(const std::string& set, const std::string& image, int factor) {
  const std::string stem = set + "/x" + std::to_string(factor) + "/" + image + "_SRF_" + std::to_string(factor);
  const auto hr = rgb_tensor(read_image(test::shared_path("data/" + stem + "_HR.png")));
  const auto lr = rgb_tensor(read_image(test::shared_path("data/" + stem + "_LR.png")));
  auto generator = make_generator(0);
  const auto ours = degrade(hr, parse_degradation("bicubic:" + std::to_string(factor)), generator);
  ASSERT_EQ(ours.sizes(), lr.sizes()) << stem;
  const auto difference = (ours - lr).abs().mul(255.0).round();
  // The outermost two LR pixels differ by a few levels (the files' borders were not made from
  // the cropped HR alone); inside, MATLAB's uint8 arithmetic is reproduced.
  const auto interior = difference.narrow(2, 2, difference.size(2) - 4).narrow(3, 2, difference.size(3) - 4);
  const auto share = [](const torch::Tensor& d) { return (d == 0).to(torch::kFloat64).mean().item<double>(); };
  EXPECT_LE(interior.max().item<double>(), 2.0) << stem;
  EXPECT_GE(share(interior), 0.99) << stem << ": share of interior pixels equal to MATLAB's";
  EXPECT_GE(share(difference), 0.95) << stem << ": share of all pixels equal to MATLAB's";
}

TEST(MatlabBicubic, ReproducesTheSet5AndSet14LowResolutionFiles) {
  expect_matlab_lr("Set5", "img_001", 2);
  expect_matlab_lr("Set5", "img_002", 3);
  expect_matlab_lr("Set5", "img_003", 4);
  expect_matlab_lr("Set14", "img_005", 4);
  expect_matlab_lr("Set14", "img_010", 2);
  expect_matlab_lr("Set14", "img_007", 3);
}

TEST(MatlabBicubic, WeightsSumToOneAndKeepAConstant) {
  const auto weights = matlab_bicubic_weights(17, 5, 1.0 / 4);
  EXPECT_TRUE(torch::allclose(weights.sum(1), torch::ones({5}, torch::kFloat64)));
  const auto flat = matlab_bicubic_downscale(torch::full({1, 3, 12, 16}, 0.3), 4);
  EXPECT_EQ(flat.sizes(), (std::vector<int64_t>{1, 3, 3, 4}));
  EXPECT_TRUE(torch::allclose(flat, torch::full_like(flat, 0.3)));
}

TEST(JpegDegradation, LosesMoreAtLowerQuality) {
  const auto clean = rgb_tensor(read_image(test::shared_path("data/Set5/x2/img_001_SRF_2_HR.png")));
  auto generator = make_generator(0);
  const double q10 = psnr(degrade(clean, parse_degradation("jpeg:10"), generator), clean);
  const double q50 = psnr(degrade(clean, parse_degradation("jpeg:50"), generator), clean);
  EXPECT_GT(q10, 20.0);
  EXPECT_GT(q50, q10 + 2.0);
}

}  // namespace
}  // namespace restora
