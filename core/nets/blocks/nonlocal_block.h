#pragma once
#include "nets/blocks/fast_conv2d.h"

#include <torch/nn/cloneable.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <cstdint>

namespace restora {

/// Embedded-Gaussian non-local block (Wang et al., CVPR 2018), without batch norm:
/// z = x + W_z( softmax_j(theta(x_i) . phi(x_j)) g(x_j) ), theta/phi/g 1x1 convolutions C -> C/2,
/// W_z 1x1 C/2 -> C. W_z starts at zero, so a fresh block is the identity (Wang et al. zero the
/// BN scale after W_z for the same reason). Every position attends to every other position of the
/// map: memory and time are quadratic in H*W (attention_elements()).
/// Parameters: theta, phi, g, out.  [N, C, H, W] -> [N, C, H, W]
class NonLocalBlockImpl : public torch::nn::Cloneable<NonLocalBlockImpl> {
 public:
  explicit NonLocalBlockImpl(int64_t channels);
  void reset() override;
  torch::Tensor forward(const torch::Tensor& x);

  /// Elements of the attention matrix for one image of H x W: (H*W)^2.
  static double attention_elements(int64_t height, int64_t width) {
    const double positions = static_cast<double>(height) * static_cast<double>(width);
    return positions * positions;
  }
  /// Multiply-adds on an H x W map (the 1x1 convolutions and the two attention products).
  double macs(int64_t height, int64_t width) const;

  int64_t channels;
  int64_t inner_channels;
  FastConv2d theta{nullptr}, phi{nullptr}, g{nullptr}, out{nullptr};
};
TORCH_MODULE(NonLocalBlock);

}  // namespace restora
