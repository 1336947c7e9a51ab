#include "nets/blocks/mirnet_skff.h"

#include "common/error.h"
#include "nets/blocks/mirnet_common.h"

#include <algorithm>

namespace restora::mirnet {

SkffImpl::SkffImpl(const SkffOptions& options) : options_(options) {
  if (options_.channels <= 0 || options_.height <= 0)
    throw Error(ErrorKind::BadInput, "SKFF needs positive channels and height");
  // d = max(int(in_channels / reduction), 4) with reduction 8, as both official files.
  reduced_ = std::max<int64_t>(options_.channels / 8, 4);
  auto conv_du = add_path(*this, "conv_du");
  squeeze_ = conv_du->register_module("0", same_conv(options_.channels, reduced_, 1, false));
  if (options_.activation == SkffActivation::PReLU)
    prelu_ = conv_du->register_module("1", torch::nn::PReLU());
  auto fcs = add_path(*this, "fcs");
  for (int64_t i = 0; i < options_.height; ++i)
    excite_.push_back(fcs->register_module(std::to_string(i), same_conv(reduced_, options_.channels, 1, false)));
}

torch::Tensor SkffImpl::forward(const std::vector<torch::Tensor>& branches) {
  if (static_cast<int64_t>(branches.size()) != options_.height)
    throw Error(ErrorKind::BadUsage, "SKFF expects " + std::to_string(options_.height) + " branches");
  // The official code concatenates the branches, sums them and averages the sum. Averaging each
  // branch and summing the averages is the same up to rounding, without two full-size passes
  // and the concatenated copy.
  torch::Tensor pooled = torch::adaptive_avg_pool2d(branches[0], {1, 1});
  for (size_t i = 1; i < branches.size(); ++i) pooled = pooled + torch::adaptive_avg_pool2d(branches[i], {1, 1});
  torch::Tensor z = squeeze_(pooled);
  z = prelu_ ? prelu_(z) : torch::leaky_relu(z, 0.2);

  std::vector<torch::Tensor> logits;
  logits.reserve(excite_.size());
  for (auto& fc : excite_) logits.push_back(fc(z));
  const int64_t n = z.size(0);
  const torch::Tensor weights = torch::cat(logits, 1).view({n, options_.height, options_.channels, 1, 1}).softmax(1);

  torch::Tensor fused = branches[0] * weights.select(1, 0);
  for (int64_t i = 1; i < options_.height; ++i) fused.addcmul_(branches[static_cast<size_t>(i)], weights.select(1, i));
  return fused;
}

double SkffImpl::macs() const {
  return conv_macs(options_.channels, reduced_, 1, 1, 1) +
         static_cast<double>(options_.height) * conv_macs(reduced_, options_.channels, 1, 1, 1);
}

}  // namespace restora::mirnet
