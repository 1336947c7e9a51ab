#include "nets/blocks/mirnet_resample.h"

#include "nets/blocks/fused_conv.h"
#include "nets/blocks/mirnet_common.h"

#include <torch/nn/functional/conv.h>
#include <torch/nn/functional/padding.h>
#include <torch/nn/functional/upsampling.h>

#include <cmath>

namespace restora::mirnet {
namespace F = torch::nn::functional;

AntiAliasDownsampleImpl::AntiAliasDownsampleImpl(int64_t channels) {
  const torch::Tensor taps = torch::tensor({1.0F, 2.0F, 1.0F});
  const torch::Tensor kernel = torch::outer(taps, taps) / 16.0F;
  filt_ = register_buffer("filt", kernel.view({1, 1, 3, 3}).repeat({channels, 1, 1, 1}));
}

torch::Tensor AntiAliasDownsampleImpl::forward(const torch::Tensor& x) {
  const torch::Tensor padded = F::pad(x, F::PadFuncOptions({1, 1, 1, 1}).mode(torch::kReflect));
  // Through OnednnConv where it runs: it keeps channels-last data as it is, where LibTorch's
  // depthwise convolution reordered every padded map to a blocked layout (MIRNet: 7 ms a call,
  // the blur itself 0.5 ms).
  ConvGeometry geometry;
  geometry.stride = {2, 2};
  geometry.groups = x.size(1);
  auto blurred = onednn_.run(padded, filt_, {}, geometry, policy);
  if (blurred.defined()) return blurred;
  return F::conv2d(padded, filt_, F::Conv2dFuncOptions().stride(2).groups(x.size(1)));
}

ResidualDownSampleImpl::ResidualDownSampleImpl(int64_t channels) : channels_(channels) {
  auto top = add_path(*this, "top");
  top_in_ = top->register_module("0", same_conv(channels, channels, 1, false));
  top_act1_ = top->register_module("1", torch::nn::PReLU());
  top_conv_ = top->register_module("2", same_conv(channels, channels, 3, false));
  top_act2_ = top->register_module("3", torch::nn::PReLU());
  top_down_ = top->register_module("4", AntiAliasDownsample(channels));
  top_out_ = top->register_module("5", same_conv(channels, 2 * channels, 1, false));
  auto bot = add_path(*this, "bot");
  bot_down_ = bot->register_module("0", AntiAliasDownsample(channels));
  bot_out_ = bot->register_module("1", same_conv(channels, 2 * channels, 1, false));
}

torch::Tensor ResidualDownSampleImpl::forward(const torch::Tensor& x) {
  const torch::Tensor bot = bot_out_(bot_down_(x));
  const torch::Tensor top = top_down_(conv_prelu(*top_conv_, *top_act2_, conv_prelu(*top_in_, *top_act1_, x)));
  return conv_plus(*top_out_, top, bot);  // top + bot, the sum in the convolution's pass
}

double ResidualDownSampleImpl::macs(int64_t h, int64_t w) const {
  const int64_t ho = (h + 1) / 2;
  const int64_t wo = (w + 1) / 2;
  // The fixed blurs are left out, as PERFORMANCE.md counts only the network's nn.Conv2d and
  // nn.ConvTranspose2d modules (they would add 1 GFLOP to MIRNet's 959 at 256 x 256).
  return conv_macs(channels_, channels_, 1, h, w) + conv_macs(channels_, channels_, 3, h, w) +
         2 * conv_macs(channels_, 2 * channels_, 1, ho, wo);
}

ResidualUpSampleImpl::ResidualUpSampleImpl(int64_t channels) : channels_(channels) {
  auto top = add_path(*this, "top");
  top_in_ = top->register_module("0", same_conv(channels, channels, 1, false));
  top_act1_ = top->register_module("1", torch::nn::PReLU());
  top_up_ = top->register_module(
      "2", FastConvTranspose2d(
               torch::nn::ConvTranspose2dOptions(channels, channels, 3).stride(2).padding(1).output_padding(1).bias(false)));
  top_act2_ = top->register_module("3", torch::nn::PReLU());
  top_out_ = top->register_module("4", same_conv(channels, channels / 2, 1, false));
  auto bot = add_path(*this, "bot");
  bot_out_ = bot->register_module("1", same_conv(channels, channels / 2, 1, false));
}

torch::Tensor ResidualUpSampleImpl::forward(const torch::Tensor& x) {
  // Official order: bilinear x2, then the bias-free 1x1 conv. Both are linear and the bilinear
  // weights of each output pixel sum to 1, so convolving first gives the same result up to
  // rounding with a quarter of the multiply-adds, and upsamples half the channels.
  const torch::Tensor bot = F::interpolate(
      bot_out_(x),
      F::InterpolateFuncOptions().scale_factor(std::vector<double>{2.0, 2.0}).mode(torch::kBilinear).align_corners(false));
  const torch::Tensor top = conv_prelu(*top_up_, *top_act2_, conv_prelu(*top_in_, *top_act1_, x));
  return conv_plus(*top_out_, top, bot);  // top + bot, the sum in the convolution's pass
}

double ResidualUpSampleImpl::macs(int64_t h, int64_t w) const {
  // Counted as the official module computes it (bot conv after the upsampling), so that gflop()
  // stays comparable with PERFORMANCE.md. A transposed convolution costs C_in x C_out x k^2
  // multiply-adds per input pixel.
  return conv_macs(channels_, channels_, 1, h, w) + conv_macs(channels_, channels_, 3, h, w) +
         2 * conv_macs(channels_, channels_ / 2, 1, 2 * h, 2 * w);
}

int64_t log2_steps(int64_t scale) {
  return scale > 0 ? static_cast<int64_t>(std::log2(static_cast<double>(scale))) : 0;
}

DownSampleImpl::DownSampleImpl(int64_t channels, int64_t scale) {
  auto body = add_path(*this, "body");
  for (int64_t i = 0; i < log2_steps(scale); ++i, channels *= 2)
    steps_.push_back(body->register_module(std::to_string(i), ResidualDownSample(channels)));
}

torch::Tensor DownSampleImpl::forward(torch::Tensor x) {
  for (auto& step : steps_) x = step(x);
  return x;
}

double DownSampleImpl::macs(int64_t h, int64_t w) const {
  double total = 0;
  for (const auto& step : steps_) {
    total += step->macs(h, w);
    h = (h + 1) / 2;
    w = (w + 1) / 2;
  }
  return total;
}

UpSampleImpl::UpSampleImpl(int64_t channels, int64_t scale) {
  auto body = add_path(*this, "body");
  for (int64_t i = 0; i < log2_steps(scale); ++i, channels /= 2)
    steps_.push_back(body->register_module(std::to_string(i), ResidualUpSample(channels)));
}

torch::Tensor UpSampleImpl::forward(torch::Tensor x) {
  for (auto& step : steps_) x = step(x);
  return x;
}

double UpSampleImpl::macs(int64_t h, int64_t w) const {
  double total = 0;
  for (const auto& step : steps_) {
    total += step->macs(h, w);
    h *= 2;
    w *= 2;
  }
  return total;
}

}  // namespace restora::mirnet
