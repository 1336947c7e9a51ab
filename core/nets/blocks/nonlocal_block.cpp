#include "nets/blocks/nonlocal_block.h"

#include "nets/blocks/conv_cost.h"

#include <ATen/record_function.h>

#include <algorithm>

namespace restora {

NonLocalBlockImpl::NonLocalBlockImpl(int64_t channels_)
    : channels(channels_), inner_channels(std::max<int64_t>(1, channels_ / 2)) {
  reset();
}

void NonLocalBlockImpl::reset() {
  theta = register_module("theta", same_conv(channels, inner_channels, 1));
  phi = register_module("phi", same_conv(channels, inner_channels, 1));
  g = register_module("g", same_conv(channels, inner_channels, 1));
  out = register_module("out", same_conv(inner_channels, channels, 1));
  torch::NoGradGuard no_grad;
  out->weight.zero_();
  out->bias.zero_();
}

torch::Tensor NonLocalBlockImpl::forward(const torch::Tensor& x) {
  RECORD_FUNCTION("restora::nonlocal_block", std::vector<c10::IValue>());  // for profiles
  const int64_t n = x.size(0), height = x.size(2), width = x.size(3), positions = height * width;
  const auto query = theta->forward(x).reshape({n, inner_channels, positions}).transpose(1, 2);  // [N, P, C']
  const auto key = phi->forward(x).reshape({n, inner_channels, positions});                       // [N, C', P]
  const auto value = g->forward(x).reshape({n, inner_channels, positions}).transpose(1, 2);      // [N, P, C']
  const auto attention = torch::softmax(torch::bmm(query, key), -1);                             // [N, P, P]
  const auto gathered = torch::bmm(attention, value).transpose(1, 2).reshape({n, inner_channels, height, width});
  return x + out->forward(gathered);
}

double NonLocalBlockImpl::macs(int64_t height, int64_t width) const {
  const double convs = 3 * conv_macs(channels, inner_channels, 1, height, width) +
                       conv_macs(inner_channels, channels, 1, height, width);
  return convs + 2 * attention_elements(height, width) * static_cast<double>(inner_channels);
}

}  // namespace restora
