#include "nets/blocks/fast_conv2d.h"

#include "nets/blocks/conv_transpose.h"
#include "nets/blocks/mirnet_resample.h"

#include "support/tensor_checks.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

namespace restora {
namespace {

using test::all_close;
using test::max_abs_diff;

struct ConvCase {
  int64_t in, out, kernel, stride, padding, dilation, groups;
  int64_t height, width;
  bool bias = true;
  int64_t batch = 1;
};

std::ostream& operator<<(std::ostream& os, const ConvCase& c) {
  return os << c.in << "->" << c.out << " k" << c.kernel << " s" << c.stride << " p" << c.padding << " d"
            << c.dilation << " g" << c.groups << (c.bias ? " bias" : "") << " on " << c.batch << "x" << c.height
            << "x" << c.width;
}

FastConv2d make_conv(const ConvCase& c) {
  return FastConv2d(torch::nn::Conv2dOptions(c.in, c.out, c.kernel)
                        .stride(c.stride)
                        .padding(c.padding)
                        .dilation(c.dilation)
                        .groups(c.groups)
                        .bias(c.bias));
}

ConvPolicy exact_policy() {
  ConvPolicy policy;
  policy.algorithm = ConvAlgorithm::exact;
  return policy;
}

ConvPolicy winograd_everywhere() {
  ConvPolicy policy;
  policy.winograd_min_pixels = 0;
  return policy;
}

bool uses(const FastConv2d& conv, const std::string& implementation_part) {
  const auto names = conv->implementations();
  return std::any_of(names.begin(), names.end(),
                     [&](const std::string& name) { return name.find(implementation_part) != std::string::npos; });
}

/// Rounding noise allowed against LibTorch: relative to the largest output.
double tolerance_for(const torch::Tensor& reference, double relative) {
  return relative * std::max(1.0, reference.abs().max().item<double>());
}

class FastConv2dMatchesTorch : public ::testing::TestWithParam<ConvCase> {};

TEST_P(FastConv2dMatchesTorch, InBothLayoutsAndBothPolicies) {
  const auto& c = GetParam();
  torch::manual_seed(3);
  auto conv = make_conv(c);
  torch::InferenceMode inference;
  const auto input = torch::randn({c.batch, c.in, c.height, c.width});
  const auto reference = conv->reference_forward(input);
  for (const bool channels_last : {false, true}) {
    SCOPED_TRACE(channels_last ? "channels last" : "NCHW");
    const auto x = channels_last ? input.contiguous(at::MemoryFormat::ChannelsLast) : input;
    for (const auto& policy : {exact_policy(), winograd_everywhere()}) {
      SCOPED_TRACE(policy.algorithm == ConvAlgorithm::exact ? "exact" : "Winograd everywhere");
      conv->policy = policy;
      const auto output = conv->forward(x);
      EXPECT_TRUE(all_close(output, reference, tolerance_for(reference, 1e-5)));
      // Channels-last stays so; a planar input may come back channels-last (the kernel's layout).
      if (channels_last) {
        EXPECT_EQ(output.suggest_memory_format(), at::MemoryFormat::ChannelsLast);
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, FastConv2dMatchesTorch,
    ::testing::Values(ConvCase{3, 64, 3, 1, 1, 1, 1, 37, 29},             // an image in
                      ConvCase{64, 3, 3, 1, 1, 1, 1, 20, 33, false},     // an image out
                      ConvCase{32, 32, 3, 1, 1, 1, 1, 40, 24},           // Winograd-sized
                      ConvCase{48, 80, 3, 1, 1, 1, 1, 19, 23, true, 2},  // batch of two, odd map
                      ConvCase{64, 64, 1, 1, 0, 1, 1, 16, 16},           // HINet's identity
                      ConvCase{64, 64, 4, 2, 1, 1, 1, 32, 30, false},    // HINet's downsample
                      ConvCase{80, 80, 3, 1, 1, 1, 4, 17, 21},           // MIRNet-v2's grouped
                      ConvCase{16, 24, 3, 2, 0, 1, 1, 15, 16},           // strided, no padding
                      ConvCase{16, 16, 3, 1, 2, 2, 1, 12, 13},           // dilated
                      ConvCase{8, 8, 5, 1, 2, 1, 8, 9, 9},               // depthwise
                      ConvCase{16, 16, 3, 3, 1, 1, 1, 10, 11},           // output skips input rows
                      ConvCase{4, 4, 3, 1, 0, 1, 1, 3, 3}));             // 1x1 output

TEST(FastConv2d, ExactChannelsLastIsBitIdenticalToTorch) {
  // LibTorch runs channels-last float convolutions through the same oneDNN kernels.
  torch::manual_seed(4);
  auto conv = make_conv({64, 64, 3, 1, 1, 1, 1, 48, 40});
  conv->policy = exact_policy();
  torch::InferenceMode inference;
  const auto x = torch::randn({1, 64, 48, 40}).contiguous(at::MemoryFormat::ChannelsLast);
  EXPECT_EQ(max_abs_diff(conv->forward(x), conv->reference_forward(x)), 0.0);
}

TEST(FastConv2d, UsesWinogradWhereAllowedAndDirectElsewhere) {
  if (!OnednnConv::compiled_in() || !__builtin_cpu_supports("avx512f"))
    GTEST_SKIP() << "needs oneDNN (RESTORA_WITH_ONEDNN) and AVX-512, where it has float Winograd";
  torch::manual_seed(5);
  auto conv = make_conv({64, 64, 3, 1, 1, 1, 1, 64, 64});
  torch::InferenceMode inference;
  const auto large = torch::randn({1, 64, 64, 64});  // 4096 output pixels: the default threshold
  const auto small = torch::randn({1, 64, 32, 64});
  conv->forward(large);
  EXPECT_TRUE(uses(conv, "wino"));
  auto direct = make_conv({64, 64, 3, 1, 1, 1, 1, 64, 64});
  direct->forward(small);
  EXPECT_FALSE(uses(direct, "wino")) << "below winograd_min_pixels";
  auto exact = make_conv({64, 64, 3, 1, 1, 1, 1, 64, 64});
  exact->policy = exact_policy();
  exact->forward(large);
  EXPECT_FALSE(uses(exact, "wino"));
}

TEST(FastConv2d, WinogradStaysWithinRoundingOfTorchAtOfficialWidths) {
  // Each Winograd layer differs from the direct sum by ~2e-6 of the largest output.
  if (!OnednnConv::compiled_in() || !__builtin_cpu_supports("avx512f"))
    GTEST_SKIP() << "needs oneDNN (RESTORA_WITH_ONEDNN) and AVX-512, where it has float Winograd";
  for (const int64_t channels : {64, 256, 1024}) {
    SCOPED_TRACE(channels);
    torch::manual_seed(6);
    auto conv = make_conv({channels, channels, 3, 1, 1, 1, 1, 16, 16});
    conv->policy = winograd_everywhere();
    torch::InferenceMode inference;
    const auto x = torch::rand({1, channels, 16, 16});
    const auto reference = conv->reference_forward(x);
    const auto output = conv->forward(x);
    EXPECT_TRUE(uses(conv, "wino"));
    EXPECT_TRUE(all_close(output, reference, tolerance_for(reference, 1e-5)));
  }
}

TEST(FastConv2d, NewWeightsTakeEffectOnTheNextCall) {
  // Weights are cached in oneDNN's layout; load_state_dict copies in place under NoGradGuard.
  torch::manual_seed(8);
  for (const auto& policy : {exact_policy(), winograd_everywhere()}) {
    auto conv = make_conv({32, 32, 3, 1, 1, 1, 1, 20, 20});
    conv->policy = policy;
    const auto x = torch::randn({1, 32, 20, 20});
    {
      torch::InferenceMode inference;
      conv->forward(x);
    }
    {
      torch::NoGradGuard no_grad;
      conv->weight.copy_(torch::randn_like(conv->weight));
      conv->bias.copy_(torch::randn_like(conv->bias));
    }
    torch::InferenceMode inference;
    const auto reference = conv->reference_forward(x);
    EXPECT_TRUE(all_close(conv->forward(x), reference, tolerance_for(reference, 1e-5)));
  }
}

TEST(FastConv2d, WeightsMadeUnderInferenceModeAreReadEveryCall) {
  // Such tensors have no version counter, so the cache cannot tell when they change.
  torch::InferenceMode inference;
  torch::manual_seed(9);
  auto conv = make_conv({16, 16, 3, 1, 1, 1, 1, 12, 12});
  const auto x = torch::randn({1, 16, 12, 12});
  conv->forward(x);
  conv->weight.mul_(-2);
  EXPECT_TRUE(all_close(conv->forward(x), conv->reference_forward(x), 1e-5));
}

TEST(FastConv2d, KeepsGradientsWhenTraining) {
  torch::manual_seed(10);
  auto conv = make_conv({8, 8, 3, 1, 1, 1, 1, 10, 10});
  const auto x = torch::randn({2, 8, 10, 10}, torch::requires_grad());
  const auto output = conv->forward(x);
  ASSERT_TRUE(output.requires_grad());
  output.square().sum().backward();
  ASSERT_TRUE(conv->weight.grad().defined());
  ASSERT_TRUE(x.grad().defined());
  EXPECT_GT(conv->weight.grad().abs().sum().item<double>(), 0.0);
}

TEST(FastConv2d, ClonesComputeWithTheirOwnWeights) {
  torch::manual_seed(11);
  auto conv = make_conv({16, 16, 3, 1, 1, 1, 1, 12, 12});
  const auto x = torch::randn({1, 16, 12, 12});
  torch::Tensor before;
  {
    torch::InferenceMode inference;
    before = conv->forward(x);
  }
  auto copy = std::dynamic_pointer_cast<FastConv2dImpl>(conv->clone());
  ASSERT_TRUE(copy);
  {
    torch::NoGradGuard no_grad;
    copy->weight.zero_();
  }
  torch::InferenceMode inference;
  EXPECT_TRUE(all_close(copy->forward(x), copy->reference_forward(x), 1e-6));
  EXPECT_EQ(max_abs_diff(conv->forward(x), before), 0.0) << "the original keeps its weights";
}

TEST(FastConv2d, ThreadsMayShareOneModule) {
  torch::manual_seed(12);
  auto conv = make_conv({32, 32, 3, 1, 1, 1, 1, 64, 64});
  conv->policy = winograd_everywhere();
  std::vector<torch::Tensor> inputs, outputs(4), references;
  for (int i = 0; i < 4; ++i) inputs.push_back(torch::randn({1, 32, 64 - 8 * i, 64}));
  {
    torch::InferenceMode inference;
    for (const auto& x : inputs) references.push_back(conv->reference_forward(x));
  }
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      torch::InferenceMode inference;
      for (int repeat = 0; repeat < 3; ++repeat) outputs[i] = conv->forward(inputs[i]);
    });
  }
  for (auto& thread : threads) thread.join();
  for (int i = 0; i < 4; ++i) {
    EXPECT_TRUE(all_close(outputs[i], references[i], tolerance_for(references[i], 1e-5))) << "thread " << i;
  }
}

TEST(FastConv2d, RunsAgainAfterItsWorkspaceIsReleased) {
  torch::manual_seed(13);
  auto conv = make_conv({32, 32, 3, 1, 1, 1, 1, 64, 64});
  conv->policy = winograd_everywhere();
  torch::InferenceMode inference;
  const auto x = torch::randn({1, 32, 64, 64});
  const auto first = conv->forward(x);
  release_conv_workspace();
  EXPECT_EQ(max_abs_diff(conv->forward(x), first), 0.0);
  release_conv_workspace();
  release_conv_workspace();  // twice is harmless
}

TEST(FastConv2d, ReportsWrongInputsAsTorchDoes) {
  auto conv = make_conv({16, 16, 3, 1, 1, 1, 1, 8, 8});
  torch::InferenceMode inference;
  EXPECT_THROW(conv->forward(torch::randn({1, 15, 8, 8})), c10::Error);  // channels
  EXPECT_THROW(conv->forward(torch::randn({1, 16, 1, 1}).narrow(2, 0, 0)), c10::Error);  // empty
  auto no_padding = make_conv({16, 16, 3, 1, 0, 1, 1, 2, 2});
  EXPECT_THROW(no_padding->forward(torch::randn({1, 16, 2, 2})), c10::Error);  // smaller than the kernel
}

TEST(FastConv2d, RegistersTheParametersOfConv2d) {
  auto conv = make_conv({6, 4, 3, 1, 1, 1, 2, 8, 8});
  const auto params = conv->named_parameters();
  ASSERT_EQ(params.size(), 2u);
  EXPECT_EQ(params["weight"].sizes(), torch::IntArrayRef({4, 3, 3, 3}));
  EXPECT_EQ(params["bias"].sizes(), torch::IntArrayRef({4}));
  EXPECT_THROW(FastConv2d(torch::nn::Conv2dOptions(4, 4, 3).padding_mode(torch::kReflect)), c10::Error);
}

TEST(FastConv2d, SetConvPolicyReachesEveryConvolutionOfANetwork) {
  // --exact must hold for all of them: a transposed convolution or MIRNet's blur left on the
  // default would still run Winograd or bf16 there.
  torch::nn::Sequential network(same_conv(4, 8, 3),
                                FastConvTranspose2d(torch::nn::ConvTranspose2dOptions(8, 4, 2).stride(2)),
                                mirnet::AntiAliasDownsample(4));
  ConvPolicy exact;
  exact.algorithm = ConvAlgorithm::exact;
  set_conv_policy(*network, exact);
  int holders = 0;
  for (const auto& module : network->modules(/*include_self=*/false)) {
    if (const auto* holder = dynamic_cast<const ConvPolicyHolder*>(module.get())) {
      ++holders;
      EXPECT_EQ(holder->policy.algorithm, ConvAlgorithm::exact);
    }
  }
  EXPECT_EQ(holders, 3);
}

}  // namespace
}  // namespace restora
