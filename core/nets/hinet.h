#pragma once
#include "nets/blocks/fast_conv2d.h"
#include "nets/blocks/sam.h"
#include "nets/blocks/unet_conv_block.h"
#include "nets/network_spec.h"
#include "nets/restoration_network.h"

#include <torch/nn/pimpl.h>

#include <memory>
#include <vector>

namespace restora {

/// HINet's constructor arguments under their official names and defaults (hinet_arch.py).
/// HIN is used at every level i with hin_position_left <= i <= hin_position_right.
struct HinetOptions {
  TORCH_ARG(int64_t, in_chn) = 3;
  TORCH_ARG(int64_t, wf) = 64;
  TORCH_ARG(int64_t, depth) = 5;
  TORCH_ARG(double, relu_slope) = 0.2;
  TORCH_ARG(int64_t, hin_position_left) = 0;
  TORCH_ARG(int64_t, hin_position_right) = 4;
};

/// Half Instance Normalization Network (Chen et al., CVPRW 2021), parameter for parameter the
/// official megvii-model/HINet model: two U-Nets joined by a supervised attention module and
/// cross-stage feature fusion. The transposed convolutions run as FastConvTranspose2d.
/// [N, in_chn, H, W] (H, W multiples of 2^(depth-1)) -> [out_1 (stage 1), out_2 (restored)].
class HinetImpl : public RestorationNetworkImpl {
 public:
  explicit HinetImpl(HinetOptions options = {});

  std::vector<torch::Tensor> forward_stages(const torch::Tensor& input) override;
  size_t final_index() const override { return 1; }
  int64_t size_multiple() const override { return int64_t{1} << (options.depth() - 1); }
  int64_t input_channels() const override { return options.in_chn(); }
  int64_t output_channels() const override { return options.in_chn(); }
  double gflop(int64_t height, int64_t width) const override;

  /// Run the convolutions on channels-last (NHWC) activations; outputs are NCHW either way.
  /// Numerically equivalent (the order of accumulation inside oneDNN may differ by ~1e-7).
  /// Off by default: no consistent gain measured (instance norm and concatenations copy).
  void set_channels_last(bool enabled) { channels_last_ = enabled; }
  bool channels_last() const { return channels_last_; }

  const HinetOptions options;

 private:
  bool channels_last_ = false;
  /// One U-Net: the modules of down_path_k, up_path_k and skip_conv_k, typed.
  struct Path {
    std::vector<UNetConvBlock> down;
    std::vector<UNetUpBlock> up;
    std::vector<FastConv2d> skip;
  };

  FastConv2d conv_01{nullptr}, conv_02{nullptr};
  Path path_1, path_2;
  SupervisedAttention sam12{nullptr};
  FastConv2d cat12{nullptr}, last{nullptr};
};
TORCH_MODULE(Hinet);

/// Builds HINet from official constructor arguments (absent ones take the defaults).
/// Throws restora::Error(BadInput) for unknown or invalid arguments.
std::shared_ptr<RestorationNetworkImpl> make_hinet(const ArgMap& args);

}  // namespace restora
