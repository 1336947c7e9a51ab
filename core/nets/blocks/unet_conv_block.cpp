#include "nets/blocks/unet_conv_block.h"

#include "nets/blocks/conv_cost.h"
#include "nets/blocks/fused_conv.h"

#include <torch/nn/functional/activation.h>

namespace restora {
namespace {

torch::Tensor leaky_relu(const torch::Tensor& x, double slope) {
  return torch::nn::functional::leaky_relu(x, torch::nn::functional::LeakyReLUFuncOptions().negative_slope(slope));
}

}  // namespace

UNetConvBlockImpl::UNetConvBlockImpl(UNetConvBlockOptions options_) : options(std::move(options_)) { reset(); }

void UNetConvBlockImpl::reset() {
  const int64_t in = options.in_size(), out = options.out_size();
  identity = register_module("identity", same_conv(in, out, 1));
  conv_1 = register_module("conv_1", same_conv(in, out, 3));
  conv_2 = register_module("conv_2", same_conv(out, out, 3));
  if (options.downsample() && options.use_csff()) {
    csff_enc = register_module("csff_enc", same_conv(out, out, 3));
    csff_dec = register_module("csff_dec", same_conv(out, out, 3));
  }
  if (options.use_hin()) {
    norm = register_module("norm", torch::nn::InstanceNorm2d(torch::nn::InstanceNorm2dOptions(out / 2).affine(true)));
  }
  if (options.downsample()) {
    downsample = register_module(
        "downsample", FastConv2d(torch::nn::Conv2dOptions(out, out, 4).stride(2).padding(1).bias(false)));
  }
}

UNetConvBlockImpl::Output UNetConvBlockImpl::forward(const torch::Tensor& x, const torch::Tensor& enc,
                                                     const torch::Tensor& dec) {
  const double slope = options.relu_slope();
  torch::Tensor out;
  if (norm) {
    out = conv_1->forward(x);
    // torch.chunk(out, 2, dim=1): the first half holds ceil(C/2) channels.
    const auto halves = out.chunk(2, 1);
    out = leaky_relu(torch::cat({norm->forward(halves[0]), halves[1]}, 1), slope);
  } else {
    out = conv_leaky_relu(*conv_1, x, slope);
  }
  out = conv_leaky_relu_plus(*conv_2, out, slope, identity->forward(x));
  if (enc.defined() && dec.defined()) {
    // (out + enc') + dec', in the official order of the additions.
    out = conv_plus(*csff_dec, dec, conv_plus(*csff_enc, enc, out));
  }
  if (!downsample) return {torch::Tensor(), out};
  return {downsample->forward(out), out};
}

double UNetConvBlockImpl::macs(int64_t height, int64_t width) const {
  const int64_t in = options.in_size(), out = options.out_size();
  double macs = conv_macs(in, out, 1, height, width) + conv_macs(in, out, 3, height, width) +
                conv_macs(out, out, 3, height, width);
  if (csff_enc) macs += 2 * conv_macs(out, out, 3, height, width);
  if (downsample) macs += conv_macs(out, out, 4, height / 2, width / 2);
  return macs;
}

UNetUpBlockImpl::UNetUpBlockImpl(int64_t in_size_, int64_t out_size_, double relu_slope_)
    : in_size(in_size_), out_size(out_size_), relu_slope(relu_slope_) {
  reset();
}

void UNetUpBlockImpl::reset() {
  up = register_module("up", FastConvTranspose2d(torch::nn::ConvTranspose2dOptions(in_size, out_size, 2).stride(2)));
  conv_block = register_module("conv_block", UNetConvBlock(UNetConvBlockOptions(in_size, out_size).relu_slope(relu_slope)));
}

torch::Tensor UNetUpBlockImpl::forward(const torch::Tensor& x, const torch::Tensor& bridge) {
  return conv_block->forward(torch::cat({up->forward(x), bridge}, 1)).out;
}

double UNetUpBlockImpl::macs(int64_t height, int64_t width) const {
  // The transposed conv: every input pixel meets the 2x2 kernel once per in/out channel pair.
  return conv_macs(in_size, out_size, 2, height, width) + conv_block->macs(2 * height, 2 * width);
}

}  // namespace restora
