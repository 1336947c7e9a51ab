#pragma once
#include "nets/blocks/fast_conv2d.h"
#include "nets/blocks/mirnet_skff.h"
#include "nets/blocks/mirnet_v2_rcb.h"
#include "nets/blocks/mirnet_v2_resample.h"

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <cstdint>

namespace restora::mirnet_v2 {

/// Channels of MIRNet-v2's three scales: int(n_feat * chan_factor^k), k = 0, 1, 2.
int64_t level_channels(int64_t n_feat, double chan_factor, int64_t level);

/// Multi-scale residual block, fixed at 3 scales and 2 passes whatever height/width say.
/// Each pass runs the SAME three RCBs and two SKFFs; only the upsamplers differ per pass
/// (up21_1/up32_1, then up21_2/up32_2). Keys (official order): dau_top, dau_mid, dau_bot, down2,
/// down4.{0,1}, up21_1, up21_2, up32_1, up32_2, conv_out (1x1), skff_top, skff_mid.
/// [N, n_feat, H, W] -> [N, n_feat, H, W], H and W multiples of 4.
class MrbImpl : public torch::nn::Module {
 public:
  MrbImpl(int64_t n_feat, double chan_factor, bool bias, int64_t groups);
  torch::Tensor forward(const torch::Tensor& x);
  double macs(int64_t h, int64_t w) const;

 private:
  int64_t n_feat_;
  Rcb top_{nullptr}, mid_{nullptr}, bot_{nullptr};
  DownSample down2_{nullptr}, down4_first_{nullptr}, down4_second_{nullptr};
  UpSample up21_1_{nullptr}, up21_2_{nullptr}, up32_1_{nullptr}, up32_2_{nullptr};
  FastConv2d conv_out_{nullptr};
  mirnet::Skff skff_top_{nullptr}, skff_mid_{nullptr};
};
TORCH_MODULE(Mrb);

}  // namespace restora::mirnet_v2
