#include "engine/precision_probe.h"

#include "nets/blocks/fast_conv2d.h"
#include "support/tensor_checks.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>

namespace restora {
namespace {

std::filesystem::path fresh_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("restora-probe-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  return dir;
}

TEST(PrecisionProbe, MeasuresOnceAndReadsTheCacheAfterwards) {
  const auto file = fresh_dir("cache") / "precision-probe.txt";
  const PrecisionProbe first = probe_precision(file);
  EXPECT_FALSE(first.from_cache);
  EXPECT_GT(first.fp32_ms, 0.0);
  EXPECT_EQ(first.bf16_ms > 0.0, bf16_convolutions_available());
  EXPECT_EQ(first.bf16_faster, first.bf16_ms > 0.0 && first.bf16_ms <= 0.9 * first.fp32_ms);
  ASSERT_TRUE(std::filesystem::exists(file));
  const PrecisionProbe second = probe_precision(file);
  EXPECT_TRUE(second.from_cache);
  EXPECT_EQ(second.machine, first.machine);
  EXPECT_DOUBLE_EQ(second.bf16_ms, first.bf16_ms);
  EXPECT_EQ(second.bf16_faster, first.bf16_faster);
  std::filesystem::remove_all(file.parent_path());
}

TEST(PrecisionProbe, AnotherMachineOrAnUnreadableCacheMeasuresAgain) {
  const auto dir = fresh_dir("other");
  std::filesystem::create_directories(dir);
  const auto file = dir / "precision-probe.txt";
  {
    std::ofstream out(file);
    out << "Some Other CPU | avx512_core_amx | LibTorch 9 | oneDNN 9 | 64 threads\n1 0.1 1\n";
  }
  const PrecisionProbe probe = probe_precision(file);
  EXPECT_FALSE(probe.from_cache) << "a cache of another machine is not this one's";
  EXPECT_NE(probe.fp32_ms, 1.0);
  {
    std::ofstream out(file);
    out << probe.machine << "\nnot numbers\n";
  }
  EXPECT_FALSE(probe_precision(file).from_cache);
  std::filesystem::remove_all(dir);
}

TEST(PrecisionProbe, AReportNamesTheIsaAndWhatAutoRuns) {
  const std::string report = precision_report();
  EXPECT_NE(report.find(conv_isa()), std::string::npos) << report;
  EXPECT_NE(report.find("auto precision"), std::string::npos) << report;
}

TEST(Bf16Convolutions, RunInBf16WithFloatOutputsAndLeaveOtherThreadsAndScopesInFp32) {
  if (!bf16_convolutions_available()) GTEST_SKIP() << "this CPU has no bf16 convolutions (" << conv_isa() << ")";
  torch::manual_seed(31);
  auto conv = same_conv(64, 64, 3);
  c10::InferenceMode inference;
  const auto x = torch::rand({1, 64, 32, 32}).contiguous(at::MemoryFormat::ChannelsLast);
  const auto fp32 = conv->forward(x);
  torch::Tensor bf16;
  {
    const ConvPrecisionScope scope(ConvPrecision::bf16);
    EXPECT_EQ(conv_precision(), ConvPrecision::bf16);
    bf16 = conv->forward(x);
  }
  EXPECT_EQ(conv_precision(), ConvPrecision::fp32);
  EXPECT_EQ(bf16.scalar_type(), torch::kFloat);
  const double error = test::max_abs_diff(bf16, fp32);
  EXPECT_GT(error, 0.0);
  EXPECT_LT(error, 1e-2 * fp32.abs().max().item<double>());
  EXPECT_EQ(test::max_abs_diff(conv->forward(x), fp32), 0.0) << "fp32 again after the scope";
}

}  // namespace
}  // namespace restora
