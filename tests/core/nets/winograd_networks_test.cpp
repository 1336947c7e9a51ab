// Winograd against direct convolutions on whole networks at official widths, where the
// conformance cases (8-32 channels) cannot reach: random official weights, a 64x64 image.
#include "nets/blocks/fast_conv2d.h"
#include "nets/network_factory.h"
#include "nets/official_configs.h"

#include "support/tensor_checks.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <string>
#include <utility>

namespace restora {
namespace {

class WinogradNetworks : public ::testing::TestWithParam<std::pair<std::string, std::string>> {};

TEST_P(WinogradNetworks, StayWithinTheParityToleranceOfDirectConvolutions) {
  if (!OnednnConv::compiled_in() || !__builtin_cpu_supports("avx512f"))
    GTEST_SKIP() << "needs oneDNN (RESTORA_WITH_ONEDNN) and AVX-512, where it has float Winograd";
  const auto& [network_name, task] = GetParam();
  torch::manual_seed(21);
  const auto network = make_network(require_official_config(network_name, task).spec());
  network->eval();
  torch::InferenceMode inference;
  const auto image = torch::rand({1, network->input_channels(), 64, 64});
  ConvPolicy policy;
  policy.algorithm = ConvAlgorithm::exact;
  set_conv_policy(*network, policy);
  const auto direct = network->forward_stages(image);
  policy.algorithm = ConvAlgorithm::winograd;
  policy.winograd_min_pixels = 0;
  set_conv_policy(*network, policy);
  const auto winograd = network->forward_stages(image);
  ASSERT_EQ(direct.size(), winograd.size());
  for (size_t i = 0; i < direct.size(); ++i) {
    EXPECT_TRUE(test::all_close(winograd[i], direct[i], 1e-5)) << "stage " << i;
    EXPECT_GT(test::max_abs_diff(winograd[i], direct[i]), 0.0) << "stage " << i << ": Winograd did not run";
  }
}

INSTANTIATE_TEST_SUITE_P(Official, WinogradNetworks,
                         ::testing::Values(std::make_pair("HINet", "gopro"), std::make_pair("MPRNet", "deblur"),
                                           std::make_pair("MIRNet_v2", "real_denoising"),
                                           std::make_pair("MIRNet", "denoise")),
                         [](const auto& param_info) { return param_info.param.first + "_" + param_info.param.second; });

}  // namespace
}  // namespace restora
