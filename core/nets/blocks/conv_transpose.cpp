#include "nets/blocks/conv_transpose.h"

#include <torch/nn/functional/conv.h>
#include <torch/nn/init.h>

namespace restora {

FastConvTranspose2dImpl::FastConvTranspose2dImpl(torch::nn::ConvTranspose2dOptions options_)
    : options(std::move(options_)) {
  reset();
}

void FastConvTranspose2dImpl::reset() {
  const auto& k = options.kernel_size();
  weight = register_parameter(
      "weight", torch::empty({options.in_channels(), options.out_channels() / options.groups(), k->at(0), k->at(1)}));
  torch::nn::init::kaiming_uniform_(weight, std::sqrt(5.0));
  if (options.bias()) {
    bias = register_parameter("bias", torch::zeros({options.out_channels()}));
  }
}

torch::Tensor FastConvTranspose2dImpl::forward(const torch::Tensor& input) {
  // Reference path; the MPRNet/HINet issue replaces it with stride-phase sub-convolutions.
  namespace F = torch::nn::functional;
  return F::conv_transpose2d(input, weight,
                             F::ConvTranspose2dFuncOptions()
                                 .bias(bias)
                                 .stride(options.stride())
                                 .padding(options.padding())
                                 .output_padding(options.output_padding())
                                 .groups(options.groups())
                                 .dilation(options.dilation()));
}

}  // namespace restora
