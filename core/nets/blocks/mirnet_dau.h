#pragma once
#include "nets/blocks/fast_conv2d.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <cstdint>

namespace restora::mirnet {

/// MIRNet's spatial attention: [max over C, mean over C] -> 5x5 conv 2->1 (no bias) -> sigmoid,
/// which scales every pixel. Key: spatial.conv.weight.
/// [N, C, H, W] -> [N, C, H, W]
class SpatialAttentionImpl : public torch::nn::Module {
 public:
  SpatialAttentionImpl();
  torch::Tensor forward(const torch::Tensor& x);

 private:
  FastConv2d conv_{nullptr};
};
TORCH_MODULE(SpatialAttention);

/// MIRNet's channel attention (ca_layer): global average -> 1x1 C->C/8 -> ReLU -> 1x1 -> sigmoid,
/// which scales every channel. Keys: conv_du.0.*, conv_du.2.*.
/// [N, C, H, W] -> [N, C, H, W]
class ChannelAttentionImpl : public torch::nn::Module {
 public:
  ChannelAttentionImpl(int64_t channels, bool bias);
  torch::Tensor forward(const torch::Tensor& x);
  double macs() const;

 private:
  int64_t channels_;
  FastConv2d squeeze_{nullptr};
  FastConv2d excite_{nullptr};
};
TORCH_MODULE(ChannelAttention);

/// Dual attention unit: conv-act-conv, then spatial and channel attention side by side, fused
/// by a 1x1 conv 2C->C, plus the input. Always bias-free (MSRB never passes `bias`).
/// `act` is the PReLU that the official default argument shares between every DAU of the
/// network: pass the same module to all of them so that it appears under each body.1.weight.
/// [N, C, H, W] -> [N, C, H, W]
class DauImpl : public torch::nn::Module {
 public:
  DauImpl(int64_t channels, torch::nn::PReLU act);
  torch::Tensor forward(const torch::Tensor& x);
  double macs(int64_t h, int64_t w) const;

 private:
  int64_t channels_;
  FastConv2d conv1_{nullptr};
  torch::nn::PReLU act_{nullptr};
  FastConv2d conv2_{nullptr};
  SpatialAttention spatial_{nullptr};
  ChannelAttention channel_{nullptr};
  FastConv2d fuse_{nullptr};
};
TORCH_MODULE(Dau);

}  // namespace restora::mirnet
