#pragma once
#include "nets/blocks/fast_conv2d.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace restora::mirnet {

/// The two official SKFF variants differ only in the squeeze activation (and so in the
/// state dict: MIRNet's PReLU has a weight at conv_du.1, MIRNet-v2's LeakyReLU has none).
enum class SkffActivation {
  PReLU,           ///< MIRNet: nn.PReLU() (its own scalar per SKFF)
  LeakyReLU_0_2,   ///< MIRNet-v2: nn.LeakyReLU(0.2)
};

struct SkffOptions {
  int64_t channels = 0;
  int64_t height = 2;  ///< number of branches fused
  SkffActivation activation = SkffActivation::PReLU;

  static SkffOptions for_mirnet(int64_t channels, int64_t height) {
    return {channels, height, SkffActivation::PReLU};
  }
  static SkffOptions for_mirnet_v2(int64_t channels) { return {channels, 2, SkffActivation::LeakyReLU_0_2}; }
};

/// Selective kernel feature fusion: a channel-wise softmax over `height` branches, driven by
/// the global average of their sum. Keys: conv_du.0.weight, [conv_du.1.weight], fcs.<i>.weight.
/// Never biased (neither official network passes `bias` to it).
/// height x [N, C, H, W] -> [N, C, H, W]
class SkffImpl : public torch::nn::Module {
 public:
  explicit SkffImpl(const SkffOptions& options);
  torch::Tensor forward(const std::vector<torch::Tensor>& branches);
  double macs() const;  ///< the 1x1 convolutions on the pooled 1x1 map

 private:
  SkffOptions options_;
  int64_t reduced_ = 0;
  FastConv2d squeeze_{nullptr};
  torch::nn::PReLU prelu_{nullptr};
  std::vector<FastConv2d> excite_;
};
TORCH_MODULE(Skff);

}  // namespace restora::mirnet
