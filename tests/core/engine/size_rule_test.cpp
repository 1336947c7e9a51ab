#include "nets/size_rule.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

namespace restora {
namespace {

TEST(SizeRule, RoundsUpToTheMultiple) {
  EXPECT_EQ(round_up_to_multiple(27, 8), 32);
  EXPECT_EQ(round_up_to_multiple(32, 8), 32);
  EXPECT_EQ(round_up_to_multiple(1, 16), 16);
  EXPECT_EQ(round_up_to_multiple(5, 1), 5);
}

TEST(SizeRule, PadsRightAndBottomByReflectionExcludingTheEdge) {
  const auto image = torch::arange(5 * 6, torch::kFloat32).reshape({1, 1, 5, 6});
  const auto padded = pad_to_multiple(image, 4);
  ASSERT_EQ(padded.sizes(), (std::vector<int64_t>{1, 1, 8, 8}));
  EXPECT_TRUE(torch::equal(crop_to(padded, 5, 6), image));
  // Row 5 mirrors row 3 (reflection about row 4, which is not repeated).
  EXPECT_TRUE(torch::equal(padded[0][0][5].slice(0, 0, 6), image[0][0][3]));
  EXPECT_TRUE(torch::equal(padded[0][0][7].slice(0, 0, 6), image[0][0][1]));
  EXPECT_EQ(padded[0][0][0][6].item<float>(), image[0][0][0][4].item<float>());
}

TEST(SizeRule, ImagesAlreadyAtTheMultipleAreUntouched) {
  const auto image = torch::rand({1, 3, 16, 24});
  EXPECT_TRUE(pad_to_multiple(image, 8).is_same(image));
}

TEST(SizeRule, TinyImagesFallBackToEdgeReplication) {
  const auto image = torch::rand({1, 3, 3, 2});
  const auto padded = pad_to_multiple(image, 16);
  ASSERT_EQ(padded.sizes(), (std::vector<int64_t>{1, 3, 16, 16}));
  EXPECT_TRUE(torch::equal(padded.select(2, 15).select(2, 15), image.select(2, 2).select(2, 1)));
}

}  // namespace
}  // namespace restora
