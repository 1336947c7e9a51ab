#include "nets/blocks/fused_conv.h"

#include "support/tensor_checks.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

namespace restora {
namespace {

using test::max_abs_diff;

FastConv2d conv3x3(int64_t in, int64_t out) { return same_conv(in, out, 3); }

ConvPolicy policy(ConvAlgorithm algorithm) {
  ConvPolicy p;
  p.algorithm = algorithm;
  p.winograd_min_pixels = 0;
  return p;
}

/// The same operations one after the other, as LibTorch computes them.
torch::Tensor step_by_step(FastConv2dImpl& conv, const torch::Tensor& x, double slope, const torch::Tensor& residual) {
  auto y = torch::leaky_relu(conv.reference_forward(x), slope);
  return residual.defined() ? y + residual : y;
}

TEST(FusedConv, ActivationAndResidualEqualTheStepsInBothLayoutsAndBothAlgorithms) {
  torch::manual_seed(21);
  auto conv = conv3x3(32, 32);
  torch::InferenceMode inference;
  const auto input = torch::randn({1, 32, 40, 36});
  const auto residual = torch::randn({1, 32, 40, 36});
  const auto residual_before = residual.clone();
  for (const bool channels_last : {false, true}) {
    const auto fmt = channels_last ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous;
    const auto x = input.contiguous(fmt);
    for (const auto algorithm : {ConvAlgorithm::exact, ConvAlgorithm::winograd}) {
      conv->policy = policy(algorithm);
      SCOPED_TRACE(std::string(channels_last ? "channels last" : "NCHW") +
                   (algorithm == ConvAlgorithm::exact ? ", exact" : ", Winograd"));
      ConvPostOps post;
      post.activation = true;
      post.residual = residual;
      if (algorithm == ConvAlgorithm::exact) {
        EXPECT_TRUE(conv->try_fused(x, post).defined()) << "oneDNN runs it in one pass";
      }
      for (const double slope : {0.0, 0.2}) {
        const double tolerance = algorithm == ConvAlgorithm::exact ? 1e-5 : 1e-4;
        const auto activated = conv_leaky_relu(*conv, x, slope);
        EXPECT_LT(max_abs_diff(activated, step_by_step(*conv, x, slope, {})), tolerance);
        EXPECT_GE(activated.min().item<double>(), slope == 0.0 ? 0.0 : -1e9);
        const auto plus = conv_leaky_relu_plus(*conv, x, slope, residual.contiguous(fmt));
        EXPECT_LT(max_abs_diff(plus, step_by_step(*conv, x, slope, residual)), tolerance);
        // Another layout of the residual than the input's is converted, not misread.
        const auto other = channels_last ? residual : residual.contiguous(at::MemoryFormat::ChannelsLast);
        EXPECT_LT(max_abs_diff(conv_plus(*conv, x, other), conv->reference_forward(x) + residual), tolerance);
        if (channels_last) {
          EXPECT_EQ(plus.suggest_memory_format(), at::MemoryFormat::ChannelsLast);
        }
      }
    }
  }
  // The residual is an input: it is left as it was.
  EXPECT_EQ(max_abs_diff(residual, residual_before), 0.0);
}

TEST(FusedConv, ExactChannelsLastIsBitIdenticalToTheSteps) {
  torch::manual_seed(22);
  auto conv = conv3x3(64, 64);
  conv->policy = policy(ConvAlgorithm::exact);
  torch::InferenceMode inference;
  const auto x = torch::randn({1, 64, 24, 20}).contiguous(at::MemoryFormat::ChannelsLast);
  const auto residual = torch::randn({1, 64, 24, 20}).contiguous(at::MemoryFormat::ChannelsLast);
  EXPECT_EQ(max_abs_diff(conv_leaky_relu_plus(*conv, x, 0.2, residual), step_by_step(*conv, x, 0.2, residual)), 0.0);
}

TEST(FusedConv, APreluWithOneWeightIsFusedAndOneWithManyStillComputesPerChannel) {
  torch::manual_seed(23);
  auto conv = conv3x3(16, 16);
  torch::nn::PReLU single;
  torch::nn::PReLU per_channel(torch::nn::PReLUOptions().num_parameters(16));
  {
    torch::NoGradGuard no_grad;
    single->weight.fill_(0.3);
    per_channel->weight.copy_(torch::linspace(-0.5, 0.5, 16));
  }
  torch::InferenceMode inference;
  const auto x = torch::randn({1, 16, 20, 20});
  const auto plain = conv->reference_forward(x);
  EXPECT_LT(max_abs_diff(conv_prelu(*conv, *single, x), single->forward(plain)), 1e-5);
  EXPECT_LT(max_abs_diff(conv_prelu(*conv, *per_channel, x), per_channel->forward(plain)), 1e-5);
}

TEST(FusedConv, ATransposedConvolutionFusesItsPreluInBothLayouts) {
  torch::manual_seed(26);
  // MIRNet's up-sampling: kernel 3, stride 2, padding 1, output padding 1 (a cropped border).
  FastConvTranspose2d up(torch::nn::ConvTranspose2dOptions(16, 16, 3).stride(2).padding(1).output_padding(1));
  torch::nn::PReLU act;
  {
    torch::NoGradGuard no_grad;
    act->weight.fill_(-0.4);  // negative: a wrong order of crop and activation would show
    up->bias.normal_();
  }
  torch::InferenceMode inference;
  const auto input = torch::randn({1, 16, 9, 11});
  for (const auto fmt : {at::MemoryFormat::Contiguous, at::MemoryFormat::ChannelsLast}) {
    const auto x = input.contiguous(fmt);
    ConvPostOps post;
    post.activation = true;
    EXPECT_TRUE(up->try_fused(x, post).defined()) << "oneDNN runs it in one pass";
    EXPECT_LT(max_abs_diff(conv_prelu(*up, *act, x), act->forward(up->reference_forward(x))), 1e-5);
  }
}

TEST(FusedConv, TrainingKeepsEveryGradientThroughThePlainPath) {
  torch::manual_seed(24);
  auto conv = conv3x3(8, 8);
  torch::nn::PReLU act;
  const auto x = torch::randn({2, 8, 10, 10}, torch::requires_grad());
  const auto residual = torch::randn({2, 8, 10, 10}, torch::requires_grad());
  FastConvTranspose2d up(torch::nn::ConvTranspose2dOptions(8, 8, 2).stride(2));
  torch::nn::PReLU up_act;
  (conv_prelu(*conv, *act, x).sum() + conv_leaky_relu_plus(*conv, x, 0.1, residual).square().sum() +
   conv_prelu(*up, *up_act, x).square().sum())
      .backward();
  EXPECT_GT(act->weight.grad().abs().sum().item<double>(), 0.0);
  EXPECT_GT(conv->weight.grad().abs().sum().item<double>(), 0.0);
  EXPECT_GT(up_act->weight.grad().abs().sum().item<double>(), 0.0);
  EXPECT_GT(up->weight.grad().abs().sum().item<double>(), 0.0);
  EXPECT_GT(residual.grad().abs().sum().item<double>(), 0.0);
}

TEST(FusedConv, AResidualOfAnotherShapeBroadcastsAsTheSumWould) {
  torch::manual_seed(25);
  auto conv = conv3x3(8, 8);
  torch::InferenceMode inference;
  const auto x = torch::randn({1, 8, 12, 12});
  const auto per_channel = torch::randn({1, 8, 1, 1});
  EXPECT_LT(max_abs_diff(conv_plus(*conv, x, per_channel), conv->reference_forward(x) + per_channel), 1e-5);
}

}  // namespace
}  // namespace restora
