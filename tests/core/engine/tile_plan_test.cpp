#include "engine/tile_plan.h"

#include <gtest/gtest.h>

#include <numeric>

namespace restora {
namespace {

/// Everything a plan must satisfy, whatever the sizes.
void expect_valid(const AxisTiles& axis, int64_t multiple, int64_t scale) {
  ASSERT_GE(axis.count(), 1U);
  EXPECT_EQ(axis.canvas_size % multiple, 0);
  EXPECT_EQ(axis.tile % multiple, 0);
  EXPECT_EQ(axis.starts.front(), axis.begin);
  EXPECT_EQ(axis.end_of(axis.count() - 1), axis.canvas_size);
  for (size_t k = 0; k < axis.count(); ++k) {
    EXPECT_EQ(axis.starts[k] % multiple, 0) << "tile " << k;
    if (k > 0) {
      EXPECT_GT(axis.starts[k], axis.starts[k - 1]);
      EXPECT_GE(axis.end_of(k - 1) - axis.starts[k], axis.overlap) << "tile " << k << " overlaps too little";
    }
  }
  // The blend covers every output pixel of the image with positive weight (after a restart, the
  // tiles above cover the outer quarter of the first overlap).
  const std::vector<float> sum = window_sum(axis, scale);
  const int64_t covered_above = axis.open_begin ? axis.overlap * scale / 4 : 0;
  for (int64_t x = covered_above; x < (axis.image_size - axis.begin) * scale; ++x)
    ASSERT_GT(sum[static_cast<size_t>(x)], 0.0F) << "output pixel " << x + axis.begin * scale;
  // Owned spans partition the output.
  int64_t next = axis.begin * scale;
  for (size_t k = 0; k < axis.count(); ++k) {
    const auto [first, last] = owned_span(axis, k, scale);
    EXPECT_EQ(first, next) << "tile " << k;
    EXPECT_GE(last, first);
    next = last;
  }
  EXPECT_EQ(next, axis.image_size * scale);
}

TEST(TilePlan, AOnePixelImageIsOneTileOfTheSizeMultipleReplicatingItsPixel) {
  const TileGrid grid = plan_tiles(1, 1, 256, 32, 8);
  EXPECT_EQ(grid.count(), 1U);
  EXPECT_EQ(grid.rows.tile, 8);
  EXPECT_EQ(grid.columns.tile, 8);
  expect_valid(grid.rows, 8, 1);
  EXPECT_FALSE(canvas_reflects(1, 1, 8));
  for (int64_t x = 0; x < 8; ++x) EXPECT_EQ(source_index(x, 1, false), 0);
  EXPECT_EQ(source_index(-1, 1, false), 0);
}

TEST(TilePlan, SevenByThirteenSplitsOnlyTheLongSide) {
  const TileGrid grid = plan_tiles(7, 13, 8, 2, 4);
  EXPECT_EQ(grid.rows.canvas_size, 8);
  EXPECT_EQ(grid.rows.starts, (std::vector<int64_t>{0}));
  EXPECT_EQ(grid.columns.canvas_size, 16);
  EXPECT_EQ(grid.columns.starts, (std::vector<int64_t>{0, 4, 8}));
  expect_valid(grid.rows, 4, 1);
  expect_valid(grid.columns, 4, 1);
  // The canvas padding reflects (pad 1 < 7 and 3 < 13), excluding the edge pixel.
  EXPECT_TRUE(canvas_reflects(7, 13, 4));
  EXPECT_EQ(source_index(13, 13, true), 11);
  EXPECT_EQ(source_index(15, 13, true), 9);
}

TEST(TilePlan, LargeOddImagesKeepTheOverlapForEverySizeMultiple) {
  for (const int64_t multiple : {4, 8, 16}) {
    for (const int64_t overlap : {8, 32, 64}) {
      const TileGrid grid = plan_tiles(1023, 769, 256, overlap, multiple);
      expect_valid(grid.rows, multiple, 1);
      expect_valid(grid.columns, multiple, 1);
      EXPECT_EQ(grid.rows.canvas_size, ((1023 + multiple - 1) / multiple) * multiple);
      // As few tiles as the stride allows.
      const int64_t stride = ((256 - overlap) / multiple) * multiple;
      const int64_t travel = grid.rows.canvas_size - 256;
      EXPECT_EQ(static_cast<int64_t>(grid.rows.count()), (travel + stride - 1) / stride + 1);
    }
  }
}

TEST(TilePlan, TilesAreOnlyAsLongAsTheFewestTilesNeed) {
  // 1024 px in tiles of at most 512 sharing 32: three tiles; 368 px each is the least that keeps
  // the overlap (3 x 368 - 2 x 32 = 1040 >= 1024), so the network sees 1.08x the pixels, not 1.5x.
  const AxisTiles axis = plan_axis(1024, 512, 32, 16);
  EXPECT_EQ(axis.count(), 3U);
  EXPECT_EQ(axis.tile, 368);
  expect_valid(axis, 16, 1);
  // A tile already as short as its count allows stays as asked.
  EXPECT_EQ(plan_axis(512 + 2 * 480, 512, 32, 16).tile, 512);
  for (const int64_t size : {600, 1000, 2048, 4000, 6000})
    for (const int64_t multiple : {1, 4, 8, 16}) {
      const AxisTiles shortened = plan_axis(size, 512, 32, multiple);
      expect_valid(shortened, multiple, 1);
      // As few tiles as 512-px tiles would take.
      const int64_t stride = ((512 - 32) / multiple) * multiple;
      const int64_t travel = shortened.canvas_size - 512;
      if (travel > 0) {
        EXPECT_EQ(static_cast<int64_t>(shortened.count()), (travel + stride - 1) / stride + 1);
      }
      EXPECT_LE(shortened.tile, 512);
      EXPECT_GE(shortened.tile, 64);
      // One step shorter would take more tiles, or lose the overlap.
      const int64_t shorter = shortened.tile - multiple;
      if (shorter >= 64) {
        const AxisTiles more = plan_axis(size, shorter, 32, multiple);
        EXPECT_GT(more.count(), shortened.count()) << size << " px, multiple " << multiple;
      }
    }
}

TEST(TilePlan, TileZeroIsTheWholeCanvasAndLargeTilesShrinkToIt) {
  EXPECT_EQ(plan_tiles(1023, 769, 0, 32, 8).count(), 1U);
  const TileGrid grid = plan_tiles(100, 50, 4096, 32, 8);
  EXPECT_EQ(grid.count(), 1U);
  EXPECT_EQ(grid.rows.tile, 104);
  EXPECT_EQ(grid.columns.tile, 56);
}

TEST(TilePlan, TilesRoundUpToTheSizeMultipleAndOverlapIsAtMostHalfATile) {
  const AxisTiles axis = plan_axis(1000, 100, 90, 16);
  EXPECT_EQ(axis.tile, 112);
  EXPECT_EQ(axis.overlap, 56);
  expect_valid(axis, 16, 1);
}

TEST(TilePlan, SuperResolutionWindowsAreScaledAndStillCoverEveryOutputPixel) {
  for (const int64_t scale : {2, 4}) {
    const AxisTiles axis = plan_axis(769, 128, 16, 8);
    expect_valid(axis, 8, scale);
    EXPECT_EQ(blend_window(axis, 1, scale).size(), static_cast<size_t>(128 * scale));
    EXPECT_EQ(owned_span(axis, axis.count() - 1, scale).second, 769 * scale);
  }
}

TEST(TilePlan, WindowsAreZeroOverTheOuterQuarterOfTheOverlapAndOneInside) {
  const AxisTiles axis = plan_axis(200, 64, 32, 8);
  const std::vector<float> middle = blend_window(axis, 1, 1);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(middle[static_cast<size_t>(i)], 0.0F) << i;
  EXPECT_GT(middle[8], 0.0F);
  EXPECT_LT(middle[8], 0.05F);
  EXPECT_EQ(middle[32], 1.0F);
  EXPECT_EQ(middle[63], 0.0F);
  // The first tile's window is one up to the image's edge.
  EXPECT_EQ(blend_window(axis, 0, 1).front(), 1.0F);
  // Equal overlaps: windows of neighbours sum to exactly one.
  const std::vector<float> sum = window_sum(plan_axis(192, 64, 32, 32), 1);
  for (float value : sum) EXPECT_NEAR(value, 1.0F, 1e-6F);
}

TEST(TilePlan, ARestartedPlanBlendsIntoTheTilesAboveIt) {
  const AxisTiles axis = plan_axis(300, 64, 16, 8, 96);
  EXPECT_TRUE(axis.open_begin);
  expect_valid(axis, 8, 1);
  EXPECT_EQ(blend_window(axis, 0, 1).front(), 0.0F);
}

TEST(TilePlan, ReferenceMarginsBeforeTheImageReflectOrReplicate) {
  EXPECT_EQ(source_index(-3, 10, true), 3);
  EXPECT_EQ(source_index(-12, 10, true), 0);
  EXPECT_EQ(source_index(25, 10, true), 9);  // beyond one reflection: the edge
}

}  // namespace
}  // namespace restora
