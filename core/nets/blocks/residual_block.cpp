#include "nets/blocks/residual_block.h"

#include "nets/blocks/conv_cost.h"
#include "nets/blocks/fused_conv.h"

namespace restora {

ResidualBlockImpl::ResidualBlockImpl(int64_t channels_) : channels(channels_) { reset(); }

void ResidualBlockImpl::reset() {
  conv1 = register_module("conv1", same_conv(channels, channels, 3));
  conv2 = register_module("conv2", same_conv(channels, channels, 3));
}

torch::Tensor ResidualBlockImpl::forward(const torch::Tensor& x) {
  return conv_plus(*conv2, conv_leaky_relu(*conv1, x, 0.0), x);
}

double ResidualBlockImpl::macs(int64_t height, int64_t width) const {
  return 2 * conv_macs(channels, channels, 3, height, width);
}

}  // namespace restora
