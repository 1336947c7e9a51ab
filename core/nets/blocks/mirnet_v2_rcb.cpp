#include "nets/blocks/mirnet_v2_rcb.h"

#include "nets/blocks/mirnet_common.h"
#include "nets/blocks/fused_conv.h"

namespace restora::mirnet_v2 {

ContextBlockImpl::ContextBlockImpl(int64_t channels, bool bias) : channels_(channels) {
  conv_mask_ = register_module("conv_mask", same_conv(channels, 1, 1, bias));
  auto add = mirnet::add_path(*this, "channel_add_conv");
  add1_ = add->register_module("0", same_conv(channels, channels, 1, bias));
  add2_ = add->register_module("2", same_conv(channels, channels, 1, bias));
}

torch::Tensor ContextBlockImpl::forward(const torch::Tensor& x) {
  const int64_t n = x.size(0);
  const int64_t c = x.size(1);
  const int64_t pixels = x.size(2) * x.size(3);
  const torch::Tensor mask = conv_mask_(x).view({n, 1, pixels}).softmax(2);
  const torch::Tensor context = torch::matmul(x.view({n, 1, c, pixels}), mask.unsqueeze(3)).view({n, c, 1, 1});
  return x + add2_(torch::leaky_relu(add1_(context), 0.2));
}

double ContextBlockImpl::macs(int64_t h, int64_t w) const {
  return conv_macs(channels_, 1, 1, h, w) + 2 * conv_macs(channels_, channels_, 1, 1, 1);
}

RcbImpl::RcbImpl(int64_t channels, bool bias, int64_t groups) : channels_(channels), groups_(groups) {
  auto body = mirnet::add_path(*this, "body");
  conv1_ = body->register_module("0", same_conv(channels, channels, 3, bias, groups));
  conv2_ = body->register_module("2", same_conv(channels, channels, 3, bias, groups));
  context_ = register_module("gcnet", ContextBlock(channels, bias));
}

torch::Tensor RcbImpl::forward(const torch::Tensor& x) {
  // In place on tensors this function created: fewer full-size allocations.
  const torch::Tensor h = conv_leaky_relu(*conv1_, x, 0.2);
  torch::Tensor out = context_(conv2_(h));
  torch::leaky_relu_(out, 0.2);
  return out.add_(x);
}

double RcbImpl::macs(int64_t h, int64_t w) const {
  return 2 * conv_macs(channels_, channels_, 3, h, w, groups_) + context_->macs(h, w);
}

}  // namespace restora::mirnet_v2
