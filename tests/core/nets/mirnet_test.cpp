#include "nets/mirnet.h"

#include "common/error.h"
#include "network_checks.h"
#include "nets/network_factory.h"
#include "support/conformance.h"

#include <gtest/gtest.h>
#include <optional>
#include <torch/torch.h>

namespace restora {
namespace {

TEST(Mirnet, ReproducesTheOfficialOutputsOfEveryConformanceCaseAndCheckpointFormat) {
  const auto cases = test::conformance_cases("mirnet");
  ASSERT_FALSE(cases.empty());
  for (const auto& conformance_case : cases) test::check_conformance_case(conformance_case);
}

TEST(Mirnet, EveryOfficialConfigurationRegistersExactlyTheOfficialStateDict) {
  test::check_manifests("mirnet_");
}

TEST(Mirnet, EveryDauSharesOnePreluAndEachRowRepeatsOneDau) {
  const auto net = make_mirnet({{"n_feat", int64_t{8}}, {"n_RRG", int64_t{2}}, {"n_MSRB", int64_t{1}}});
  const auto parameters = net->named_parameters();
  const torch::Tensor& prelu = parameters["body.0.body.0.blocks.0.0.body.1.weight"];
  EXPECT_TRUE(parameters["body.1.body.0.blocks.2.1.body.1.weight"].is_same(prelu));
  EXPECT_TRUE(parameters["body.0.body.0.blocks.1.0.body.0.weight"].is_same(
      parameters["body.0.body.0.blocks.1.1.body.0.weight"]));
  EXPECT_FALSE(parameters["body.0.body.0.blocks.1.0.body.0.weight"].is_same(
      parameters["body.1.body.0.blocks.1.0.body.0.weight"]));
  EXPECT_FALSE(parameters["body.0.body.0.selective_kernel.0.conv_du.1.weight"].is_same(prelu));
}

TEST(Mirnet, AntiAliasFilterIsTheFixedBinomialBlurBuffer) {
  const auto net = make_mirnet({{"n_feat", int64_t{8}}, {"n_RRG", int64_t{1}}, {"n_MSRB", int64_t{1}}});
  const auto buffers = net->named_buffers();
  const torch::Tensor filt = buffers["body.0.body.0.down.8_2.body.0.top.4.filt"];
  ASSERT_EQ(filt.sizes(), (c10::IntArrayRef{8, 1, 3, 3}));
  const torch::Tensor taps = torch::tensor({1.0F, 2.0F, 1.0F});
  EXPECT_TRUE(torch::equal(filt[5][0], torch::outer(taps, taps) / 16));
  EXPECT_EQ(net->named_parameters().find("body.0.body.0.down.8_2.body.0.top.4.filt"), nullptr);
}

TEST(Mirnet, KeepsImageSizeAndRequiresMultiplesOfTwoToTheHeightMinusOne) {
  const auto net = make_mirnet({{"n_feat", int64_t{8}}, {"n_RRG", int64_t{1}}, {"n_MSRB", int64_t{1}}});
  torch::InferenceMode guard;
  EXPECT_EQ(net->size_multiple(), 4);
  EXPECT_EQ(net->forward(torch::rand({1, 3, 12, 20})).sizes(), (c10::IntArrayRef{1, 3, 12, 20}));
  EXPECT_THROW(net->forward(torch::rand({1, 3, 14, 20})), Error);
  EXPECT_THROW(net->forward(torch::rand({1, 4, 12, 20})), Error);
  const auto two_scales = make_mirnet({{"n_feat", int64_t{8}}, {"height", int64_t{2}}});
  EXPECT_EQ(two_scales->size_multiple(), 2);
}

TEST(Mirnet, AnalyticCostOfTheOfficialConfigurationMatchesThePerformanceTable) {
  // PERFORMANCE.md: MIRNet (64, 3 RRG, 2 MSRB) is 959 GFLOP at 256 x 256.
  const auto net = make_mirnet({});
  EXPECT_NEAR(net->gflop(256, 256), 959.0, 0.5);
  EXPECT_GT(net->gflop(512, 256), 1.99 * net->gflop(256, 256));
}

TEST(Mirnet, FactoryBuildsItUnderItsOfficialClassName) {
  const auto net = make_network(NetworkSpec{"MIRNet", {{"n_feat", int64_t{8}}, {"n_RRG", int64_t{1}}}});
  EXPECT_NE(dynamic_cast<MirnetImpl*>(net.get()), nullptr);
  EXPECT_EQ(net->final_index(), 0U);
}

TEST(Mirnet, RejectsArgumentsTheOfficialCodeCannotRunWith) {
  const auto kind_of = [](const ArgMap& args) -> std::optional<ErrorKind> {
    try {
      make_mirnet(args);
    } catch (const Error& error) {
      return error.kind();
    }
    return std::nullopt;
  };
  EXPECT_EQ(kind_of({{"n_feat", int64_t{4}}}), ErrorKind::BadInput);
  EXPECT_EQ(kind_of({{"stride", int64_t{3}}}), ErrorKind::BadInput);
  EXPECT_EQ(kind_of({{"kernel_size", int64_t{4}}}), ErrorKind::BadInput);
  EXPECT_EQ(kind_of({{"height", int64_t{0}}}), ErrorKind::BadInput);
  EXPECT_EQ(kind_of({{"n_feats", int64_t{8}}}), ErrorKind::BadInput);
  EXPECT_EQ(kind_of({{"n_feat", std::string("8")}}), ErrorKind::BadInput);
  EXPECT_EQ(kind_of({{"in_channels", int64_t{3}}, {"out_channels", int64_t{1}}}), ErrorKind::BadInput);
}

}  // namespace
}  // namespace restora
