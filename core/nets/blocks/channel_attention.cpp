#include "nets/blocks/channel_attention.h"

#include "nets/blocks/fast_conv2d.h"
#include "nets/blocks/fused_conv.h"

#include <torch/nn/functional/pooling.h>

namespace restora {

ChannelAttentionImpl::ChannelAttentionImpl(int64_t channels_, int64_t reduction_, bool bias_)
    : channels(channels_), reduction(reduction_), bias(bias_) {
  reset();
}

void ChannelAttentionImpl::reset() {
  conv_du = register_module("conv_du", torch::nn::Sequential(same_conv(channels, channels / reduction, 1, bias),
                                                             torch::nn::ReLU(),
                                                             same_conv(channels / reduction, channels, 1, bias),
                                                             torch::nn::Sigmoid()));
}

torch::Tensor ChannelAttentionImpl::forward(const torch::Tensor& x) {
  const auto pooled = torch::nn::functional::adaptive_avg_pool2d(x, torch::nn::functional::AdaptiveAvgPool2dFuncOptions(1));
  return x * conv_du->forward(pooled);
}

double ChannelAttentionImpl::macs(int64_t, int64_t) const {
  return 2 * conv_macs(channels, channels / reduction, 1, 1, 1);
}

ChannelAttentionBlockImpl::ChannelAttentionBlockImpl(int64_t channels_, int64_t kernel_size_, int64_t reduction_,
                                                     bool bias_, torch::nn::PReLU act_)
    : channels(channels_), kernel_size(kernel_size_), reduction(reduction_), bias(bias_), act(std::move(act_)) {
  reset();
}

void ChannelAttentionBlockImpl::reset() {
  // The official CAB creates CA first: registering in that order keeps state dicts we write in
  // the official key order.
  CA = register_module("CA", ChannelAttention(channels, reduction, bias));
  body = register_module("body", torch::nn::Sequential(same_conv(channels, channels, kernel_size, bias), act,
                                                       same_conv(channels, channels, kernel_size, bias)));
}

torch::Tensor ChannelAttentionBlockImpl::forward(const torch::Tensor& x) {
  // body = conv, act, conv: the first two run as one fused convolution where they can.
  auto& conv1 = *body[0]->as<FastConv2dImpl>();
  auto& conv2 = *body[2]->as<FastConv2dImpl>();
  return CA->forward(conv2.forward(conv_prelu(conv1, *act, x))) + x;
}

double ChannelAttentionBlockImpl::macs(int64_t height, int64_t width) const {
  return 2 * conv_macs(channels, channels, kernel_size, height, width) + CA->macs(height, width);
}

}  // namespace restora
