#pragma once
#include "nets/blocks/conv_transpose.h"
#include "nets/blocks/fast_conv2d.h"

#include <torch/nn/modules/activation.h>

namespace restora {

// A convolution and what follows it in one pass where oneDNN runs the call (fusion is how the
// modules are run, not what they are: they keep their official structure and state-dict keys).
// Elsewhere (training, other devices) the same operations run one after the other.

/// leaky_relu(conv(x), negative_slope); ReLU for 0.
torch::Tensor conv_leaky_relu(FastConv2dImpl& conv, const torch::Tensor& x, double negative_slope);

/// act(conv(x)) for a PReLU: fused where it has a single weight and needs no gradient.
torch::Tensor conv_prelu(FastConv2dImpl& conv, torch::nn::PReLUImpl& act, const torch::Tensor& x);

/// The same for a transposed convolution.
torch::Tensor conv_prelu(FastConvTranspose2dImpl& conv, torch::nn::PReLUImpl& act, const torch::Tensor& x);

/// conv(x) + residual.
torch::Tensor conv_plus(FastConv2dImpl& conv, const torch::Tensor& x, const torch::Tensor& residual);

/// leaky_relu(conv(x), negative_slope) + residual.
torch::Tensor conv_leaky_relu_plus(FastConv2dImpl& conv, const torch::Tensor& x, double negative_slope,
                                   const torch::Tensor& residual);

}  // namespace restora
