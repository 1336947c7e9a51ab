#pragma once
#include "nets/blocks/fast_conv2d.h"

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <cstdint>

namespace restora::mirnet_v2 {

/// Global context block (GCNet style): a 1x1 conv C->1 gives a softmax over all H*W pixels,
/// the attention-weighted sum of x per channel goes through 1x1 -> LeakyReLU(0.2) -> 1x1 and is
/// added to every pixel. Keys: conv_mask, channel_add_conv.0, channel_add_conv.2.
/// [N, C, H, W] -> [N, C, H, W]
class ContextBlockImpl : public torch::nn::Module {
 public:
  ContextBlockImpl(int64_t channels, bool bias);
  torch::Tensor forward(const torch::Tensor& x);
  double macs(int64_t h, int64_t w) const;

 private:
  int64_t channels_;
  FastConv2d conv_mask_{nullptr};
  FastConv2d add1_{nullptr};
  FastConv2d add2_{nullptr};
};
TORCH_MODULE(ContextBlock);

/// Residual context block: 3x3 (groups) -> LeakyReLU(0.2) -> 3x3 (groups) -> ContextBlock ->
/// LeakyReLU(0.2), plus the input. Keys: body.0, body.2, gcnet.
/// [N, C, H, W] -> [N, C, H, W]; C must be divisible by `groups`.
class RcbImpl : public torch::nn::Module {
 public:
  RcbImpl(int64_t channels, bool bias, int64_t groups);
  torch::Tensor forward(const torch::Tensor& x);
  double macs(int64_t h, int64_t w) const;

 private:
  int64_t channels_;
  int64_t groups_;
  FastConv2d conv1_{nullptr};
  FastConv2d conv2_{nullptr};
  ContextBlock context_{nullptr};
};
TORCH_MODULE(Rcb);

}  // namespace restora::mirnet_v2
