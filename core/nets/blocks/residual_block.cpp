#include "nets/blocks/residual_block.h"

#include "nets/blocks/conv_cost.h"

namespace restora {

ResidualBlockImpl::ResidualBlockImpl(int64_t channels_) : channels(channels_) { reset(); }

void ResidualBlockImpl::reset() {
  conv1 = register_module("conv1", same_conv(channels, channels, 3));
  conv2 = register_module("conv2", same_conv(channels, channels, 3));
}

torch::Tensor ResidualBlockImpl::forward(const torch::Tensor& x) {
  return x + conv2->forward(torch::relu(conv1->forward(x)));
}

double ResidualBlockImpl::macs(int64_t height, int64_t width) const {
  return 2 * conv_macs(channels, channels, 3, height, width);
}

}  // namespace restora
