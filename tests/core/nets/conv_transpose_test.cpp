#include "nets/blocks/conv_transpose.h"

#include "support/tensor_checks.h"

#include <gtest/gtest.h>

#include <thread>
#include <torch/torch.h>

#include <ostream>

namespace restora {
namespace {

namespace F = torch::nn::functional;

struct TransposeCase {
  int64_t in, out, kernel, stride, padding, output_padding;
  int64_t height, width;
  bool bias = true;
  int64_t groups = 1;
  int64_t dilation = 1;
};

std::ostream& operator<<(std::ostream& os, const TransposeCase& c) {
  return os << c.in << "->" << c.out << " k" << c.kernel << " s" << c.stride << " p" << c.padding << " op"
            << c.output_padding << " g" << c.groups << " d" << c.dilation << (c.bias ? " bias" : "") << " on "
            << c.height << "x" << c.width;
}

class FastConvTranspose2dMatchesTorch : public ::testing::TestWithParam<TransposeCase> {};

TEST_P(FastConvTranspose2dMatchesTorch, OnRandomWeightsAndInput) {
  const auto& c = GetParam();
  torch::manual_seed(7);
  FastConvTranspose2d layer(torch::nn::ConvTranspose2dOptions(c.in, c.out, c.kernel)
                                .stride(c.stride)
                                .padding(c.padding)
                                .output_padding(c.output_padding)
                                .groups(c.groups)
                                .dilation(c.dilation)
                                .bias(c.bias));
  if (c.bias) {
    torch::NoGradGuard no_grad;
    layer->bias.normal_();  // zero-initialised: make a wrong bias placement visible
  }
  const auto input = torch::randn({2, c.in, c.height, c.width});
  torch::InferenceMode inference;
  const auto expected = F::conv_transpose2d(input, layer->weight,
                                            F::ConvTranspose2dFuncOptions()
                                                .bias(layer->bias)
                                                .stride(c.stride)
                                                .padding(c.padding)
                                                .output_padding(c.output_padding)
                                                .groups(c.groups)
                                                .dilation(c.dilation));
  const auto actual = layer->forward(input);
  // Planar in: planar out, or channels-last where the phase convolution computed that way.
  EXPECT_TRUE(actual.is_contiguous() || actual.is_contiguous(at::MemoryFormat::ChannelsLast));
  EXPECT_TRUE(test::all_close(actual, expected, 1e-5));
}

INSTANTIATE_TEST_SUITE_P(
    KernelStridePaddingSizes, FastConvTranspose2dMatchesTorch,
    ::testing::Values(
        // HINet up blocks and MIRNet residual up-sampling.
        TransposeCase{16, 8, 2, 2, 0, 0, 9, 13}, TransposeCase{16, 8, 3, 2, 1, 1, 11, 6},
        TransposeCase{16, 8, 2, 2, 0, 0, 1, 1}, TransposeCase{8, 16, 3, 2, 1, 1, 1, 7},
        // Other kernels, strides, paddings and output paddings, odd sizes.
        TransposeCase{5, 7, 1, 1, 0, 0, 5, 9}, TransposeCase{5, 7, 3, 1, 1, 0, 8, 3},
        TransposeCase{6, 4, 4, 2, 1, 0, 7, 10}, TransposeCase{6, 4, 4, 2, 1, 1, 7, 10},
        TransposeCase{3, 5, 5, 3, 2, 2, 6, 5}, TransposeCase{3, 5, 3, 3, 0, 0, 4, 4},
        TransposeCase{3, 5, 1, 2, 0, 1, 5, 6}, TransposeCase{4, 4, 2, 3, 0, 2, 3, 8},
        TransposeCase{4, 3, 7, 4, 3, 3, 5, 3}, TransposeCase{4, 3, 5, 2, 4, 1, 9, 9},
        TransposeCase{4, 3, 3, 2, 0, 0, 6, 7, false}, TransposeCase{4, 3, 2, 2, 0, 0, 6, 7, false},
        // Groups and dilation.
        TransposeCase{8, 6, 3, 2, 1, 1, 5, 7, true, 2}, TransposeCase{8, 8, 2, 2, 0, 0, 4, 3, false, 4},
        TransposeCase{4, 6, 3, 2, 1, 0, 6, 5, true, 1, 2}, TransposeCase{6, 6, 3, 1, 2, 0, 5, 8, true, 3, 3}));

TEST_P(FastConvTranspose2dMatchesTorch, OnChannelsLastInputKeepingTheLayout) {
  const auto& c = GetParam();
  torch::manual_seed(9);
  FastConvTranspose2d layer(torch::nn::ConvTranspose2dOptions(c.in, c.out, c.kernel)
                                .stride(c.stride)
                                .padding(c.padding)
                                .output_padding(c.output_padding)
                                .groups(c.groups)
                                .dilation(c.dilation)
                                .bias(c.bias));
  const auto input = torch::randn({1, c.in, c.height, c.width}).contiguous(at::MemoryFormat::ChannelsLast);
  torch::InferenceMode inference;
  const auto actual = layer->forward(input);
  EXPECT_TRUE(test::all_close(actual, layer->reference_forward(input.contiguous()), 1e-5));
  if (c.height > 1 && c.width > 1 && c.out > 1) {
    EXPECT_TRUE(actual.is_contiguous(at::MemoryFormat::ChannelsLast));
  }
}

TEST(FastConvTranspose2d, HandlesDifferentStridesAndPaddingsPerAxis) {
  torch::manual_seed(3);
  FastConvTranspose2d layer(
      torch::nn::ConvTranspose2dOptions(4, 5, {3, 2}).stride({2, 3}).padding({1, 0}).output_padding({1, 2}));
  {
    torch::NoGradGuard no_grad;
    layer->bias.normal_();
  }
  const auto input = torch::randn({1, 4, 7, 6});
  torch::InferenceMode inference;
  EXPECT_TRUE(test::all_close(layer->forward(input), layer->reference_forward(input), 1e-5));
}

TEST(FastConvTranspose2d, FollowsWeightsReplacedAfterAnEarlierForward) {
  torch::manual_seed(11);
  FastConvTranspose2d layer(torch::nn::ConvTranspose2dOptions(6, 4, 2).stride(2));
  const auto input = torch::randn({1, 6, 5, 5});
  torch::InferenceMode inference;
  layer->forward(input);  // builds the rearranged weight
  {
    torch::NoGradGuard no_grad;
    layer->weight.copy_(torch::randn_like(layer->weight));  // as load_state_dict does
    layer->bias.copy_(torch::randn_like(layer->bias));
  }
  EXPECT_TRUE(test::all_close(layer->forward(input), layer->reference_forward(input), 1e-5));
}

TEST(FastConvTranspose2d, WorksWhenBuiltUnderInferenceMode) {
  torch::manual_seed(13);
  torch::InferenceMode inference;
  FastConvTranspose2d layer(torch::nn::ConvTranspose2dOptions(6, 4, 3).stride(2).padding(1).output_padding(1));
  const auto input = torch::randn({1, 6, 5, 4});
  EXPECT_TRUE(test::all_close(layer->forward(input), layer->reference_forward(input), 1e-5));
  layer->weight.copy_(torch::randn_like(layer->weight));
  EXPECT_TRUE(test::all_close(layer->forward(input), layer->reference_forward(input), 1e-5));
}

TEST(FastConvTranspose2d, RegistersTheOfficialParameterNamesAndShapes) {
  FastConvTranspose2d layer(torch::nn::ConvTranspose2dOptions(64, 32, 2).stride(2));
  const auto params = layer->named_parameters();
  ASSERT_EQ(params.size(), 2u);
  EXPECT_EQ(params["weight"].sizes(), torch::IntArrayRef({64, 32, 2, 2}));
  EXPECT_EQ(params["bias"].sizes(), torch::IntArrayRef({32}));
}

// Training runs the stride-phase rewrite under autograd (LibTorch's own transposed convolution is
// a slow reference loop on the CPU): its gradients for input, weight and bias must be LibTorch's.
TEST_P(FastConvTranspose2dMatchesTorch, GivesTheReferenceGradientsForInputWeightAndBias) {
  const auto c = GetParam();
  torch::manual_seed(11);
  FastConvTranspose2d layer(torch::nn::ConvTranspose2dOptions(c.in, c.out, c.kernel)
                                .stride(c.stride)
                                .padding(c.padding)
                                .output_padding(c.output_padding)
                                .groups(c.groups)
                                .dilation(c.dilation)
                                .bias(c.bias));
  const auto input = torch::randn({2, c.in, c.height, c.width}).requires_grad_();
  auto gradients = [&](bool fast) {
    input.mutable_grad() = torch::Tensor();
    for (auto& p : layer->parameters()) p.mutable_grad() = torch::Tensor();
    const auto output = fast ? layer->forward(input) : layer->reference_forward(input);
    // A non-uniform upstream gradient, so that every phase and position is weighted differently.
    (output * torch::linspace(-1, 2, output.numel()).view(output.sizes())).sum().backward();
    std::vector<torch::Tensor> grads = {input.grad().clone(), layer->weight.grad().clone()};
    if (c.bias) grads.push_back(layer->bias.grad().clone());
    return grads;
  };
  const auto fast = gradients(true);
  const auto reference = gradients(false);
  ASSERT_EQ(fast.size(), reference.size());
  for (size_t i = 0; i < fast.size(); ++i) EXPECT_TRUE(test::all_close(fast[i], reference[i], 1e-4)) << "gradient " << i;
}

TEST(FastConvTranspose2d, PropagatesGradientsLikeTheReference) {
  torch::manual_seed(5);
  FastConvTranspose2d layer(torch::nn::ConvTranspose2dOptions(3, 4, 3).stride(2).padding(1).output_padding(1));
  const auto input = torch::randn({1, 3, 5, 4});
  layer->forward(input).square().sum().backward();
  const auto fast_grad = layer->weight.grad().clone();
  layer->weight.mutable_grad().zero_();
  layer->reference_forward(input).square().sum().backward();
  EXPECT_TRUE(test::all_close(fast_grad, layer->weight.grad(), 1e-4));
}

}  // namespace
}  // namespace restora

namespace restora {
namespace {

TEST(FastConvTranspose2dThreads, SeveralThreadsRunningOneModuleGetTheSameResult) {
  FastConvTranspose2d module(torch::nn::ConvTranspose2dOptions(8, 4, 3).stride(2).padding(1).output_padding(1));
  const auto input = torch::rand({1, 8, 9, 11});
  torch::Tensor expected;
  {
    torch::NoGradGuard no_grad;
    expected = module->reference_forward(input);
  }
  std::vector<torch::Tensor> results(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < results.size(); ++t)
    threads.emplace_back([&, t] {
      torch::NoGradGuard no_grad;
      for (int repeat = 0; repeat < 20; ++repeat) results[t] = module->forward(input);
    });
  for (auto& thread : threads) thread.join();
  for (const auto& result : results) EXPECT_TRUE(torch::allclose(result, expected, 1e-5, 1e-5));
}

}  // namespace
}  // namespace restora
