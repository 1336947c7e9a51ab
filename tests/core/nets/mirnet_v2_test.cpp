#include "nets/mirnet_v2.h"

#include "common/error.h"
#include "network_checks.h"
#include "nets/network_factory.h"
#include "support/conformance.h"

#include <gtest/gtest.h>
#include <optional>
#include <torch/torch.h>

namespace restora {
namespace {

TEST(MirnetV2, ReproducesTheOfficialOutputsOfEveryConformanceCaseAndCheckpointFormat) {
  const auto cases = test::conformance_cases("mirnetv2");
  ASSERT_FALSE(cases.empty());
  for (const auto& conformance_case : cases) test::check_conformance_case(conformance_case);
}

TEST(MirnetV2, EveryOfficialConfigurationRegistersExactlyTheOfficialStateDict) {
  test::check_manifests("mirnetv2_");
}

TEST(MirnetV2, IgnoresRrgCountHeightWidthAndScaleAsTheOfficialCodeDoes) {
  const ArgMap base{{"n_feat", int64_t{16}}, {"n_MRB", int64_t{1}}};
  ArgMap changed = base;
  changed["n_RRG"] = int64_t{1};
  changed["height"] = int64_t{5};
  changed["width"] = int64_t{4};
  changed["scale"] = int64_t{4};
  const auto a = make_mirnet_v2(base);
  const auto b = make_mirnet_v2(changed);
  EXPECT_EQ(a->named_parameters().keys(), b->named_parameters().keys());
  EXPECT_EQ(a->named_parameters()["body.3.body.0.dau_bot.body.0.weight"].size(1), 36 / 4);
}

TEST(MirnetV2, KeepsImageSizeAndRequiresMultiplesOfFour) {
  const auto net = make_mirnet_v2({{"n_feat", int64_t{16}}, {"n_MRB", int64_t{1}}});
  torch::InferenceMode guard;
  EXPECT_EQ(net->size_multiple(), 4);
  EXPECT_EQ(net->forward(torch::rand({1, 3, 12, 20})).sizes(), (c10::IntArrayRef{1, 3, 12, 20}));
  EXPECT_THROW(net->forward(torch::rand({1, 3, 14, 20})), Error);
}

TEST(MirnetV2, DefocusTaskTakesSixChannelsAndReturnsThree) {
  const auto net = make_mirnet_v2(
      {{"inp_channels", int64_t{6}}, {"n_feat", int64_t{16}}, {"n_MRB", int64_t{1}}, {"task", std::string("defocus_deblurring")}});
  torch::InferenceMode guard;
  EXPECT_EQ(net->input_channels(), 6);
  EXPECT_EQ(net->forward(torch::rand({1, 6, 8, 8})).sizes(), (c10::IntArrayRef{1, 3, 8, 8}));
}

TEST(MirnetV2, AnalyticCostOfRealDenoisingMatchesThePerformanceTable) {
  // PERFORMANCE.md: MIRNet-v2 real denoising (80, 1.5) is 279 GFLOP at 256 x 256.
  const auto net = make_mirnet_v2({});
  EXPECT_NEAR(net->gflop(256, 256), 279.0, 0.5);
}

TEST(MirnetV2, FactoryBuildsItUnderItsOfficialClassName) {
  const auto net = make_network(NetworkSpec{"MIRNet_v2", {{"n_feat", int64_t{16}}, {"n_MRB", int64_t{1}}}});
  EXPECT_NE(dynamic_cast<MirnetV2Impl*>(net.get()), nullptr);
}

TEST(MirnetV2, RejectsChannelCountsTheGroupsOrScalesCannotUse) {
  const auto kind_of = [](const ArgMap& args) -> std::optional<ErrorKind> {
    try {
      make_mirnet_v2(args);
    } catch (const Error& error) {
      return error.kind();
    }
    return std::nullopt;
  };
  EXPECT_EQ(kind_of({{"n_feat", int64_t{10}}}), ErrorKind::BadInput);                                  // 10, 15, 22
  EXPECT_EQ(kind_of({{"n_feat", int64_t{12}}, {"chan_factor", 1.25}}), ErrorKind::BadInput);           // 12, 15, 18
  EXPECT_EQ(kind_of({{"n_feat", int64_t{20}}, {"chan_factor", 1.7}}), ErrorKind::BadInput);            // no round trip
  EXPECT_EQ(kind_of({{"n_feat", int64_t{16}}, {"chan_factor", std::string("x")}}), ErrorKind::BadInput);
  EXPECT_EQ(kind_of({{"groups", int64_t{2}}}), ErrorKind::BadInput);
  EXPECT_EQ(kind_of({{"n_feat", int64_t{16}}, {"chan_factor", 2.0}}), std::nullopt);  // 16, 32, 64 is fine
}

}  // namespace
}  // namespace restora
