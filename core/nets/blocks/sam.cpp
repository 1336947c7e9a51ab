#include "nets/blocks/sam.h"

#include "nets/blocks/conv_cost.h"

namespace restora {

SupervisedAttentionImpl::SupervisedAttentionImpl(int64_t channels_, int64_t kernel_size_, bool bias_)
    : channels(channels_), kernel_size(kernel_size_), bias(bias_) {
  reset();
}

void SupervisedAttentionImpl::reset() {
  conv1 = register_module("conv1", same_conv(channels, channels, kernel_size, bias));
  conv2 = register_module("conv2", same_conv(channels, 3, kernel_size, bias));
  conv3 = register_module("conv3", same_conv(3, channels, kernel_size, bias));
}

std::pair<torch::Tensor, torch::Tensor> SupervisedAttentionImpl::forward(const torch::Tensor& features,
                                                                         const torch::Tensor& image) {
  auto attended = conv1->forward(features);
  auto stage_image = conv2->forward(features) + image;
  attended = attended * torch::sigmoid(conv3->forward(stage_image)) + features;
  return {attended, stage_image};
}

double SupervisedAttentionImpl::macs(int64_t height, int64_t width) const {
  return conv_macs(channels, channels, kernel_size, height, width) + 2 * conv_macs(channels, 3, kernel_size, height, width);
}

}  // namespace restora
