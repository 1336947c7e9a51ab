// The memory budget: sizes parse, what the process already holds counts against the budget, the
// tile shrinks as that grows, and a budget the process has already spent is refused with the need.
#include "engine/memory_budget.h"

#include "common/error.h"
#include "engine_test_networks.h"

#include <gtest/gtest.h>

#include <string>

namespace restora {
namespace {

TEST(MemoryBudget, SizesParseWithUnitsAndBadOnesNameTheOption) {
  EXPECT_EQ(parse_memory_size("1.5G", "--memory"), int64_t{3} << 29);
  EXPECT_EQ(parse_memory_size("800M", "--memory"), int64_t{800} << 20);
  EXPECT_EQ(parse_memory_size("2GiB", "--memory"), int64_t{2} << 30);
  for (const std::string bad : {"", "lots", "1.5T", "1K"}) {
    try {
      parse_memory_size(bad, "--memory");
      ADD_FAILURE() << bad;
    } catch (const Error& error) {
      EXPECT_NE(std::string(error.what()).find("--memory"), std::string::npos) << error.what();
    }
  }
}

TEST(MemoryBudget, TheProcessItselfIsCounted) {
  const double resident = resident_bytes_now();
  EXPECT_GT(resident, 16.0 * 1024 * 1024);  // LibTorch alone is more than that
  test::LocalConvNetImpl network;
  const int64_t budget = int64_t{512} << 20;
  const int64_t roomy = largest_tile(network, budget, 2000, 3000, 0.0);
  const int64_t tight = largest_tile(network, budget, 2000, 3000, 150.0 * 1024 * 1024);
  EXPECT_EQ(roomy % network.size_multiple(), 0);
  EXPECT_LT(tight, roomy);
  try {
    largest_tile(network, budget, 2000, 3000, static_cast<double>(budget));
    ADD_FAILURE() << "a budget already spent must be refused";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::BadUsage);
    EXPECT_NE(std::string(error.what()).find("too small for this image: it needs about"), std::string::npos);
  }
}

}  // namespace
}  // namespace restora
