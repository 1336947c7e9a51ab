#include "nets/mprnet.h"

#include "common/error.h"
#include "nets/network_factory.h"
#include "nets/size_rule.h"
#include "network_checks.h"
#include "support/conformance.h"
#include "support/tensor_checks.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

namespace restora {
namespace {

NetworkSpec tiny_spec() {
  return {"MPRNet", {{"n_feat", int64_t{8}}, {"scale_unetfeats", int64_t{4}}, {"scale_orsnetfeats", int64_t{4}},
                     {"num_cab", int64_t{1}}}};
}

TEST(Mprnet, MatchesTheOfficialOutputsOfEveryStageWithEveryCheckpointFile) {
  test::check_main_case_with_every_checkpoint("mprnet");
}

TEST(Mprnet, MatchesTheOfficialScriptsOnOddSizesThroughReflectPadding) {
  for (const auto& conformance_case : test::conformance_cases("mprnet")) {
    SCOPED_TRACE(conformance_case.name);
    ASSERT_EQ(conformance_case.meta.at("cases").at(1).at("kind"), "pad");
    const auto network = test::load_case_network(conformance_case, conformance_case.dir / "weights.pth");
    ASSERT_TRUE(network);
    test::check_second_case(*network, conformance_case);
  }
}

TEST(Mprnet, MatchesTheOfficialOutputsWithActivationsInEitherMemoryLayout) {
  test::check_both_memory_layouts<MprnetImpl>("mprnet");
}

TEST(Mprnet, RegistersExactlyTheOfficialStateDictOfEveryConfiguration) { test::check_manifests("mprnet_"); }

TEST(Mprnet, SharesOnePreluAcrossEveryChannelAttentionBlock) {
  const auto network = make_network(tiny_spec());
  const auto parameters = network->named_parameters();
  const auto& prelu = parameters["shallow_feat1.1.body.1.weight"];
  int sharing = 0;
  for (const auto& item : parameters) {
    if (item.key().size() > 14 && item.key().compare(item.key().size() - 14, 14, ".body.1.weight") == 0 &&
        item.value().dim() == 1 && item.value().size(0) == 1) {
      EXPECT_TRUE(item.value().is_same(prelu)) << item.key();
      ++sharing;
    }
  }
  // 3 shallow + 2x(6 encoder + 8 decoder) + 3 ORBs x num_cab 1.
  EXPECT_EQ(sharing, 3 + 2 * (6 + 8) + 3);
}

TEST(Mprnet, ReturnsThreeFullSizeStagesWithTheRestoredImageFirst) {
  const auto network = make_network(tiny_spec());
  EXPECT_EQ(network->final_index(), 0u);
  EXPECT_EQ(network->size_multiple(), 8);
  torch::InferenceMode inference;
  const auto stages = network->forward_stages(torch::rand({1, 3, 24, 40}));
  ASSERT_EQ(stages.size(), 3u);
  for (const auto& stage : stages) EXPECT_EQ(stage.sizes(), torch::IntArrayRef({1, 3, 24, 40}));
}

TEST(Mprnet, CountsTheGflopOfTheDeblurringModelAsPerformanceMdDoes) {
  const auto network = make_network({"MPRNet", {}});
  EXPECT_NEAR(network->gflop(256, 256), 1519.0, 1.0);  // PERFORMANCE.md, official code, 256x256
}

TEST(Mprnet, RejectsUnknownAndInvalidArguments) {
  auto kind_of = [](const ArgMap& args) {
    try {
      make_network({"MPRNet", args});
    } catch (const Error& error) {
      return error.kind();
    }
    return ErrorKind::Failed;
  };
  EXPECT_EQ(kind_of({{"n_features", int64_t{8}}}), ErrorKind::BadInput);
  EXPECT_EQ(kind_of({{"n_feat", int64_t{0}}}), ErrorKind::BadInput);
  EXPECT_EQ(kind_of({{"kernel_size", int64_t{4}}}), ErrorKind::BadInput);
  EXPECT_EQ(kind_of({{"reduction", int64_t{200}}}), ErrorKind::BadInput);
  EXPECT_EQ(kind_of({{"bias", int64_t{1}}}), ErrorKind::BadInput);
}

}  // namespace
}  // namespace restora
