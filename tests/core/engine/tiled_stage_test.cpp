#include "engine/tiled_stage.h"

#include "common/error.h"
#include "engine/tile_plan.h"
#include "engine_test_networks.h"
#include "nets/network_factory.h"
#include "nets/size_rule.h"
#include "support/conformance.h"
#include "support/tensor_checks.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

namespace restora {
namespace {

torch::Tensor run_stage(RestorationNetworkImpl& network, const TileSource& source, int64_t tile, int64_t overlap,
                        const StageHooks& hooks = {}, const TileSource* reference = nullptr) {
  c10::InferenceMode inference;
  TensorSink sink(source.height() * network.internal_scale(), source.width() * network.internal_scale());
  StageSettings settings;
  settings.tile = tile;
  settings.overlap = overlap;
  run_tiled_stage(network, source, reference, sink, settings, hooks);
  return sink.pixels();
}

/// The whole-image path as the Restorer runs it.
torch::Tensor whole(RestorationNetworkImpl& network, const torch::Tensor& input) {
  c10::InferenceMode inference;
  const auto out = network.forward(pad_to_multiple(input, network.size_multiple()));
  return crop_to(out, input.size(2) * network.internal_scale(), input.size(3) * network.internal_scale());
}

TEST(TiledStage, ALocalNetworkGivesTheWholeImageResultOnceTheOverlapCoversItsReach) {
  test::LocalConvNetImpl network;
  const auto image = torch::rand({1, 3, 45, 71});
  const TensorSource source(image);
  const auto expected = whole(network, image);
  EXPECT_TRUE(test::all_close(run_stage(network, source, 0, 0), expected, 1e-6));
  EXPECT_TRUE(test::all_close(run_stage(network, source, 32, 12), expected, 1e-5));
  EXPECT_TRUE(test::all_close(run_stage(network, source, 24, 16), expected, 1e-5));
  // Without enough overlap the tiles' borders show.
  EXPECT_GT(test::max_abs_diff(run_stage(network, source, 16, 0), expected), 1e-3);
}

TEST(TiledStage, NetworksThatUpsampleInsideGetTheirTilesPlacedAtTheirScale) {
  test::LocalConvNetImpl network(3, 2);
  const auto image = torch::rand({1, 3, 37, 29});
  EXPECT_TRUE(test::all_close(run_stage(network, TensorSource(image), 32, 16), whole(network, image), 1e-5));
}

TEST(TiledStage, DualPixelViewsAreTiledInStep) {
  test::LocalConvNetImpl network(6);
  const auto left = torch::rand({1, 3, 30, 41});
  const auto right = torch::rand({1, 3, 30, 41});
  const ConcatSource source(std::make_shared<TensorSource>(left), std::make_shared<TensorSource>(right));
  EXPECT_TRUE(test::all_close(run_stage(network, source, 32, 16), whole(network, torch::cat({left, right}, 1)), 1e-5));
}

TEST(TiledStage, TheReferenceIsTiledInStepWithItsMargin) {
  test::ReferenceNetImpl network;
  const auto image = torch::rand({1, 3, 21, 34});
  const auto reference = torch::rand({1, 3, 42, 68});
  const TensorSource source(image);
  const TensorSource reference_source(reference);
  const auto whole_result = run_stage(network, source, 0, 0, {}, &reference_source);
  EXPECT_EQ(whole_result.sizes(), (std::vector<int64_t>{1, 3, 42, 68}));
  // Away from the image's borders the reference margin is real reference, not a reflection.
  namespace F = torch::nn::functional;
  const auto up = F::interpolate(image, F::InterpolateFuncOptions().scale_factor(std::vector<double>{2.0, 2.0}).mode(torch::kNearest));
  const auto blurred = F::avg_pool2d(reference, F::AvgPool2dFuncOptions(3).stride(1));  // [40, 66] from (1, 1)
  const auto expected_inner = 0.5 * (up.slice(2, 1, 41).slice(3, 1, 67) + blurred);
  EXPECT_TRUE(test::all_close(whole_result.slice(2, 1, 41).slice(3, 1, 67), expected_inner, 1e-6));
  EXPECT_TRUE(test::all_close(run_stage(network, source, 8, 4, {}, &reference_source), whole_result, 1e-5));
}

TEST(TiledStage, AConstantImageStaysConstant) {
  test::IdentityNetImpl network;
  const auto image = torch::full({1, 3, 61, 83}, 0.3);
  const auto result = run_stage(network, TensorSource(image), 24, 16);
  EXPECT_TRUE(test::all_close(result, image, 1e-6));
}

TEST(TiledStage, BicubicRegionsEqualTheWholeImagesUpscale) {
  const auto image = torch::rand({1, 3, 13, 19});
  const BicubicSource source(std::make_shared<TensorSource>(image), 3);
  namespace F = torch::nn::functional;
  const auto up = F::interpolate(image, F::InterpolateFuncOptions()
                                            .size(std::vector<int64_t>{39, 57})
                                            .mode(torch::kBicubic)
                                            .align_corners(false))
                      .clamp(0.0, 1.0);
  // 1e-5, not 1e-6: a region and the whole image sum the same 16 float taps in an order that depends on the
  // CPU's vector width (1.01e-6 was seen on an AVX-512 machine); a wrong tap would be off by far more.
  for (const PixelRect rect : {PixelRect{0, 0, 57, 39}, PixelRect{5, 7, 20, 11}, PixelRect{40, 30, 17, 9}})
    EXPECT_TRUE(test::all_close(source.read_inside(rect), up.slice(2, rect.y, rect.y + rect.height)
                                                          .slice(3, rect.x, rect.x + rect.width), 1e-5));
}

TEST(TiledStage, ProgressNeverDecreasesEndsAtOneAndTheOwnedTilesCoverTheOutputOnce) {
  test::LocalConvNetImpl network;
  const auto image = torch::rand({1, 3, 50, 70});
  std::vector<double> fractions;
  auto covered = torch::zeros({50, 70}, torch::kInt);
  StageHooks hooks;
  hooks.tile_done = [&](const StageTile& tile) {
    fractions.push_back(tile.fraction);
    covered.slice(0, tile.owned.y, tile.owned.y + tile.owned.height).slice(1, tile.owned.x, tile.owned.x + tile.owned.width) += 1;
    EXPECT_EQ(tile.rgb.size(2), tile.owned.height);
    EXPECT_EQ(tile.rgb.size(3), tile.owned.width);
    EXPECT_LE(tile.tiles_done, tile.tiles_total);
  };
  run_stage(network, TensorSource(image), 24, 8, hooks);
  ASSERT_GT(fractions.size(), 4U);
  for (size_t i = 1; i < fractions.size(); ++i) EXPECT_GE(fractions[i], fractions[i - 1]);
  EXPECT_EQ(fractions.back(), 1.0);
  EXPECT_TRUE(torch::all(covered == 1).item<bool>());
}

TEST(TiledStage, AnAllocationFailureHalvesTheTileAndMatchesARunAtTheSmallerTile) {
  test::LocalConvNetImpl network;
  // Canvas 112x80: 3 x 2 tiles of 48 px, a length neither axis can shorten (TilePlan).
  const auto image = torch::rand({1, 3, 110, 77});
  const TensorSource source(image);
  int forwards = 0;
  std::vector<int64_t> shrunk;
  StageHooks hooks;
  hooks.before_forward = [&](const torch::Tensor& tile) {
    if (++forwards == 5 && tile.size(2) == 48) throw std::bad_alloc();
  };
  hooks.tile_shrunk = [&](int64_t tile, const std::string&) { shrunk.push_back(tile); };
  const auto recovered = run_stage(network, source, 48, 16, hooks);
  EXPECT_EQ(shrunk, (std::vector<int64_t>{24}));
  EXPECT_TRUE(test::all_close(recovered, run_stage(network, source, 24, 16), 1e-5));
  EXPECT_TRUE(test::all_close(recovered, whole(network, image), 1e-5));
}

TEST(TiledStage, AnAllocationFailureAtTheSmallestTileIsAnError) {
  test::LocalConvNetImpl network;
  StageHooks hooks;
  hooks.before_forward = [](const torch::Tensor&) { throw std::bad_alloc(); };
  EXPECT_THROW(run_stage(network, TensorSource(torch::rand({1, 3, 20, 20})), 8, 4, hooks), Error);
}

TEST(TiledStage, CancellationStopsBeforeTheNextTile) {
  test::LocalConvNetImpl network;
  int tiles = 0;
  StageHooks hooks;
  hooks.cancelled = [&] { return tiles == 2; };
  hooks.tile_done = [&](const StageTile&) { ++tiles; };
  EXPECT_THROW(run_stage(network, TensorSource(torch::rand({1, 3, 64, 64})), 16, 4, hooks), Error);
  EXPECT_EQ(tiles, 2);
  EXPECT_EQ(network.calls.load(), 2);
}

TEST(TiledStage, EnsembleOfALocalNetworkIsStillExactWhenTiled) {
  test::LocalConvNetImpl network;
  const auto image = torch::rand({1, 3, 33, 40});
  c10::InferenceMode inference;
  StageSettings settings;
  settings.ensemble = true;
  const auto padded = pad_to_multiple(image, 4);
  const auto whole_ensemble = crop_to(forward_tile(network, padded, {}, settings), 33, 40);
  TensorSink sink(33, 40);
  settings.tile = 32;
  settings.overlap = 16;
  run_tiled_stage(network, TensorSource(image), nullptr, sink, settings);
  EXPECT_TRUE(test::all_close(sink.pixels(), whole_ensemble, 1e-5));
  // It differs from a single pass (the network is not flip-invariant).
  EXPECT_GT(test::max_abs_diff(whole_ensemble, whole(network, image)), 1e-4);
}

/// Every design network (tiny conformance configurations) runs tiled on an odd size.
TEST(TiledStage, EveryDesignNetworkRunsTiledOnOddSizes) {
  for (const std::string arch : {"mprnet", "hinet", "mirnet", "mirnetv2"}) {
    const auto cases = test::conformance_cases(arch);
    ASSERT_FALSE(cases.empty());
    auto network = make_network(cases.front().spec());
    network->eval();
    const int64_t in = network->input_channels();
    const auto image = torch::rand({1, in, 37, 53});
    const int64_t tile = round_up_to_multiple(32, network->size_multiple());
    const auto result = run_stage(*network, TensorSource(image), tile, 8);
    EXPECT_EQ(result.sizes(), (std::vector<int64_t>{1, 3, 37, 53})) << arch;
    EXPECT_TRUE(torch::isfinite(result).all().item<bool>()) << arch;
    EXPECT_GE(result.min().item<float>(), 0.0F) << arch;
    EXPECT_LE(result.max().item<float>(), 1.0F) << arch;
  }
}

}  // namespace
}  // namespace restora
