#pragma once
#include "nets/blocks/conv_transpose.h"
#include "nets/blocks/fast_conv2d.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace restora::mirnet {

/// Anti-aliased stride-2 downsampling (MIRNet's utils/antialias.py, filt_size 3): reflection
/// pad 1, then a depthwise blur with the fixed buffer `filt` = [1,2,1] x [1,2,1] / 16, shape
/// [C, 1, 3, 3]. The buffer is part of the official state dict, so it is a registered buffer.
/// [N, C, H, W] -> [N, C, ceil(H/2), ceil(W/2)]
class AntiAliasDownsampleImpl : public torch::nn::Module, public ConvPolicyHolder {
 public:
  explicit AntiAliasDownsampleImpl(int64_t channels);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  torch::Tensor filt_;
  OnednnConv onednn_;
};
TORCH_MODULE(AntiAliasDownsample);

/// Keys top.{0,1,2,3,4,5}, bot.{0,1}: top = 1x1, PReLU, 3x3, PReLU, anti-alias, 1x1 C->2C;
/// bot = anti-alias, 1x1 C->2C; output top + bot. Always bias-free.
/// [N, C, H, W] -> [N, 2C, H/2, W/2]
class ResidualDownSampleImpl : public torch::nn::Module {
 public:
  explicit ResidualDownSampleImpl(int64_t channels);
  torch::Tensor forward(const torch::Tensor& x);
  double macs(int64_t h, int64_t w) const;

 private:
  int64_t channels_;
  FastConv2d top_in_{nullptr};
  torch::nn::PReLU top_act1_{nullptr};
  FastConv2d top_conv_{nullptr};
  torch::nn::PReLU top_act2_{nullptr};
  AntiAliasDownsample top_down_{nullptr};
  FastConv2d top_out_{nullptr};
  AntiAliasDownsample bot_down_{nullptr};
  FastConv2d bot_out_{nullptr};
};
TORCH_MODULE(ResidualDownSample);

/// Keys top.{0,1,2,3,4}, bot.1: top = 1x1, PReLU, ConvTranspose2d(3, stride 2, padding 1,
/// output_padding 1), PReLU, 1x1 C->C/2; bot = bilinear x2 (align_corners False), 1x1 C->C/2.
/// Always bias-free. [N, C, H, W] -> [N, C/2, 2H, 2W]
class ResidualUpSampleImpl : public torch::nn::Module {
 public:
  explicit ResidualUpSampleImpl(int64_t channels);
  torch::Tensor forward(const torch::Tensor& x);
  double macs(int64_t h, int64_t w) const;

 private:
  int64_t channels_;
  FastConv2d top_in_{nullptr};
  torch::nn::PReLU top_act1_{nullptr};
  FastConvTranspose2d top_up_{nullptr};
  torch::nn::PReLU top_act2_{nullptr};
  FastConv2d top_out_{nullptr};
  FastConv2d bot_out_{nullptr};
};
TORCH_MODULE(ResidualUpSample);

/// log2(scale) ResidualDownSamples in a row (keys body.<i>.*), doubling the channels each time.
/// [N, C, H, W] -> [N, C*scale, H/scale, W/scale]
class DownSampleImpl : public torch::nn::Module {
 public:
  DownSampleImpl(int64_t channels, int64_t scale);
  torch::Tensor forward(torch::Tensor x);
  double macs(int64_t h, int64_t w) const;

 private:
  std::vector<ResidualDownSample> steps_;
};
TORCH_MODULE(DownSample);

/// log2(scale) ResidualUpSamples in a row (keys body.<i>.*), halving the channels each time.
/// [N, C, H, W] -> [N, C/scale, H*scale, W*scale]
class UpSampleImpl : public torch::nn::Module {
 public:
  UpSampleImpl(int64_t channels, int64_t scale);
  torch::Tensor forward(torch::Tensor x);
  double macs(int64_t h, int64_t w) const;

 private:
  std::vector<ResidualUpSample> steps_;
};
TORCH_MODULE(UpSample);

/// Number of x2 steps in a power-of-two scale (np.log2 then int(), as the official code).
int64_t log2_steps(int64_t scale);

}  // namespace restora::mirnet
