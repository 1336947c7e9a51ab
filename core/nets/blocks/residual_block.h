#pragma once
#include "nets/blocks/fast_conv2d.h"

#include <torch/nn/cloneable.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <cstdint>

namespace restora {

/// EDSR's residual block without batch norm: x + conv2(relu(conv1(x))), 3x3 convolutions C -> C.
/// Parameters: conv1, conv2.  [N, C, H, W] -> [N, C, H, W]
class ResidualBlockImpl : public torch::nn::Cloneable<ResidualBlockImpl> {
 public:
  explicit ResidualBlockImpl(int64_t channels);
  void reset() override;
  torch::Tensor forward(const torch::Tensor& x);
  double macs(int64_t height, int64_t width) const;

  int64_t channels;
  FastConv2d conv1{nullptr}, conv2{nullptr};
};
TORCH_MODULE(ResidualBlock);

}  // namespace restora
