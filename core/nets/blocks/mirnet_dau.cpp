#include "nets/blocks/mirnet_dau.h"

#include "common/error.h"
#include "nets/blocks/fused_conv.h"
#include "nets/blocks/mirnet_common.h"

namespace restora::mirnet {

SpatialAttentionImpl::SpatialAttentionImpl() {
  auto spatial = add_path(*this, "spatial");
  conv_ = spatial->register_module("conv", same_conv(2, 1, 5, false));
}

torch::Tensor SpatialAttentionImpl::forward(const torch::Tensor& x) {
  // Channel order max, mean: the 5x5 kernel was trained on it.
  const torch::Tensor pooled = torch::cat({std::get<0>(x.max(1, true)), x.mean(1, true)}, 1);
  return x * torch::sigmoid(conv_(pooled));
}

ChannelAttentionImpl::ChannelAttentionImpl(int64_t channels, bool bias) : channels_(channels) {
  if (channels / 8 < 1)
    throw Error(ErrorKind::BadInput, "MIRNet channel attention needs at least 8 channels, got " + std::to_string(channels));
  auto conv_du = add_path(*this, "conv_du");
  squeeze_ = conv_du->register_module("0", same_conv(channels, channels / 8, 1, bias));
  excite_ = conv_du->register_module("2", same_conv(channels / 8, channels, 1, bias));
}

torch::Tensor ChannelAttentionImpl::forward(const torch::Tensor& x) {
  const torch::Tensor y = excite_(torch::relu(squeeze_(torch::adaptive_avg_pool2d(x, {1, 1}))));
  return x * torch::sigmoid(y);
}

double ChannelAttentionImpl::macs() const {
  return 2 * conv_macs(channels_, channels_ / 8, 1, 1, 1);
}

DauImpl::DauImpl(int64_t channels, torch::nn::PReLU act) : channels_(channels) {
  auto body = add_path(*this, "body");
  conv1_ = body->register_module("0", same_conv(channels, channels, 3, false));
  act_ = body->register_module("1", std::move(act));
  conv2_ = body->register_module("2", same_conv(channels, channels, 3, false));
  spatial_ = register_module("SA", SpatialAttention());
  channel_ = register_module("CA", ChannelAttention(channels, false));
  fuse_ = register_module("conv1x1", same_conv(2 * channels, channels, 1, false));
}

torch::Tensor DauImpl::forward(const torch::Tensor& x) {
  const torch::Tensor res = conv2_(conv_prelu(*conv1_, *act_, x));
  return fuse_(torch::cat({spatial_(res), channel_(res)}, 1)).add_(x);
}

double DauImpl::macs(int64_t h, int64_t w) const {
  return 2 * conv_macs(channels_, channels_, 3, h, w) + conv_macs(2, 1, 5, h, w) + channel_->macs() +
         conv_macs(2 * channels_, channels_, 1, h, w);
}

}  // namespace restora::mirnet
