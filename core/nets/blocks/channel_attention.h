#pragma once
#include "nets/blocks/conv_cost.h"

#include <torch/nn/cloneable.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <cstdint>

namespace restora {

/// Squeeze-and-excitation channel attention (MPRNet's CALayer): global average pool ->
/// 1x1 C -> C/r -> ReLU -> 1x1 C/r -> C -> sigmoid, scaling the input per channel.
/// Parameters: conv_du.0.{weight,bias}, conv_du.2.{weight,bias} (bias only when asked).
/// [N, C, H, W] -> [N, C, H, W]
class ChannelAttentionImpl : public torch::nn::Cloneable<ChannelAttentionImpl> {
 public:
  ChannelAttentionImpl(int64_t channels, int64_t reduction, bool bias);
  void reset() override;
  torch::Tensor forward(const torch::Tensor& x);

  /// Multiply-adds of one forward on an H x W map.
  double macs(int64_t height, int64_t width) const;

  int64_t channels;
  int64_t reduction;
  bool bias;
  torch::nn::Sequential conv_du{nullptr};
};
TORCH_MODULE(ChannelAttention);

/// MPRNet's channel attention block: CA(conv3x3 -> act -> conv3x3 (x)) + x.
/// `act` is a module owned by the caller and possibly shared: the official MPRNet passes ONE
/// PReLU to every CAB, so its single weight appears under every `*.body.1.weight` key.
/// Parameters: body.0, body.1 (act), body.2, CA.conv_du.*.
/// [N, C, H, W] -> [N, C, H, W]
class ChannelAttentionBlockImpl : public torch::nn::Cloneable<ChannelAttentionBlockImpl> {
 public:
  ChannelAttentionBlockImpl(int64_t channels, int64_t kernel_size, int64_t reduction, bool bias,
                            torch::nn::PReLU act);
  void reset() override;
  torch::Tensor forward(const torch::Tensor& x);

  double macs(int64_t height, int64_t width) const;

  int64_t channels;
  int64_t kernel_size;
  int64_t reduction;
  bool bias;
  torch::nn::PReLU act;
  torch::nn::Sequential body{nullptr};
  ChannelAttention CA{nullptr};
};
TORCH_MODULE(ChannelAttentionBlock);

}  // namespace restora
