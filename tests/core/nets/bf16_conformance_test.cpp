// bf16 convolutions (--precision bf16) against float on the conformance cases: a looser tolerance,
// the same on every ISA (bf16 inputs and weights, float accumulation everywhere: AVX-512's
// emulation, AVX512-BF16 and AMX alike), so measured here it holds there.
#include "nets/blocks/fast_conv2d.h"
#include "network_checks.h"
#include "support/tensor_checks.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

namespace restora {
namespace {

/// Largest |bf16 - fp32| over each case's final output (fp32 matches the official one within
/// 1e-5), relative to the output's range: measured 0.95e-3 to 3.2e-3 over the nine cases of the
/// four networks (2026-12-05), allowed 4x that. 8 significant bits per operand, adding up over layers.
constexpr double kBf16RelativeTolerance = 1.25e-2;

void check_bf16(const std::string& arch) {
  if (!bf16_convolutions_available()) GTEST_SKIP() << "this CPU has no bf16 convolutions (" << conv_isa() << ")";
  for (const auto& conformance_case : test::conformance_cases(arch)) {
    SCOPED_TRACE(conformance_case.name);
    const auto network = test::load_case_network(conformance_case, conformance_case.dir / "weights.pth");
    ASSERT_TRUE(network);
    c10::InferenceMode inference;
    const auto input = conformance_case.tensor("input.f32");
    const auto fp32 = network->forward(input);
    torch::Tensor bf16;
    {
      const ConvPrecisionScope scope(ConvPrecision::bf16);
      bf16 = network->forward(input);
    }
    ASSERT_EQ(bf16.scalar_type(), torch::kFloat);
    const double range = (fp32.max() - fp32.min()).item<double>();
    const double error = (bf16 - fp32).abs().max().item<double>() / range;
    EXPECT_GT(error, 0.0) << "bf16 ran as float";
    EXPECT_LE(error, kBf16RelativeTolerance) << "largest difference relative to the output's range";
    // --exact keeps float whatever the precision asks.
    ConvPolicy exact;
    exact.algorithm = ConvAlgorithm::exact;
    set_conv_policy(*network, exact);
    const auto exact_fp32 = network->forward(input);
    {
      const ConvPrecisionScope scope(ConvPrecision::bf16);
      EXPECT_EQ(test::max_abs_diff(network->forward(input), exact_fp32), 0.0);
    }
  }
}

TEST(Bf16Conformance, HinetStaysWithinTheBf16Tolerance) { check_bf16("hinet"); }
TEST(Bf16Conformance, MprnetStaysWithinTheBf16Tolerance) { check_bf16("mprnet"); }
TEST(Bf16Conformance, MirnetStaysWithinTheBf16Tolerance) { check_bf16("mirnet"); }
TEST(Bf16Conformance, MirnetV2StaysWithinTheBf16Tolerance) { check_bf16("mirnetv2"); }

}  // namespace
}  // namespace restora
