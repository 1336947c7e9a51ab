#pragma once
// Small networks with known properties for the engine's tests: purely local ones (a receptive
// field of a few pixels, so tiling is exact), and ones that fail on request.
#include "nets/restoration_network.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <atomic>
#include <new>

namespace restora::test {

/// Three 3x3 convolutions (receptive radius 3) with fixed random weights, then, for scale > 1, a
/// pixel shuffle: [1, in, H, W] -> [1, 3, H * scale, W * scale]. Sigmoid output keeps [0, 1].
class LocalConvNetImpl : public RestorationNetworkImpl {
 public:
  explicit LocalConvNetImpl(int64_t in_channels = 3, int64_t scale = 1, int64_t multiple = 4, uint64_t seed = 7)
      : in_channels_(in_channels), scale_(scale), multiple_(multiple) {
    torch::manual_seed(seed);
    c1 = register_module("c1", torch::nn::Conv2d(torch::nn::Conv2dOptions(in_channels, 8, 3).padding(1)));
    c2 = register_module("c2", torch::nn::Conv2d(torch::nn::Conv2dOptions(8, 8, 3).padding(1)));
    c3 = register_module("c3", torch::nn::Conv2d(torch::nn::Conv2dOptions(8, 3 * scale * scale, 3).padding(1)));
  }
  std::vector<torch::Tensor> forward_stages(const torch::Tensor& input) override {
    EXPECT_EQ(input.size(2) % multiple_, 0);
    EXPECT_EQ(input.size(3) % multiple_, 0);
    ++calls;
    torch::Tensor x = c3(torch::relu(c2(torch::relu(c1(input)))));
    if (scale_ > 1) x = torch::pixel_shuffle(x, scale_);
    return {torch::sigmoid(x)};
  }
  size_t final_index() const override { return 0; }
  int64_t size_multiple() const override { return multiple_; }
  int64_t input_channels() const override { return in_channels_; }
  int64_t internal_scale() const override { return scale_; }
  double gflop(int64_t, int64_t) const override { return 0.0; }

  torch::nn::Conv2d c1{nullptr}, c2{nullptr}, c3{nullptr};
  std::atomic<int> calls{0};

 private:
  int64_t in_channels_;
  int64_t scale_;
  int64_t multiple_;
};

/// Returns its input: [1, 3, H, W] -> the same.
class IdentityNetImpl : public RestorationNetworkImpl {
 public:
  std::vector<torch::Tensor> forward_stages(const torch::Tensor& input) override { return {input.clone()}; }
  size_t final_index() const override { return 0; }
  int64_t size_multiple() const override { return 8; }
  double gflop(int64_t, int64_t) const override { return 0.0; }
};

/// A reference-based x2 network, purely local: nearest-upscaled input plus the reference's pixel
/// at the same output position (after dropping the margin), halved. Tiling is exact only if the
/// engine places the reference tile exactly.
class ReferenceNetImpl : public RestorationNetworkImpl {
 public:
  std::vector<torch::Tensor> forward_stages(const torch::Tensor& input) override { return {input}; }
  std::vector<torch::Tensor> forward_stages_with_reference(const torch::Tensor& input,
                                                           const torch::Tensor& reference) override {
    const int64_t m = reference_margin() * internal_scale();
    EXPECT_EQ(reference.size(2), input.size(2) * 2 + 2 * m);
    EXPECT_EQ(reference.size(3), input.size(3) * 2 + 2 * m);
    namespace F = torch::nn::functional;
    const auto up = F::interpolate(input, F::InterpolateFuncOptions().scale_factor(std::vector<double>{2.0, 2.0}).mode(torch::kNearest));
    // A 3x3 blur of the reference reaches one pixel into the margin.
    const auto blurred = F::avg_pool2d(reference, F::AvgPool2dFuncOptions(3).stride(1));
    const auto inner = blurred.slice(2, m - 1, m - 1 + up.size(2)).slice(3, m - 1, m - 1 + up.size(3));
    return {0.5 * (up + inner)};
  }
  size_t final_index() const override { return 0; }
  int64_t size_multiple() const override { return 4; }
  int64_t internal_scale() const override { return 2; }
  bool takes_reference() const override { return true; }
  int64_t reference_margin() const override { return 3; }
  double gflop(int64_t, int64_t) const override { return 0.0; }
};

}  // namespace restora::test
