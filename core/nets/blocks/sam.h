#pragma once
#include "nets/blocks/fast_conv2d.h"

#include <torch/nn/cloneable.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <cstdint>
#include <utility>

namespace restora {

/// Supervised attention module shared by MPRNet and HINet. The two networks build it differently:
/// use mprnet_sam() (1x1 convolutions, bias as the model's `bias`) or hinet_sam() (3x3, bias).
/// Parameters: conv1 (C -> C), conv2 (C -> 3), conv3 (3 -> C).
class SupervisedAttentionImpl : public torch::nn::Cloneable<SupervisedAttentionImpl> {
 public:
  SupervisedAttentionImpl(int64_t channels, int64_t kernel_size, bool bias);
  void reset() override;

  /// features [N, C, H, W], image [N, 3, H, W] (or broadcastable to it) ->
  /// (features attended by the stage's image + features [N, C, H, W], stage image [N, 3, H, W]).
  std::pair<torch::Tensor, torch::Tensor> forward(const torch::Tensor& features, const torch::Tensor& image);

  double macs(int64_t height, int64_t width) const;

  int64_t channels;
  int64_t kernel_size;
  bool bias;
  FastConv2d conv1{nullptr}, conv2{nullptr}, conv3{nullptr};
};
TORCH_MODULE(SupervisedAttention);

/// MPRNet's SAM: kernel_size 1 and the model's `bias` flag.
inline SupervisedAttention mprnet_sam(int64_t channels, bool bias) { return SupervisedAttention(channels, 1, bias); }

/// HINet's SAM: 3x3 convolutions with bias.
inline SupervisedAttention hinet_sam(int64_t channels) { return SupervisedAttention(channels, 3, true); }

}  // namespace restora
