#include "nets/blocks/fused_conv.h"

#include <torch/autograd.h>

namespace restora {
namespace {

ConvPostOps activation(double negative_slope) {
  ConvPostOps post;
  post.activation = true;
  post.negative_slope = static_cast<float>(negative_slope);
  return post;
}

torch::Tensor leaky_relu(const torch::Tensor& x, double negative_slope) {
  return negative_slope == 0.0 ? torch::relu(x) : torch::leaky_relu(x, negative_slope);
}

/// Whether a PReLU can run as an activation post-op: a single weight, no gradient, and on the CPU
/// (reading the weight of a CUDA PReLU would wait for the device).
bool fusable(const torch::nn::PReLUImpl& act, const torch::Tensor& x) {
  const bool trains = torch::GradMode::is_enabled() && act.weight.requires_grad();
  return act.weight.numel() == 1 && !trains && x.device().is_cpu() && act.weight.device().is_cpu();
}

template <class Conv>
torch::Tensor prelu_after(Conv& conv, torch::nn::PReLUImpl& act, const torch::Tensor& x) {
  if (fusable(act, x)) {
    auto fused = conv.try_fused(x, activation(act.weight.item<double>()));
    if (fused.defined()) return fused;
  }
  return act.forward(conv.forward(x));
}

}  // namespace

torch::Tensor conv_leaky_relu(FastConv2dImpl& conv, const torch::Tensor& x, double negative_slope) {
  auto fused = conv.try_fused(x, activation(negative_slope));
  return fused.defined() ? fused : leaky_relu(conv.forward(x), negative_slope);
}

torch::Tensor conv_prelu(FastConv2dImpl& conv, torch::nn::PReLUImpl& act, const torch::Tensor& x) {
  return prelu_after(conv, act, x);
}

torch::Tensor conv_prelu(FastConvTranspose2dImpl& conv, torch::nn::PReLUImpl& act, const torch::Tensor& x) {
  return prelu_after(conv, act, x);
}

torch::Tensor conv_plus(FastConv2dImpl& conv, const torch::Tensor& x, const torch::Tensor& residual) {
  ConvPostOps post;
  post.residual = residual;
  auto fused = conv.try_fused(x, post);
  return fused.defined() ? fused : conv.forward(x) + residual;
}

torch::Tensor conv_leaky_relu_plus(FastConv2dImpl& conv, const torch::Tensor& x, double negative_slope,
                                   const torch::Tensor& residual) {
  ConvPostOps post = activation(negative_slope);
  post.residual = residual;
  auto fused = conv.try_fused(x, post);
  return fused.defined() ? fused : leaky_relu(conv.forward(x), negative_slope) + residual;
}

}  // namespace restora
