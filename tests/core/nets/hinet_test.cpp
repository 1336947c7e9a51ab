#include "nets/hinet.h"

#include "common/error.h"
#include "nets/network_factory.h"
#include "network_checks.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

namespace restora {
namespace {

TEST(Hinet, RegistersExactlyTheOfficialStateDictOfEveryConfiguration) { test::check_manifests("hinet_"); }

TEST(Hinet, ReturnsBothStagesWithTheRestoredImageLast) {
  const auto network = make_network({"HINet", {{"wf", int64_t{4}}, {"depth", int64_t{3}}}});
  EXPECT_EQ(network->final_index(), 1u);
  EXPECT_EQ(network->size_multiple(), 4);
  torch::InferenceMode inference;
  const auto stages = network->forward_stages(torch::rand({2, 3, 12, 20}));
  ASSERT_EQ(stages.size(), 2u);
  for (const auto& stage : stages) EXPECT_EQ(stage.sizes(), torch::IntArrayRef({2, 3, 12, 20}));
}

TEST(Hinet, CountsTheGflopOfTheGoproModelAsPerformanceMdDoes) {
  const auto network = make_network({"HINet", {{"hin_position_left", int64_t{3}}}});
  EXPECT_NEAR(network->gflop(256, 256), 315.0, 1.0);  // PERFORMANCE.md, official code, 256x256
}

TEST(Hinet, RejectsUnknownAndInvalidArguments) {
  auto kind_of = [](const ArgMap& args) {
    try {
      make_network({"HINet", args});
    } catch (const Error& error) {
      return error.kind();
    }
    return ErrorKind::Failed;
  };
  EXPECT_EQ(kind_of({{"width", int64_t{8}}}), ErrorKind::BadInput);
  EXPECT_EQ(kind_of({{"wf", int64_t{0}}}), ErrorKind::BadInput);
  EXPECT_EQ(kind_of({{"depth", int64_t{0}}}), ErrorKind::BadInput);
  EXPECT_EQ(kind_of({{"wf", int64_t{7}}}), ErrorKind::BadInput);  // HIN at level 0 halves 7 channels
  EXPECT_EQ(kind_of({{"relu_slope", std::string("0.2")}}), ErrorKind::BadInput);
}

}  // namespace
}  // namespace restora
