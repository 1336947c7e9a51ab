#pragma once
#include "nets/blocks/conv_transpose.h"
#include "nets/blocks/fast_conv2d.h"

#include <torch/nn/cloneable.h>
#include <torch/nn/functional/instancenorm.h>  // the module header needs it first
#include <torch/nn/modules/instancenorm.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <cstdint>

namespace restora {

struct UNetConvBlockOptions {
  UNetConvBlockOptions(int64_t in_size, int64_t out_size) : in_size_(in_size), out_size_(out_size) {}
  TORCH_ARG(int64_t, in_size);
  TORCH_ARG(int64_t, out_size);
  TORCH_ARG(bool, downsample) = false;   ///< add a 4x4 stride-2 conv_down (no bias) after the block
  TORCH_ARG(double, relu_slope) = 0.2;
  TORCH_ARG(bool, use_csff) = false;      ///< only takes effect with downsample, as in the official code
  TORCH_ARG(bool, use_hin) = false;       ///< half instance normalisation after conv_1
};

/// HINet's residual block: conv_1 3x3 -> [HIN: instance-normalise the first half of the
/// channels, affine, always with the input's own statistics] -> LeakyReLU -> conv_2 3x3 ->
/// LeakyReLU, plus identity (1x1 conv with bias) of the input; optionally plus csff_enc(enc) +
/// csff_dec(dec) (3x3) from stage 1.
/// Parameters: identity, conv_1, conv_2, [csff_enc, csff_dec], [norm], [downsample].
/// [N, in, H, W] -> out [N, out, H, W] and, with downsample, down [N, out, H/2, W/2]
class UNetConvBlockImpl : public torch::nn::Cloneable<UNetConvBlockImpl> {
 public:
  explicit UNetConvBlockImpl(UNetConvBlockOptions options);
  void reset() override;

  struct Output {
    torch::Tensor down;  ///< undefined without downsample
    torch::Tensor out;
  };
  /// enc/dec: stage-1 features at this level (both or neither; only for use_csff blocks).
  Output forward(const torch::Tensor& x, const torch::Tensor& enc = {}, const torch::Tensor& dec = {});

  double macs(int64_t height, int64_t width) const;  ///< H x W of the input

  UNetConvBlockOptions options;
  FastConv2d identity{nullptr}, conv_1{nullptr}, conv_2{nullptr};
  FastConv2d csff_enc{nullptr}, csff_dec{nullptr};
  torch::nn::InstanceNorm2d norm{nullptr};
  FastConv2d downsample{nullptr};
};
TORCH_MODULE(UNetConvBlock);

/// HINet's decoder block: 2x2 stride-2 transposed conv (with bias) in -> out, concatenated with
/// the (already skip-convolved) bridge, then a UNetConvBlock without HIN (2*out = in -> out).
/// Parameters: up.{weight,bias}, conv_block.*.
/// x [N, in, H, W], bridge [N, out, 2H, 2W] -> [N, out, 2H, 2W]
class UNetUpBlockImpl : public torch::nn::Cloneable<UNetUpBlockImpl> {
 public:
  UNetUpBlockImpl(int64_t in_size, int64_t out_size, double relu_slope);
  void reset() override;
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& bridge);

  double macs(int64_t height, int64_t width) const;  ///< H x W of x

  int64_t in_size, out_size;
  double relu_slope;
  FastConvTranspose2d up{nullptr};
  UNetConvBlock conv_block{nullptr};
};
TORCH_MODULE(UNetUpBlock);

}  // namespace restora
