// "Where it looked": the 9^3 sampling points of SSEN's three stacked deformable layers.
#include "nets/ssen_where_it_looked.h"

#include "common/error.h"
#include "support/tensor_checks.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

namespace restora {
namespace {

/// An alignment with the same offset (dy, dx) at every tap, pixel and group, and constant masks.
SsenAlignment constant_alignment(int64_t groups, int64_t h, int64_t w, double dy, double dx, double mask) {
  SsenAlignment alignment;
  for (int i = 0; i < 3; ++i) {
    auto offset = torch::empty({1, 2 * groups * 9, h, w});
    offset.slice(1, 0, offset.size(1), 2).fill_(dy);
    offset.slice(1, 1, offset.size(1), 2).fill_(dx);
    alignment.offsets[i] = offset;
    alignment.masks[i] = torch::full({1, groups * 9, h, w}, mask);
  }
  return alignment;
}

TEST(SsenWhereItLooked, UndeformedLayersLookAtTheComposedThreeByThreeGrids) {
  const int64_t scale = 4;
  const auto tree = where_it_looked(constant_alignment(2, 16, 16, 0.0, 0.0, 0.5), scale, 33, 42);
  ASSERT_EQ(tree.positions[2].sizes(), (std::vector<int64_t>{2, 9, 9, 9, 2}));
  ASSERT_EQ(tree.weights[2].sizes(), (std::vector<int64_t>{2, 9, 9, 9}));
  ASSERT_EQ(tree.positions[0].sizes(), (std::vector<int64_t>{2, 9, 2}));
  // Output (33, 42) lies in LR cell (8, 10); its centre in the reference is (8.5*4 - 0.5, 10.5*4 - 0.5).
  const auto last = tree.positions[0][0];
  EXPECT_FLOAT_EQ(last[4][0].item<float>(), 33.5f);
  EXPECT_FLOAT_EQ(last[4][1].item<float>(), 41.5f);
  EXPECT_FLOAT_EQ(last[0][0].item<float>(), 33.5f - 4);  // tap 0: one LR row up, one column left
  EXPECT_FLOAT_EQ(last[0][1].item<float>(), 41.5f - 4);
  // Leaf (k3, k2, k1) = centre + (tap3 + tap2 + tap1) * scale; taps 0 three times = (-3, -3) LR.
  EXPECT_FLOAT_EQ(tree.positions[2][1][0][0][0][0].item<float>(), 33.5f - 12);
  EXPECT_FLOAT_EQ(tree.positions[2][1][8][8][8][1].item<float>(), 41.5f + 12);
  EXPECT_TRUE(test::all_close(tree.weights[2], torch::full({2, 9, 9, 9}, 0.125), 1e-7));
}

TEST(SsenWhereItLooked, OffsetsAddUpAlongTheChainAndOutsidePointsWeighNothing) {
  const auto tree = where_it_looked(constant_alignment(1, 10, 10, 1.0, -2.0, 0.8), 2, 10, 10);
  // Cell (5, 5); every layer shifts by (1, -2): the centre leaf is at (5 + 3, 5 - 6) LR.
  const auto centre = tree.positions[2][0][4][4][4];
  EXPECT_FLOAT_EQ(centre[0].item<float>(), (8 + 0.5f) * 2 - 0.5f);
  EXPECT_FLOAT_EQ(centre[1].item<float>(), (-1 + 0.5f) * 2 - 0.5f);
  // The layer-1 sample at LR x = -1 came from a layer-2 tap at x = 1 (inside): weight 0.8^3.
  EXPECT_NEAR(tree.weights[2][0][4][4][4].item<float>(), 0.512f, 1e-6);
  // Chain of taps 3 (0, -1): layer 3 -> (6, 2), layer 2 -> (7, -1), whose mask lies outside: weight 0.
  EXPECT_FLOAT_EQ(tree.weights[2][0][3][3][3].item<float>(), 0.0f);
  EXPECT_NEAR(tree.weights[1][0][3][3].item<float>(), 0.64f, 1e-6);
}

TEST(SsenWhereItLooked, PixelsOutsideTheOutputAreBadUsage) {
  const auto alignment = constant_alignment(1, 4, 4, 0.0, 0.0, 0.5);
  EXPECT_THROW(where_it_looked(alignment, 4, 16, 0), Error);
  EXPECT_THROW(where_it_looked(alignment, 4, 0, -1), Error);
  EXPECT_THROW(where_it_looked(alignment, 4, 0, 0, 1), Error);
}

TEST(SsenWhereItLooked, RunsOnANetwork) {
  torch::manual_seed(11);
  SsenImpl network(SsenOptions().scale(2).n_feats(16).n_feat_blocks(1).n_sr_blocks(1));
  network.eval();
  const auto tree = where_it_looked(network, torch::rand({1, 3, 8, 8}), torch::rand({1, 3, 16, 16}), 7, 9);
  EXPECT_EQ(tree.positions[2].sizes(), (std::vector<int64_t>{8, 9, 9, 9, 2}));
  // A fresh network samples undeformed with masks 0.5: interior chains weigh 0.5^3.
  EXPECT_FLOAT_EQ(tree.weights[2][0][4][4][4].item<float>(), 0.125f);
}

}  // namespace
}  // namespace restora
