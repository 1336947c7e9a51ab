#include "nets/hinet.h"

#include "common/error.h"
#include "nets/network_factory.h"
#include "hinet_grids.h"
#include "network_checks.h"
#include "support/conformance.h"
#include "support/tensor_checks.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

namespace restora {
namespace {

TEST(Hinet, MatchesTheOfficialOutputsOfBothStagesWithEveryCheckpointFile) {
  test::check_main_case_with_every_checkpoint("hinet");
}

TEST(Hinet, MatchesTheOfficialGridsTestProcedureOnOddSizes) {
  for (const auto& conformance_case : test::conformance_cases("hinet")) {
    SCOPED_TRACE(conformance_case.name);
    const auto& second = conformance_case.meta.at("cases").at(1);
    ASSERT_EQ(second.at("kind"), "grids");
    const auto network = test::load_case_network(conformance_case, conformance_case.dir / "weights.pth");
    ASSERT_TRUE(network);
    const auto input = conformance_case.tensor("input2.f32");
    const auto crop_size = second.at("crop_size").get<int64_t>();

    std::vector<std::vector<int64_t>> positions;
    for (const auto& [i, j] : test::basicsr_grid_positions(input.size(2), input.size(3), crop_size)) {
      positions.push_back({i, j});
    }
    EXPECT_EQ(positions, second.at("tile_positions_i_j").get<std::vector<std::vector<int64_t>>>());

    torch::InferenceMode inference;
    const auto restored = test::basicsr_grids_forward(*network, input, crop_size);
    EXPECT_TRUE(test::all_close(restored, conformance_case.tensor("restored2.f32"), test::kParityTolerance));
  }
}

TEST(Hinet, MatchesTheOfficialOutputsWithActivationsInEitherMemoryLayout) {
  test::check_both_memory_layouts<HinetImpl>("hinet");
}

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
