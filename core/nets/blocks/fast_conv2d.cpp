#include "nets/blocks/fast_conv2d.h"

#include <torch/nn/functional/conv.h>
#include <torch/nn/init.h>

#include <cmath>
#include <c10/util/variant.h>

namespace restora {

FastConv2dImpl::FastConv2dImpl(torch::nn::Conv2dOptions options_) : options(std::move(options_)) { reset(); }

void FastConv2dImpl::reset() {
  TORCH_CHECK(c10::holds_alternative<torch::ExpandingArray<2>>(options.padding()) &&
                  c10::holds_alternative<torch::enumtype::kZeros>(options.padding_mode()),
              "FastConv2d supports explicit zero padding only");
  const auto& k = *options.kernel_size();
  weight = register_parameter("weight",
                              torch::empty({options.out_channels(), options.in_channels() / options.groups(), k[0], k[1]}));
  // The initialisation of torch::nn::Conv2d (kaiming-uniform weight, fan-in bounded bias).
  torch::nn::init::kaiming_uniform_(weight, std::sqrt(5.0));
  if (options.bias()) {
    const double fan_in = static_cast<double>(weight.size(1) * k[0] * k[1]);
    const double bound = 1.0 / std::sqrt(fan_in);
    bias = register_parameter("bias", torch::empty({options.out_channels()}).uniform_(-bound, bound));
  }
}

torch::Tensor FastConv2dImpl::forward(const torch::Tensor& input) {
  auto output = try_fused(input, {});
  return output.defined() ? output : reference_forward(input);
}

torch::Tensor FastConv2dImpl::try_fused(const torch::Tensor& input, const ConvPostOps& post) {
  const auto& padding = c10::get<torch::ExpandingArray<2>>(options.padding());
  ConvGeometry geometry;
  geometry.stride = {options.stride()->at(0), options.stride()->at(1)};
  geometry.padding = {padding->at(0), padding->at(1)};
  geometry.dilation = {options.dilation()->at(0), options.dilation()->at(1)};
  geometry.groups = options.groups();
  return onednn_.run(input, weight, bias, geometry, policy, post);
}

torch::Tensor FastConv2dImpl::reference_forward(const torch::Tensor& input) const {
  namespace F = torch::nn::functional;
  return F::conv2d(input, weight,
                   F::Conv2dFuncOptions()
                       .bias(bias)
                       .stride(options.stride())
                       .padding(c10::get<torch::ExpandingArray<2>>(options.padding()))
                       .dilation(options.dilation())
                       .groups(options.groups()));
}

void set_conv_policy(torch::nn::Module& module, const ConvPolicy& policy) {
  module.apply([&policy](torch::nn::Module& m) {
    if (auto* holder = dynamic_cast<ConvPolicyHolder*>(&m)) holder->policy = policy;
  });
}

}  // namespace restora
